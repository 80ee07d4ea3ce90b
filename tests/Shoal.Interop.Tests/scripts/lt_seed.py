"""Seed a torrent with libtorrent (python3-libtorrent) on loopback until SIGTERM.

usage: lt_seed.py TORRENT CONTENT_PARENT_DIR --port P [--connect HOST:PORT]... [--upload-limit BYTES]
                  [--host 127.0.0.1] [--stats-interval S] [--check-timeout S] [--dht] [--dht-bootstrap HOST:PORT]... [--hash-log]
                 [--transport tcp|utp|both] [--encryption disabled|enabled|forced]

The data is fully checked first (no seed_mode): data that does not match the torrent is an error.
stdout, one JSON line each:
  {"event":"seeding","port":P,...}                      once the check passed and it is seeding
  {"event":"stopped","total_payload_upload":N,...}      on SIGTERM/SIGINT, then exit 0
  {"event":"error","message":...}                       then exit 1
stderr: {"event":"stats","total_payload_upload":N,...} every --stats-interval seconds (default 1).
Each --connect peer is dialed, and dialed again every second while not connected, since the
other side may start later (aria2 cannot dial, so a seeder must dial it).
--dht turns the DHT on (BEP 5) and announces the torrent in it, every 5 s, joined through each
--dht-bootstrap node (a node may also join through us).
--hash-log counts the BEP 52 hash messages it sends and receives (peer log alerts) into the stopped
line's hash_messages.
--upload-limit caps the session's upload in bytes/s and moves loopback peers into the global peer
class so the cap applies to them.
"""
import argparse
import signal
import sys
import time

import libtorrent as lt

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts in the source tree
from lt_common import Alerts, ConnectionKinds, add_transport_args, transport_settings, hash_log_settings, Dialer, add_torrent, dht_settings, emit, everyone_in_global_class, make_session


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("torrent")
    parser.add_argument("content_parent_dir")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--connect", action="append", default=[])
    parser.add_argument("--upload-limit", type=int, default=0)
    parser.add_argument("--stats-interval", type=float, default=1.0)
    parser.add_argument("--check-timeout", type=float, default=600)
    parser.add_argument("--dht", action="store_true")
    parser.add_argument("--dht-bootstrap", action="append", default=[])
    parser.add_argument("--hash-log", action="store_true")
    add_transport_args(parser)
    args = parser.parse_args()

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    signal.signal(signal.SIGINT, lambda *_: stop.append(True))

    extra = {"upload_rate_limit": args.upload_limit} if args.upload_limit > 0 else {}
    if args.dht:
        extra.update(dht_settings(args.dht_bootstrap))
    if args.hash_log:
        extra["alert_mask"] = extra.get("alert_mask", 0) | hash_log_settings()["alert_mask"]
    extra.update(transport_settings(args))
    # A peer connecting wakes the loop below (see its end).
    extra["alert_mask"] = (extra.get("alert_mask", lt.alert.category_t.error_notification | lt.alert.category_t.status_notification)
                           | lt.alert.category_t.peer_notification | lt.alert.category_t.connect_notification)
    session, port = make_session(args.host, args.port, extra)
    if args.upload_limit > 0:
        everyone_in_global_class(session)
    handle = add_torrent(session, args.torrent, args.content_parent_dir, dht=args.dht)
    alerts = Alerts(session)

    deadline = time.monotonic() + args.check_timeout
    while True:
        if stop:
            return 0
        status = alerts.drain(handle)
        if alerts.errors:
            emit("error", message="; ".join(alerts.errors))
            return 1
        if status.is_seeding:
            break
        if alerts.checked and not handle.status().is_seeding:
            # The check is over and pieces are missing: the wrong folder, or changed data.
            have, total = handle.status().num_pieces, handle.torrent_file().num_pieces()
            emit("error", message=f"the data under {args.content_parent_dir} does not match the torrent: "
                                  f"{have} of {total} pieces pass the check")
            return 1
        if time.monotonic() > deadline:
            emit("error", message=f"checking did not finish within {args.check_timeout} s")
            return 1
        time.sleep(0.05)

    info = handle.torrent_file()
    hashes = info.info_hashes()
    emit("seeding", port=port,
         v1=str(hashes.v1) if hashes.has_v1() else None,
         v2=str(hashes.v2) if hashes.has_v2() else None,
         total_size=info.total_size(), piece_length=info.piece_length(), pieces=info.num_pieces())

    dialer = Dialer(handle, args.connect)
    kinds = ConnectionKinds()
    next_stats = time.monotonic()
    while not stop:
        status = alerts.drain(handle)
        dialer.tick(status)
        kinds.sample(handle)
        if alerts.errors:
            emit("error", message="; ".join(alerts.errors))
            return 1
        if time.monotonic() >= next_stats:
            next_stats += args.stats_interval
            emit("stats", sys.stderr, total_payload_upload=status.total_payload_upload,
                 total_upload=status.total_upload, upload_payload_rate=status.upload_payload_rate,
                 peers=status.num_peers)
        # A native peer can connect, fetch a few MiB and leave within one 100 ms round, and a connection's kind is
        # known only once its handshake is over: while peers are connected, look every 5 ms; else wait for an alert.
        if status.num_peers > 0:
            time.sleep(0.005)
        else:
            session.wait_for_alert(int(min(0.1, args.stats_interval) * 1000))

    # The alerts posted since the last round (a fast peer's whole exchange can fit in one): counted before the summary.
    status = alerts.drain(handle)
    emit("stopped", connections=kinds.as_list(), total_payload_upload=status.total_payload_upload, total_upload=status.total_upload,
         total_failed_bytes=status.total_failed_bytes, hash_messages=alerts.hash_messages)
    return 0


try:
    sys.exit(main())
except Exception as error:  # one JSON line, not a traceback, for whoever reads stdout
    emit("error", message=f"{type(error).__name__}: {error}")
    sys.exit(1)
