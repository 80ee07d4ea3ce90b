"""bench/transfer.sh's RESULTS: the runs it left in WORK (each run's meta and rss.json) as one JSON object.

usage: transfer_results.py WORK SIZE_BYTES PIECE_BYTES VERSION TRANSPORT DATA_DIR > RESULTS.json
The shape is bench/run.sh's contract (bench/README.md, "The report").
"""
import glob
import json
import os
import sys


def number(text, kind=float):
    return kind(text) if text else None


def run_entry(folder):
    with open(os.path.join(folder, "meta")) as f:
        meta = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
    try:
        with open(os.path.join(folder, "rss.json")) as f:
            rss = json.load(f)
    except (OSError, ValueError):
        rss = {}
    leecher, seeder = rss.get("leecher", {}), rss.get("seeder", {})
    peak_kb = number(meta["peak_rss_kb"], int)
    return {
        "pair": meta["pair"],
        "run": int(meta["run"]),
        "role": "leecher",
        "status": meta["status"],
        "error": meta["error"] or None,
        "seconds": number(meta["seconds"]),
        "bytes_per_s": number(meta["bytes_per_s"]),
        "sha256_ok": meta["sha256_ok"] == "true",
        "sync_after_exit_s": number(meta["sync_after_exit_s"]),
        # GNU time's VmHWM of the leecher (exact); the sampled peak where time could not tell.
        "peak_rss_bytes": peak_kb * 1024 if peak_kb else leecher.get("peak_rss_bytes"),
        "peak_rss_anon_bytes": leecher.get("peak_rss_anon_bytes"),
        "rss_samples": leecher.get("samples", []),
        "leecher_cpu_s": number(meta["leecher_cpu_s"]),
        "seeder_cpu_s": number(meta["seeder_cpu_s"]),
        # The kernel's exact peak (VmHWM, start-up and the check of the data included); the sampled one beside.
        "seeder_peak_rss_bytes": seeder.get("hwm_bytes") or seeder.get("peak_rss_bytes"),
        "seeder_sampled_peak_rss_bytes": seeder.get("peak_rss_bytes"),
        "seeder_peak_rss_anon_bytes": seeder.get("peak_rss_anon_bytes"),
        "seeder_rss_samples": seeder.get("samples", []),
    }


def main(work, size_bytes, piece_bytes, version, transport, data_dir):
    metas = sorted(glob.glob(os.path.join(work, "run*", "meta")), key=os.path.getmtime)  # the order they ran in
    runs = [run_entry(os.path.dirname(m)) for m in metas]
    seeder_peaks = {}
    for r in runs:
        if r["seeder_peak_rss_bytes"]:
            seeder_peaks[r["pair"]] = max(seeder_peaks.get(r["pair"], 0), r["seeder_peak_rss_bytes"])
    json.dump({
        "size_bytes": int(size_bytes),
        "piece_bytes": int(piece_bytes),
        "version": version,
        "transport": transport,
        "data_dir": data_dir,
        "runs": runs,
        "seeder_peak_rss_bytes": seeder_peaks,
    }, sys.stdout)


if __name__ == "__main__":
    main(*sys.argv[1:])
