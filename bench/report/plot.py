"""The report's PNG plots, drawn with matplotlib (Debian's python3-matplotlib) from the sub-benches' RESULTS.

Each function draws one figure into OUT and returns its file name, or None when the bench has nothing to draw.
"""
import os

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402

from results import finite  # noqa: E402

MIB = 1 << 20
PAIR_LABEL = {"lt": "libtorrent", "shoal": "Shoal", "aria2": "aria2"}


def _pair_label(pair):
    seeder, _, leecher = pair.partition(":")
    return f"{PAIR_LABEL.get(seeder, seeder)}→{PAIR_LABEL.get(leecher, leecher)}"


def _save(fig, out, name):
    fig.tight_layout()
    fig.savefig(os.path.join(out, name), dpi=100)
    plt.close(fig)
    return name


def _pairs(transfer):
    return list(dict.fromkeys(r["pair"] for r in transfer["runs"]))  # in the order they ran


def throughput(transfer, out):
    """Per pair: each run's MB/s (dots) and their median (bar)."""
    pairs = _pairs(transfer)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for i, pair in enumerate(pairs):
        rates = [finite(r.get("bytes_per_s")) for r in transfer["runs"] if r["pair"] == pair]
        rates = sorted(v / 1e6 for v in rates if v is not None)
        if rates:
            ax.bar(i, rates[len(rates) // 2], color="#8fb3d9", width=0.6)
            ax.plot([i] * len(rates), rates, "o", color="#1f4e79")
            ax.annotate(f"{rates[len(rates) // 2]:.0f}", (i + 0.3, rates[len(rates) // 2]), xytext=(3, 0),
                        textcoords="offset points", ha="left", va="center")
        else:
            ax.annotate("failed", (i, 0), ha="center", va="bottom", color="red")
    ax.set_xticks(range(len(pairs)), [_pair_label(p) for p in pairs])
    ax.set_ylabel("MB/s (start to durable completion)")
    ax.set_title(f"{transfer['size_bytes'] / MIB:.0f} MiB over loopback, files on disk: each run and the median")
    return _save(fig, out, "transfer-throughput.png")


def rss(transfer, out):
    """Per pair: leecher and seeder RSS over time, every run, with the 64 MiB bound."""
    pairs = _pairs(transfer)
    cols = min(2, len(pairs))
    rows = (len(pairs) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(6 * cols, 3.6 * rows), squeeze=False)
    for ax, pair in zip(axes.flat, pairs):
        for r in (r for r in transfer["runs"] if r["pair"] == pair):
            for key, style, role in (("rss_samples", "-", "leecher"), ("seeder_rss_samples", "--", "seeder")):
                samples = r.get(key) or []
                if samples:
                    ax.plot([s[0] for s in samples], [s[1] / MIB for s in samples], style,
                            color="#c0392b" if role == "leecher" else "#2874a6",
                            label=f"{role}, run {r.get('run', 1)}", alpha=0.85)
        ax.axhline(64, color="gray", linestyle=":", label="64 MiB")
        ax.set_title(_pair_label(pair))
        ax.set_xlabel("seconds from the leecher's start")
        ax.set_ylabel("RSS (MiB)")
        ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(pairs):]:
        ax.set_visible(False)
    fig.suptitle("RSS over time (VmRSS every 50 ms); libtorrent's counts its mapped file pages")
    return _save(fig, out, "transfer-rss.png")


def _completions(ax, runs, label, color, title, xlabel):
    """Leechers complete against time, one stepped line per run, each run's ideal time dotted."""
    for r in (r for r in runs if r.get("completion_s")):
        times = sorted(c for c in r["completion_s"] if c is not None)
        ax.plot(times, range(1, len(times) + 1), drawstyle="steps-post", label=label(r), color=color(r))
        if finite(r.get("ideal_s")):
            ax.axvline(r["ideal_s"], color=color(r), linestyle=":", alpha=0.6)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("leechers complete")
    ax.legend(fontsize=8)


def swarm(swarm_results, out):
    """Per number of leechers: completed leechers against time, Shoal and libtorrent, with the ideal."""
    counts = sorted({r["leechers"] for r in swarm_results["runs"]})
    size = finite(swarm_results["runs"][0].get("size_bytes")) or 0
    fig, axes = plt.subplots(1, len(counts), figsize=(6 * len(counts), 4), squeeze=False)
    colors = {"shoal": "#c0392b", "libtorrent": "#2874a6"}
    for ax, n in zip(axes.flat, counts):
        _completions(ax, [r for r in swarm_results["runs"] if r["leechers"] == n],
                     lambda r: f"{r['client']} (efficiency {finite(r.get('efficiency')) or 0:.2f})",
                     lambda r: colors.get(r["client"]), f"1 seeder, {n} leechers, {size / MIB:.0f} MiB, capped uploads",
                     "seconds (dotted: ideal = size ÷ cap)")
    return _save(fig, out, "swarm-completion.png")


def simulation(sim, out):
    """Completed leechers against virtual time, one line per seed, with the ideal."""
    fig, ax = plt.subplots(figsize=(8, 4.5))
    _completions(ax, sim["runs"], lambda r: f"seed {r['seed']} (last ÷ ideal {finite(r.get('ratio')) or 0:.2f})",
                 lambda r: None, f"simulation: 1 seeder, {sim['runs'][0]['leechers']:,} leechers (virtual time)",
                 "virtual seconds (dotted: ideal)")
    return _save(fig, out, "simulation-completion.png")


def tracker_latency(tracker, out):
    """p50/p90/p99 announce latency per tracker, transport and number of swarms (log scale)."""
    rows = [r for r in tracker["load"] if finite(r.get("p50_ms")) is not None]
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(max(6, 1.3 * len(rows)), 4.5))
    width = 0.25
    for k, (key, color) in enumerate((("p50_ms", "#a9cce3"), ("p90_ms", "#5499c7"), ("p99_ms", "#1a5276"))):
        values = [finite(r.get(key)) or 0 for r in rows]
        ax.bar([i + (k - 1) * width for i in range(len(rows))], values, width, label=key[:-3], color=color)
    ax.set_xticks(range(len(rows)), [f"{r['tracker']}\n{r['transport']}, {r['hashes']:,}" for r in rows], fontsize=8)
    ax.set_yscale("log")
    ax.set_ylabel("announce latency (ms)")
    ax.set_title("tracker latency percentiles (tracker, transport, swarms)")
    ax.legend()
    return _save(fig, out, "tracker-latency.png")


def draw_all(results, out):
    """Every plot the present benches allow; returns [(title, file)]."""
    plots = []
    for bench, title, draw in (("transfer", "Throughput per pair", throughput), ("transfer", "RSS over time", rss),
                               ("swarm", "Swarm completions", swarm), ("simulation", "Simulation completions", simulation),
                               ("tracker", "Tracker latency", tracker_latency)):
        if results.get(bench) is not None:
            name = draw(results[bench], out)
            if name:
                plots.append((title, name))
    return plots
