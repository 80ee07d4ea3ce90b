"""Tests of the report generator on hand-written RESULTS of the agreed shape (./test.sh runs them).

The QUICK run checks the harness end to end on real figures; these pin what it cannot choose: every bench
present, one missing, one breaking the shape, and the verdicts at known figures.
usage: /usr/bin/python3 bench/report/test_report.py
"""
import json
import os
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402
import targets  # noqa: E402

MIB = 1 << 20


def transfer(shoal_s=2.0, lt_s=5.0, leecher_rss=60 * MIB):
    runs = []
    for run in (1, 2):
        for pair, seconds in (("lt:lt", lt_s), ("lt:shoal", 4.0), ("shoal:lt", 4.5), ("shoal:shoal", shoal_s)):
            runs.append({"pair": pair, "run": run, "status": "ok", "seconds": seconds, "bytes_per_s": 1024 * MIB / seconds,
                         "sha256_ok": True, "peak_rss_bytes": leecher_rss if pair.endswith(":shoal") else 1000 * MIB,
                         "rss_samples": [[0.0, 10 * MIB], [0.05, 40 * MIB]],
                         "seeder_peak_rss_bytes": 50 * MIB, "seeder_rss_samples": [[0.0, 50 * MIB]]})
    return {"size_bytes": 1024 * MIB, "runs": runs}


def swarm():
    return {"runs": [{"client": c, "leechers": n, "size_bytes": 64 * MIB, "cap_bytes_per_s": 4e6, "ideal_s": 16.8,
                      "last_completion_s": 16.8 / e, "efficiency": e, "seeder_uploaded_bytes": int(u * 64 * MIB),
                      "seeder_upload_ratio": u, "completion_s": [16.8 / e] * n}
                     for c, e, u in (("shoal", 0.95, 1.02), ("libtorrent", 0.55, 1.7)) for n in (8, 32)]}


def simulation():
    return {"runs": [{"seed": 1, "leechers": 1000, "size_bytes": 64 * MIB, "ideal_s": 100.0, "last_completion_s": 130.0,
                      "ratio": 1.3, "real_seconds": 20.0, "completion_s": [100.0 + i * 0.03 for i in range(1000)]}]}


def tracker():
    load = [{"tracker": t, "transport": x, "hashes": h, "rate": 1e4, "p50_ms": 0.1, "p90_ms": 0.2, "p99_ms": 1.0,
             "cpu_us_per_announce": 8.0 if t == "shoal" else 10.0} for t in ("opentracker", "shoal")
            for x in ("udp", "http") for h in (1000, 100000)]
    fill = [{"tracker": t, "hashes": h, "peers": h * 10, "seconds": s * h / 100000, "rss_before_bytes": 60 * MIB,
             "rss_after_bytes": 60 * MIB + g * h // 100000} for t, s, g in (("opentracker", 18.0, 27 * MIB),
                                                                          ("shoal", 20.0, 100 * MIB)) for h in (1000, 100000)]
    return {"load": load, "fill": fill}


def timed(what, shoal_s, reference_s):
    return {"runs": [{"what": w, "shoal_s": shoal_s, "reference_s": reference_s, "ratio": reference_s / shoal_s} for w in what]}


class ReportTests(unittest.TestCase):
    def write(self, benches):
        """benches: name -> RESULTS object, 'missing', or a raw string written as the RESULTS file."""
        out = tempfile.mkdtemp()
        self.addCleanup(lambda: __import__("shutil").rmtree(out))
        os.makedirs(os.path.join(out, "raw"))
        with open(os.path.join(out, "raw", "benches.jsonl"), "w") as lines:
            for name, content in benches.items():
                entry = {"bench": name, "script": f"bench/{name}.sh"}
                if content == "missing":
                    entry["status"] = "missing"
                else:
                    path = os.path.join(out, "raw", f"{name}.json")
                    with open(path, "w") as f:
                        f.write(content if isinstance(content, str) else json.dumps(content))
                    entry.update(status="ran", exit=0, seconds=1.0, load_before="1.0 1.0 1.0", load_after="2.0 1.0 1.0",
                                 results=path, log=f"raw/{name}.log")
                lines.write(json.dumps(entry) + "\n")
        return out

    def everything(self):
        return {"transfer": transfer(), "swarm": swarm(), "simulation": simulation(), "tracker": tracker(),
                "create": timed(["create v1", "create hybrid"], 0.4, 1.0), "startup": timed(["get 256 KiB"], 0.2, 0.3)}

    def test_every_bench_present_gives_every_target_a_verdict_and_every_plot(self):
        out = self.write(self.everything())
        self.assertEqual(0, report.main(out))
        with open(os.path.join(out, "report.json")) as f:
            written = json.load(f)
        self.assertTrue(all(t["met"] is not None for t in written["targets"]), [t for t in written["targets"] if t["met"] is None])
        for png in ("transfer-throughput.png", "transfer-rss.png", "swarm-completion.png", "simulation-completion.png",
                    "tracker-latency.png"):
            self.assertGreater(os.path.getsize(os.path.join(out, png)), 1000, png)
        with open(os.path.join(out, "REPORT.md")) as f:
            self.assertIn("![Throughput per pair](transfer-throughput.png)", f.read())

    def test_verdicts_and_distances_at_known_figures(self):
        rows = {t["target"]: t for t in targets.all_targets(self.everything())}
        shoal = rows["transfer (1024 MiB): Shoal→Shoal ≥ 2× libtorrent→libtorrent (aim 3×)"]
        self.assertEqual((2.5, True), (shoal["ratio"], shoal["met"]))
        sim = rows["simulation, 1,000 leechers: last completion ≤ 1.25× ideal"]
        self.assertEqual(False, sim["met"])
        self.assertIn("0.05× of ideal over", sim["distance"])
        growth = rows["tracker fill (1,000,000 peers, 100,000 swarms): memory growth ≤ 64 MiB"]
        self.assertEqual((False, "36.0 MiB over"), (growth["met"], growth["distance"]))
        self.assertTrue(rows["start-up: shoal get 256 KiB from a local seeder < 0.3 s"]["met"])
        slow = {t["target"]: t for t in targets.transfer_targets(transfer(shoal_s=4.0))}
        self.assertIn("needs 1.60× faster (4.00 s → 2.50 s)",
                      slow["transfer (1024 MiB): Shoal→Shoal ≥ 2× libtorrent→libtorrent (aim 3×)"]["distance"])

    def test_a_missing_bench_is_reported_and_does_not_fail_the_run(self):
        benches = self.everything()
        benches["swarm"] = "missing"
        out = self.write(benches)
        self.assertEqual(0, report.main(out))
        with open(os.path.join(out, "REPORT.md")) as f:
            text = f.read()
        self.assertIn("missing: bench/swarm.sh is not in this tree", text)
        self.assertIn("| swarm, 8 leechers: efficiency ≥ 0.90 | – | – | – | ≥ 0.90 | not measured |", text)

    def test_results_that_break_the_shape_fail_the_run_but_the_report_is_written(self):
        for broken in ("not json", '{"runs": [{"client": "shoal"}]}', '{"runs": []}', '{"runs": [{"efficiency": NaN}]}'):
            benches = self.everything()
            benches["swarm"] = broken
            out = self.write(benches)
            self.assertEqual(1, report.main(out), broken)
            with open(os.path.join(out, "report.json")) as f:
                self.assertEqual("failed", json.load(f)["benches"]["swarm"]["status"], broken)


if __name__ == "__main__":
    unittest.main()
