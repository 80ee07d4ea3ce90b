"""Shared by lt_seed.py and lt_get.py: a loopback-only libtorrent session, TCP-only and plaintext unless
--transport and --encryption say otherwise.

Not a command; the two scripts import it from their own folder.
"""
import json
import os
import re
import resource
import sys
import time

import libtorrent as lt


def emit(event, stream=None, **fields):
    """Print one JSON line and flush it, so a reader sees it at once."""
    stream = stream or sys.stdout
    stream.write(json.dumps({"event": event, **fields}) + "\n")
    stream.flush()


def endpoint(text):
    """'HOST:PORT' or '[V6]:PORT' to (host, port)."""
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"not HOST:PORT: {text}")
    return host.strip("[]"), int(port)


def make_session(host, port, extra=None):
    """A session listening on host:port only; DHT, LSD, UPnP, NAT-PMP, uTP and encryption off."""
    listen = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    settings = {
        "listen_interfaces": listen,
        # A port in use is an error: by default libtorrent quietly takes one of the next ten, or any.
        "max_retry_port_bind": 0,
        "listen_system_port_fallback": False,
        "outgoing_interfaces": "",
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_outgoing_utp": False,
        "enable_incoming_utp": False,
        "enable_outgoing_tcp": True,
        "enable_incoming_tcp": True,
        "allow_multiple_connections_per_ip": True,
        "out_enc_policy": lt.enc_policy.disabled,
        "in_enc_policy": lt.enc_policy.disabled,
        "prefer_rc4": False,
        # Loopback peers are fine; without these libtorrent may refuse or delay them.
        "max_failcount": 100,
        "min_reconnect_time": 1,
        "peer_connect_timeout": 5,
        "anonymous_mode": False,
        "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification,
        "user_agent": "shoal-interop/libtorrent-" + lt.__version__,
    }
    settings.update(extra or {})
    session = lt.session(settings)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        session.wait_for_alert(200)
        for alert in session.pop_alerts():
            if isinstance(alert, lt.listen_failed_alert):
                raise RuntimeError(f"cannot listen on {listen}: {alert.message()}")
            if isinstance(alert, lt.listen_succeeded_alert):
                return session, session.listen_port()
    raise RuntimeError(f"no listen result for {listen} within 10 s")


def add_transport_args(parser):
    """--transport tcp|utp|both and --encryption disabled|enabled|forced, for transport_settings."""
    parser.add_argument("--transport", choices=["tcp", "utp", "both"], default="tcp",
                        help="which transports libtorrent dials and accepts (uTP is BEP 29)")
    parser.add_argument("--encryption", choices=["disabled", "enabled", "forced"], default="disabled",
                        help="MSE/PE: out_enc_policy and in_enc_policy; forced allows RC4 only, both ways")


def transport_settings(args):
    """libtorrent settings for add_transport_args's flags."""
    policy = {"disabled": lt.enc_policy.disabled, "enabled": lt.enc_policy.enabled,
              "forced": lt.enc_policy.forced}[args.encryption]
    tcp, utp = args.transport in ("tcp", "both"), args.transport in ("utp", "both")
    settings = {"out_enc_policy": policy, "in_enc_policy": policy,
                "enable_outgoing_tcp": tcp, "enable_incoming_tcp": tcp,
                "enable_outgoing_utp": utp, "enable_incoming_utp": utp}
    if args.encryption == "forced":
        settings.update({"allowed_enc_level": lt.enc_level.rc4, "prefer_rc4": True})
    return settings


# peer_info::utp_socket, which the Python binding of libtorrent 2.0.8 does not export: the bit after i2p_socket (16),
# itself after holepunched (15), which it does.
UTP_SOCKET = 1 << 17


class ConnectionKinds:
    """The kinds of connection libtorrent had with peers, e.g. 'utp+rc4' or 'tcp+plaintext', for the last line."""

    def __init__(self):
        self.seen = set()

    def sample(self, handle):
        for peer in handle.get_peer_info():
            if peer.flags & (lt.peer_info.handshake | lt.peer_info.connecting):
                continue  # encryption is not settled before the handshakes are over
            transport = "utp" if peer.flags & UTP_SOCKET else "tcp"
            if peer.flags & lt.peer_info.rc4_encrypted:
                crypto = "rc4"
            elif peer.flags & lt.peer_info.plaintext_encrypted:
                crypto = "obfuscated"
            else:
                crypto = "plaintext"
            self.seen.add(f"{transport}+{crypto}")

    def as_list(self):
        return sorted(self.seen)


HASH_MESSAGE = re.compile(r"(==>|<==) (HASH_REQUEST|HASHES|HASH_REJECT) ")
HASH_COUNTERS = {("==>", "HASH_REQUEST"): "hash_requests_sent", ("<==", "HASH_REQUEST"): "hash_requests_received",
                 ("==>", "HASHES"): "hashes_sent", ("<==", "HASHES"): "hashes_received",
                 ("==>", "HASH_REJECT"): "hash_rejects_sent", ("<==", "HASH_REJECT"): "hash_rejects_received"}


def hash_log_settings():
    """Peer log alerts on, for counting BEP 52 hash messages (see Alerts.hash_messages); chatty, so only when asked."""
    return {"alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification
            | lt.alert.category_t.peer_log_notification}


def everyone_in_global_class(session):
    """Peers on 127.0.0.0/8 fall into the 'local' class, which ignores rate limits; put every peer in 'global'."""
    rules = lt.ip_filter()
    rules.add_rule("0.0.0.0", "255.255.255.255", 1 << lt.session.global_peer_class_id)
    rules.add_rule("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1 << lt.session.global_peer_class_id)
    session.set_peer_class_filter(rules)


def dht_settings(bootstrap):
    """The DHT on, joined through the given HOST:PORT nodes, with every node on loopback allowed and announces every 5 s."""
    return {
        "enable_dht": True,
        "dht_bootstrap_nodes": ",".join(bootstrap),
        "dht_restrict_routing_ips": False,
        "dht_restrict_search_ips": False,
        "dht_announce_interval": 5,
        "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification | lt.alert.category_t.dht_notification,
    }


def add_torrent(session, torrent, save_path, dht=False):
    """torrent: a .torrent path, or a magnet link whose metadata libtorrent then fetches from peers (BEP 9)."""
    if torrent.startswith("magnet:"):
        params = lt.parse_magnet_uri(torrent)
    else:
        params = lt.add_torrent_params()
        params.ti = lt.torrent_info(torrent)
    params.save_path = os.path.abspath(save_path)
    # Not auto-managed and not paused: starts at once, outside the queue; no seed_mode, so existing data is checked.
    params.flags &= ~(lt.torrent_flags.auto_managed | lt.torrent_flags.paused)
    params.flags |= lt.torrent_flags.disable_lsd | lt.torrent_flags.disable_pex
    if not dht:
        params.flags |= lt.torrent_flags.disable_dht
    return session.add_torrent(params)


class Dialer:
    """Dials each peer, and again every few seconds while no connection to it is open."""

    def __init__(self, handle, peers, every=1.0):
        self.handle = handle
        self.peers = [endpoint(p) for p in peers]
        self.every = every
        self.last = 0.0

    def tick(self, status):
        # A peer dialed while the torrent still checks its files waits for libtorrent's next round.
        ready = status.state in (lt.torrent_status.downloading_metadata, lt.torrent_status.downloading,
                                 lt.torrent_status.finished, lt.torrent_status.seeding)
        if not self.peers or not ready or time.monotonic() - self.last < self.every:
            return
        self.last = time.monotonic()
        connected = {(p.ip[0], p.ip[1]) for p in self.handle.get_peer_info()}
        for peer in self.peers:
            if peer not in connected:
                self.handle.connect_peer(peer)


class Alerts:
    """Counts the alerts the scripts care about; fatal ones are kept as messages."""

    def __init__(self, session):
        self.session = session
        self.errors = []
        self.hash_failures = 0
        self.checked = False
        # BEP 52 messages libtorrent logged sending and receiving, when peer log alerts are on (hash_log_settings).
        self.hash_messages = {name: 0 for name in HASH_COUNTERS.values()}

    def drain(self, handle):
        for alert in self.session.pop_alerts():
            if isinstance(alert, lt.torrent_checked_alert):
                self.checked = True
            elif isinstance(alert, lt.hash_failed_alert):
                self.hash_failures += 1
            elif isinstance(alert, (lt.torrent_error_alert, lt.file_error_alert)):
                self.errors.append(alert.message())
            elif isinstance(alert, lt.peer_log_alert):
                found = HASH_MESSAGE.search(alert.message())
                if found:
                    self.hash_messages[HASH_COUNTERS[(found.group(1), found.group(2))]] += 1
        status = handle.status()
        if status.errc.value() != 0:
            self.errors.append(f"{status.errc.message()} (file index {status.error_file})")
        return status


def peak_rss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def rss_anon_kb():
    """Resident anonymous memory now; libtorrent maps files, and mapped pages count in VmHWM too."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
