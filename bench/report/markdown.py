"""REPORT.md from report.json's content: the targets first, then how each bench ran, its figures, the plots."""

MIB = 1 << 20


def _per(value, unit):
    return None if value is None else value / unit


def _cell(value):
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value).replace("|", "\\|")


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def _verdict(met):
    return {True: "**met**", False: "**not met**", None: "not measured"}[met]


def _load(bench):
    """The 1-minute load average before → after the bench: the machine's other work, beside each figure."""
    if not bench or not bench.get("load_before"):
        return None
    return f"{bench['load_before'].split()[0]} → {bench['load_after'].split()[0]}"


def targets_section(targets, benches):
    rows = [(t["target"], t["figure"], t["reference"], None if t["ratio"] is None else f"{t['ratio']:.2f}",
             t["goal"], _verdict(t["met"]), t["distance"] or t["note"], _load(benches.get(t["bench"]))) for t in targets]
    met = sum(t["met"] is True for t in targets)
    missed = sum(t["met"] is False for t in targets)
    return (f"## Targets\n\n{met} met, {missed} not met, {len(targets) - met - missed} not measured.\n\n"
            + _table(["target", "figure", "reference (same run)", "ratio", "goal", "verdict", "distance / note", "load"], rows))


def benches_section(benches):
    rows = [(name, b["status"] + (f": {b['error']}" if b.get("error") else ""), b.get("seconds"),
             b.get("load_before"), b.get("load_after"), b.get("log")) for name, b in benches.items()]
    out = "## Benches\n\n" + _table(["bench", "status", "wall s", "load avg before", "load avg after", "log"], rows)
    for name, b in benches.items():
        if b["status"] == "failed" and b.get("log_tail"):
            out += f"\n\n{name}, last lines of its log:\n\n```\n{b['log_tail']}\n```"
    return out


def _transfer(data):
    rows = [(r.get("run"), r["pair"], r.get("status", "ok"), r.get("seconds"),
             _per(r.get("bytes_per_s"), 1e6), _per(r.get("peak_rss_bytes"), MIB), _per(r.get("seeder_peak_rss_bytes"), MIB),
             r.get("sync_after_exit_s"), r.get("leecher_cpu_s"), r.get("seeder_cpu_s"), r.get("error"))
            for r in data["runs"]]
    return (f"### Transfer: {data['size_bytes'] / MIB:.0f} MiB, {data.get('version', 'v1')}, files in {data.get('data_dir', '?')}\n\n"
            + _table(["run", "pair", "status", "seconds", "MB/s", "leecher peak RSS MiB", "seeder peak RSS MiB",
                      "fsync after exit s", "leecher CPU s", "seeder CPU s", "error"], rows))


def _swarm(data):
    rows = [(r["client"], r["leechers"], _per(r["size_bytes"], MIB), _per(r["cap_bytes_per_s"], 1e6), r["ideal_s"],
             r["last_completion_s"], r["efficiency"], r["seeder_upload_ratio"], r.get("error")) for r in data["runs"]]
    return "### Swarm\n\n" + _table(["client", "leechers", "MiB", "cap MB/s", "ideal s", "last completion s",
                                     "efficiency", "seeder sent ÷ file", "error"], rows)


def _simulation(data):
    rows = [(r["seed"], r["leechers"], _per(r["size_bytes"], MIB), r["ideal_s"], r["last_completion_s"], r["ratio"],
             r["real_seconds"], r.get("seeder_uploaded_bytes")) for r in data["runs"]]
    return "### Simulation\n\n" + _table(["seed", "leechers", "MiB", "ideal s", "last completion s", "÷ ideal",
                                          "real s", "seeder uploaded bytes"], rows)


def _tracker(data):
    load = [(r["tracker"], r["transport"], r["hashes"], r["rate"], r["p50_ms"], r.get("p90_ms"), r["p99_ms"],
             r.get("max_ms"), r.get("errors"), r["cpu_us_per_announce"]) for r in data["load"]]
    fill = [(r["tracker"], r.get("hashes"), r.get("peers"), r["seconds"], r.get("errors"), _per(r["rss_before_bytes"], MIB),
             _per(r["rss_after_bytes"], MIB), _per(r.get("rss_peak_bytes"), MIB), r.get("cpu_us_per_announce")) for r in data["fill"]]
    return ("### Tracker\n\n" + _table(["tracker", "transport", "swarms", "announces/s", "p50 ms", "p90 ms", "p99 ms",
                                        "max ms", "errors", "CPU µs/announce"], load)
            + "\n\nFill:\n\n" + _table(["tracker", "swarms", "peers", "seconds", "errors", "RSS before MiB", "RSS after MiB", "peak MiB",
                                     "CPU µs/announce"], fill))


def _timed(title):
    def render(data):
        rows = [(r["what"], r["shoal_s"], r["reference_s"], r["ratio"]) for r in data["runs"]]
        return f"### {title}\n\n" + _table(["what", "Shoal s", "reference s", "reference ÷ Shoal"], rows)
    return render


DETAILS = {"transfer": _transfer, "swarm": _swarm, "simulation": _simulation, "tracker": _tracker,
           "create": _timed("Torrent creation"), "startup": _timed("Start-up")}


def render(report):
    head = report["run"]
    parts = [
        f"# Benchmark report{' (QUICK: a smoke run, figures not comparable)' if head['quick'] else ''}\n\n"
        f"{head['date']}, commit {head['commit']}, {head['cores']} cores ({head['cpu']}), "
        f"`bench/run.sh` wall time {head['seconds']:.0f} s. Every ratio compares figures of this one run.",
        targets_section(report["targets"], report["benches"]),
        benches_section(report["benches"]),
        "## Figures",
    ]
    for name, b in report["benches"].items():
        if b.get("results") is not None and name in DETAILS:
            parts.append(DETAILS[name](b["results"]))
    if report["plots"]:
        parts.append("## Plots\n\n" + "\n\n".join(f"{title}:\n\n![{title}]({name})" for title, name in report["plots"]))
    return "\n\n".join(parts) + "\n"
