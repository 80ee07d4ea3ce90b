"""Download a torrent with libtorrent (python3-libtorrent) from peers on loopback, then exit.

usage: lt_get.py TORRENT|MAGNET SAVE_DIR --port P [--connect HOST:PORT]... [--timeout S] [--host 127.0.0.1]
                 [--dht-bootstrap HOST:PORT]... [--hash-log] [--fsync] [--upload-limit BYTES] [--keep-seeding]
                 [--transport tcp|utp|both] [--encryption disabled|enabled|forced]

With --dht-bootstrap the DHT is on (BEP 5), joined through those nodes, and used to find peers.
With --hash-log the BEP 52 hash messages libtorrent sends and receives are counted (peer log alerts)
into the finished line's hash_messages.
With --fsync the downloaded files are fsync'ed before the finished line, so the exit means the data is
durable (the benches time a download to durable completion, as Shoal's resume data requires); fsync_seconds
in that line is what it took.

Each --connect peer is dialed, and dialed again every second while not connected.
stdout: {"event":"started","port":P} once listening, then exactly one of the lines below (the last line).
Exit 0 once every piece has passed its hash check, after printing one JSON line:
  {"event":"finished","seconds":T,"bytes":N,"peak_rss_kb":K,"peak_rss_anon_kb":A,"hash_failures":F,...}
seconds counts from adding the torrent to completion (session start-up excluded). peak_rss_kb is
the process's VmHWM; libtorrent 2 maps the files it writes, so it includes file pages, and
peak_rss_anon_kb (sampled) is the heap alone.
Exit 1 with {"event":"error","message":...} on a timeout or an error.
--upload-limit caps the session's upload in bytes/s and moves loopback peers into the global peer class so the
cap applies to them. --keep-seeding seeds on after the finished line until SIGTERM, then prints
{"event":"stopped","total_payload_upload":N,...} and exits 0 (a leecher of a swarm serves the others).
"""
import argparse
import os
import signal
import sys
import time

import libtorrent as lt

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts in the source tree
from lt_common import Alerts, ConnectionKinds, add_transport_args, transport_settings, hash_log_settings, Dialer, add_torrent, dht_settings, emit, everyone_in_global_class, make_session, peak_rss_kb, rss_anon_kb


def fsync_files(handle, save_dir):
    """fsyncs each file. libtorrent 2 writes through shared memory maps, and a piece is hashed from the map
    once written, so every verified byte is in the page cache, where fsync writes it back from."""
    begun = time.monotonic()
    files = handle.torrent_file().files()
    paths = [os.path.join(save_dir, files.file_path(i)) for i in range(files.num_files())
             if not files.file_flags(i) & lt.file_storage.flag_pad_file]
    for path in paths:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    return round(time.monotonic() - begun, 3)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("torrent")
    parser.add_argument("save_dir")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--connect", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--dht-bootstrap", action="append", default=[])
    parser.add_argument("--hash-log", action="store_true")
    parser.add_argument("--fsync", action="store_true")
    parser.add_argument("--upload-limit", type=int, default=0)
    parser.add_argument("--keep-seeding", action="store_true")
    add_transport_args(parser)
    args = parser.parse_args()

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))

    # Connection attempts wait for the session tick: 100 ms rather than 500 ms to start sooner.
    extra = {"tick_interval": 100}
    if args.upload_limit > 0:
        extra["upload_rate_limit"] = args.upload_limit
    if args.dht_bootstrap:
        extra.update(dht_settings(args.dht_bootstrap))
    if args.hash_log:
        extra["alert_mask"] = extra.get("alert_mask", 0) | hash_log_settings()["alert_mask"]
    extra.update(transport_settings(args))
    session, port = make_session(args.host, args.port, extra)
    if args.upload_limit > 0:
        everyone_in_global_class(session)
    started = time.monotonic()
    handle = add_torrent(session, args.torrent, args.save_dir, dht=bool(args.dht_bootstrap))
    alerts = Alerts(session)
    dialer = Dialer(handle, args.connect)
    kinds = ConnectionKinds()
    emit("started", port=port)

    peak_anon = 0
    while True:
        status = alerts.drain(handle)
        dialer.tick(status)
        kinds.sample(handle)
        peak_anon = max(peak_anon, rss_anon_kb())
        if alerts.errors:
            emit("error", message="; ".join(alerts.errors))
            return 1
        if status.is_seeding and status.num_pieces == handle.torrent_file().num_pieces():
            break
        elapsed = time.monotonic() - started
        if stop or elapsed > args.timeout:
            why = "stopped by a signal" if stop else f"timed out after {args.timeout} s"
            emit("error", message=f"{why}: {status.total_wanted_done} of {status.total_wanted} bytes, "
                                  f"{status.num_peers} peers, state {status.state}")
            return 1
        time.sleep(0.02)

    seconds = time.monotonic() - started
    # Finished means every piece passed its hash; wait for the writes to reach the files too.
    handle.flush_cache()
    durable = {"fsync_seconds": fsync_files(handle, args.save_dir)} if args.fsync else {}
    emit("finished", **durable, connections=kinds.as_list(), seconds=round(seconds, 3), bytes=status.total_wanted,
         mb_per_s=round(status.total_wanted / seconds / 1e6, 1),
         peak_rss_kb=peak_rss_kb(), peak_rss_anon_kb=peak_anon,
         hash_failures=alerts.hash_failures, total_payload_download=status.total_payload_download,
         total_redundant_bytes=status.total_redundant_bytes, hash_messages=alerts.hash_messages)
    sys.stdout.flush()
    while args.keep_seeding and not stop:
        status = alerts.drain(handle)
        dialer.tick(status)
        time.sleep(0.1)
    if args.keep_seeding:
        emit("stopped", total_payload_upload=handle.status().total_payload_upload)
    return 0


try:
    code = main()
except Exception as error:  # one JSON line, not a traceback, for whoever reads stdout
    emit("error", message=f"{type(error).__name__}: {error}")
    code = 1
sys.exit(code)
