"""Samples the resident memory of process trees over time, from /proc, for the bench scripts.

usage: rss_sampler.py OUT.json [--interval 0.05] NAME=PID [NAME=PID ...]

Every INTERVAL seconds it reads VmRSS, RssAnon and VmHWM of each PID and of all its descendants (a bench
runs a client under GNU time and timeout, so the client is a grandchild) and keeps, per NAME, the
largest of the tree: time and timeout are a few hundred KiB, the client is the rest. It stops when
every tree is gone or on SIGTERM, and writes
  {"NAME": {"samples": [[t_seconds, rss_bytes], ...], "peak_rss_bytes": N, "peak_rss_anon_bytes": N, "hwm_bytes": N}, ...}
with t from the sampler's start. peak_rss_bytes and peak_rss_anon_bytes are of the samples (a spike shorter
than INTERVAL can hide between two); hwm_bytes is the kernel's exact peak (VmHWM) at the last sample, since
the process started (for a seeder: its start-up and check of the data included).
"""
import json
import signal
import sys
import time


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def tree(pid):
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(children(p))
    return seen


def status_kb(pid):
    """(VmRSS, RssAnon, VmHWM) in KiB, or None once the process is gone (or a zombie, which has none)."""
    fields = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "RssAnon", "VmHWM"):
                    fields[key] = int(value.split()[0])
    except (OSError, ValueError):
        return None
    return (fields["VmRSS"], fields.get("RssAnon", 0), fields.get("VmHWM", 0)) if "VmRSS" in fields else None


def main(argv):
    out = argv[1]
    interval = 0.05
    targets = {}
    rest = argv[2:]
    while rest:
        arg = rest.pop(0)
        if arg == "--interval":
            interval = float(rest.pop(0))
        else:
            name, _, pid = arg.partition("=")
            targets[name] = int(pid)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    result = {name: {"samples": [], "peak_rss_bytes": 0, "peak_rss_anon_bytes": 0, "hwm_bytes": 0} for name in targets}
    start = time.monotonic()
    while not stop:
        alive = False
        t = round(time.monotonic() - start, 3)
        for name, pid in targets.items():
            readings = [r for r in map(status_kb, tree(pid)) if r is not None]
            if not readings:
                continue
            alive = True
            rss = max(r[0] for r in readings) * 1024
            anon = max(r[1] for r in readings) * 1024
            entry = result[name]
            entry["samples"].append([t, rss])
            entry["peak_rss_bytes"] = max(entry["peak_rss_bytes"], rss)
            entry["peak_rss_anon_bytes"] = max(entry["peak_rss_anon_bytes"], anon)
            entry["hwm_bytes"] = max(entry["hwm_bytes"], max(r[2] for r in readings) * 1024)
        if not alive:
            break
        time.sleep(interval)
    with open(out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main(sys.argv)
