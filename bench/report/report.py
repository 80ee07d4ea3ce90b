"""bench/run.sh's last step: the sub-benches' RESULTS into OUT/report.json, OUT/REPORT.md and OUT/*.png.

usage: report.py OUT   (reads OUT/raw/benches.jsonl, one line per bench that run.sh ran or found missing)
Exit 0 when every present bench ran and wrote RESULTS of the agreed shape, 1 when one did not (the report is
written either way, saying which and why), 2 when the report itself could not be written.
"""
import datetime
import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import markdown  # noqa: E402
import plot  # noqa: E402
import results  # noqa: E402
import targets  # noqa: E402


def _tail(path, lines=15):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:]).rstrip()
    except OSError:
        return ""


def _cpu():
    try:
        with open("/proc/cpuinfo") as f:
            return next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "?")
    except OSError:
        return "?"


def collect(out):
    """bench name -> its entry: how it ran, and its checked results (None unless it succeeded)."""
    benches = {}
    with open(os.path.join(out, "raw", "benches.jsonl")) as f:
        for line in f:
            b = json.loads(line)
            entry = {k: b.get(k) for k in ("script", "status", "exit", "seconds", "load_before", "load_after", "log")}
            entry["results"] = None
            if b["status"] == "ran":
                try:
                    entry["results"] = results.load(b["results"], b["bench"])
                    entry["status"] = "ok" if b["exit"] == 0 else "failed"
                    entry["error"] = None if b["exit"] == 0 else f"exit {b['exit']}"
                except results.ShapeError as error:
                    entry["status"], entry["error"] = "failed", (f"exit {b['exit']}; " if b["exit"] else "") + str(error)
                if entry["status"] == "failed":  # figures of the shape still count; the failure is shown beside them
                    entry["log_tail"] = _tail(os.path.join(out, b["log"]))
            elif b["status"] == "missing":
                entry["error"] = f"{b['script']} is not in this tree"
            benches[b["bench"]] = entry
    return benches


def main(out):
    benches = collect(out)
    data = {name: b["results"] for name, b in benches.items()}
    commit = subprocess.run(["git", "-C", os.path.dirname(os.path.abspath(__file__)), "describe", "--always", "--dirty"],
                            capture_output=True, text=True).stdout.strip() or "?"
    report = {
        "run": {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "commit": commit,
                "quick": os.environ.get("QUICK", "0") == "1", "cores": os.cpu_count(), "cpu": _cpu(),
                "seconds": float(os.environ.get("RUN_SECONDS", "0"))},
        "targets": targets.all_targets(data),
        "benches": benches,
        "plots": plot.draw_all(data, out),
    }
    with open(os.path.join(out, "report.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1, ensure_ascii=False)
    with open(os.path.join(out, "REPORT.md"), "w", encoding="utf-8") as f:
        f.write(markdown.render(report))
    failed = [name for name, b in benches.items() if b["status"] == "failed"]
    for name in failed:
        print(f"report: {name} FAILED: {benches[name]['error']}", file=sys.stderr)
    for name, b in benches.items():
        if b["status"] == "missing":
            print(f"report: {name} missing ({b['script']})", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
