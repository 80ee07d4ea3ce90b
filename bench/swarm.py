"""Swarm efficiency: one seeder and N leechers on 127.0.0.1, every peer's upload capped, for Shoal and libtorrent.

Run through bench/swarm.sh (which builds Shoal and sets the environment); see there for the variables.
For each client and each leecher count: the leechers start first (each told of every other with --peer/--connect)
and wait; the seeder starts, checks its data and dials every leecher. Times count from the seeder's ready line
to each leecher's verified, durable completion (Shoal's get prints its path once the files are flushed; lt_get.py
--fsync fsyncs them before its finished line). efficiency = (size / cap) / last completion: 1.0 means the swarm moved the
file as fast as the seeder's capped upload can send it once. The seeder's upload is its payload bytes as it reports
them when stopped (libtorrent's total_payload_upload; Shoal's last status line, to 0.1 MiB).
"""
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPTS = os.path.join(ROOT, "tests", "Shoal.Interop.Tests", "scripts")
PY = "/usr/bin/python3"
SHOAL = os.environ.get("SHOAL") or os.path.join(ROOT, ".build", "shoal", "shoal")
TICKS = os.sysconf("SC_CLK_TCK")


def env_int(name, default):
    return int(os.environ.get(name, default))


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def accepts(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class Process:
    """A child process whose stdout lines are read as they come, each with the time it arrived."""

    def __init__(self, name, args, env, log_dir):
        self.name = name
        self.lines = []
        self.stderr = open(os.path.join(log_dir, f"{name}.err"), "w")
        self.proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=self.stderr, text=True,
                                     start_new_session=True)
        self.cpu = 0.0
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    def first(self, predicate):
        for at, line in list(self.lines):
            if predicate(line):
                return at, line
        return None

    def sample_cpu(self):
        try:
            with open(f"/proc/{self.proc.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            self.cpu = (int(fields[11]) + int(fields[12])) / TICKS
        except (OSError, IndexError):
            pass

    def stop(self):
        if self.proc.poll() is None:
            self.sample_cpu()
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.reader.join(5)
        if not self.stderr.closed:
            self.stderr.close()


def shoal_env(state):
    env = dict(os.environ)
    env.update({
        "SHOAL_DATA_DIR": state,
        "SHOAL_CONFIG_DIR": state,
        "SHOAL_Dht__Bootstrap": "none",
        # Every peer is 127.0.0.1: the default of 4 connections per address would cut the mesh.
        "SHOAL_Net__MaxConnectionsPerAddress": "256",
    })
    return env


SHOAL_FLAGS = ["--no-dht", "--no-lsd", "--no-port-mapping", "--no-utp", "--encryption", "disable", "--listen", "127.0.0.1"]


def start_leecher(client, i, torrent, work, port, others, cap, timeout):
    folder = os.path.join(work, f"leech{i}")
    os.makedirs(folder, exist_ok=True)
    peers = [f"127.0.0.1:{p}" for p in others]
    if client == "shoal":
        args = [SHOAL, "get", torrent, "-o", folder, "--seed", "--port", str(port), "--max-up", str(cap), *SHOAL_FLAGS]
        args += [a for p in peers for a in ("--peer", p)]
        return Process(f"leech{i}", args, shoal_env(os.path.join(folder, ".state")), work)
    args = [PY, os.path.join(SCRIPTS, "lt_get.py"), torrent, folder, "--port", str(port), "--upload-limit", str(cap),
            "--keep-seeding", "--fsync", "--timeout", str(timeout)]
    args += [a for p in peers for a in ("--connect", p)]
    return Process(f"leech{i}", args, dict(os.environ), work)


def start_seeder(client, torrent, content, work, port, leechers, cap):
    peers = [f"127.0.0.1:{p}" for p in leechers]
    if client == "shoal":
        args = [SHOAL, "share", content, "--torrent", torrent, "--port", str(port), "--max-up", str(cap), *SHOAL_FLAGS]
        args += [a for p in peers for a in ("--peer", p)]
        env = shoal_env(os.path.join(work, "seeder-state"))
        # Initial seeding (BEP 16) is opt-in; this bench measures the seeder with it, as the target asks.
        env["SHOAL_Seeding__InitialSeeding"] = "true"
        return Process("seeder", args, env, work)
    args = [PY, os.path.join(SCRIPTS, "lt_seed.py"), torrent, os.path.dirname(content), "--port", str(port),
            "--upload-limit", str(cap)]
    args += [a for p in peers for a in ("--connect", p)]
    return Process("seeder", args, dict(os.environ), work)


def is_ready(client, line):
    return line.startswith("listening on") if client == "shoal" else '"event": "seeding"' in line


def is_done(client, line):
    return line.startswith("/") if client == "shoal" else '"event": "finished"' in line


UNITS = {"B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}


def seeder_uploaded(client, seeder):
    """Payload bytes the stopped seeder sent: libtorrent's total_payload_upload, Shoal's last status line (0.1 MiB steps)."""
    with open(seeder.stderr.name) as f:
        status_lines = f.read().splitlines()
    for line in reversed([line for _, line in seeder.lines] + status_lines):
        if client == "libtorrent" and '"event": "stopped"' in line:
            return json.loads(line)["total_payload_upload"]
        if client == "shoal" and " uploaded " in line:
            number, unit = line.rsplit(" uploaded ", 1)[1].split(" · ")[0].split()
            return int(float(number) * UNITS[unit])
    raise RuntimeError(f"{client}: the seeder did not say what it uploaded")


def load_average():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def run(client, leechers, size, cap, torrent, content, base):
    """client: shoal, libtorrent, or SEEDER:LEECHERS (e.g. shoal:libtorrent, a Shoal seeder of libtorrent leechers)."""
    seeding, leeching = client.split(":") if ":" in client else (client, client)
    work = tempfile.mkdtemp(prefix=f"{client.replace(':', '-')}-{leechers}-", dir=base)
    ideal = size / cap
    timeout = int(ideal * 6 + 120)
    ports = free_ports(leechers + 1)
    seeder_port, leecher_ports = ports[0], ports[1:]
    procs = []
    try:
        for i, port in enumerate(leecher_ports):
            others = [p for p in leecher_ports if p != port]
            procs.append(start_leecher(leeching, i, torrent, work, port, others, cap, timeout))
        deadline = time.monotonic() + 120
        while not all(accepts(p) for p in leecher_ports):
            if time.monotonic() > deadline or any(p.proc.poll() is not None for p in procs):
                raise RuntimeError(f"{client}: the leechers did not all start listening (logs in {work})")
            time.sleep(0.1)
        load_before = load_average()
        seeder = start_seeder(seeding, torrent, content, work, seeder_port, leecher_ports, cap)
        deadline = time.monotonic() + 120
        while (ready := seeder.first(lambda line: is_ready(seeding, line))) is None:
            if time.monotonic() > deadline or seeder.proc.poll() is not None:
                raise RuntimeError(f"{client}: the seeder did not start (logs in {work})")
            time.sleep(0.02)
        t0 = ready[0]
        # CPU from here on: the leechers' start-up (before the seeder was ready) is not part of the transfer.
        for p in procs + [seeder]:
            p.sample_cpu()
        cpu_at_start = {p: p.cpu for p in procs + [seeder]}
        deadline = t0 + timeout
        done = {}
        while len(done) < leechers and time.monotonic() < deadline:
            for i, p in enumerate(procs):
                if i not in done and (hit := p.first(lambda line: is_done(leeching, line))) is not None:
                    done[i] = hit[0] - t0
                    p.sample_cpu()
            if any(p.proc.poll() is not None for i, p in enumerate(procs) if i not in done):
                break
            time.sleep(0.02)
        seeder.stop()
        uploaded = seeder_uploaded(seeding, seeder)
        load_after = load_average()
        cpu_used = {p: p.cpu - at_start for p, at_start in cpu_at_start.items()}
        cpu = sum(cpu_used.values())
        wall = max(done.values()) if done else timeout
        if len(done) < leechers:
            missing = [i for i in range(leechers) if i not in done]
            raise RuntimeError(f"{client}: leechers {missing} did not finish within {timeout} s (logs in {work})")
        last = max(done.values())
        return {
            "status": "ok", "client": client, "leechers": leechers, "size_bytes": size, "cap_bytes_per_s": cap,
            "ideal_s": round(ideal, 3), "last_completion_s": round(last, 3), "efficiency": round(ideal / last, 3),
            "seeder_uploaded_bytes": uploaded, "seeder_upload_ratio": round(uploaded / size, 3),
            "completion_s": [round(done[i], 3) for i in range(leechers)],
            "cpu_seconds": round(cpu, 1), "cpu_share_of_2_cores": round(cpu / (2 * wall), 2),
            "seeder_cpu_seconds": round(cpu_used[seeder], 2),
            "leecher_cpu_seconds": [round(cpu_used[p], 2) for p in procs],
            "load_average": [load_before, load_after],
        }
    finally:
        for p in procs + ([seeder] if "seeder" in locals() else []):
            p.stop()
        if os.environ.get("KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)


def make_content(path, size):
    digest = hashlib.sha256()
    with open(path, "wb") as f:
        left = size
        while left > 0:
            chunk = os.urandom(min(left, 1 << 20))
            digest.update(chunk)
            f.write(chunk)
            left -= len(chunk)


def main():
    quick = os.environ.get("QUICK") == "1"
    counts = [int(n) for n in os.environ.get("LEECHERS", "4" if quick else "8 32").split()]
    size = env_int("SIZE_MIB", 8 if quick else 64) * 1024 * 1024
    cap = env_int("CAP", 4_000_000)
    piece = env_int("PIECE_KIB", 0) * 1024
    clients = os.environ.get("CLIENTS", "shoal libtorrent").split()
    base = tempfile.mkdtemp(prefix="shoal-swarm.", dir=os.environ.get("SWARM_DIR", "/var/tmp"))
    try:
        content = os.path.join(base, "src", "swarm.bin")
        os.makedirs(os.path.dirname(content))
        make_content(content, size)
        torrent = os.path.join(base, "swarm.torrent")
        subprocess.run([PY, os.path.join(SCRIPTS, "lt_create.py"), content, str(piece), "v1", torrent], check=True,
                       stdout=subprocess.DEVNULL)
        runs = []
        print(f"swarm: {size / 2**20:.0f} MiB, every upload capped at {cap} B/s, ideal {size / cap:.2f} s; "
              f"files under {base}", flush=True)
        print(f"{'client':<11} {'leechers':>8} {'last s':>8} {'efficiency':>10} {'seeder sent':>11} {'CPU/2 cores':>11} {'load':>11}", flush=True)
        for leechers in counts:
            for client in clients:
                try:
                    r = run(client, leechers, size, cap, torrent, content, base)
                except RuntimeError as error:
                    print(f"{client:<11} {leechers:>8} failed: {error}", flush=True)
                    # The report's contract: a failed run is an entry saying so, its figures null.
                    runs.append({"status": "failed", "error": str(error), "client": client, "leechers": leechers,
                                 "size_bytes": size, "cap_bytes_per_s": cap, "ideal_s": round(size / cap, 3),
                                 **dict.fromkeys(["last_completion_s", "efficiency", "seeder_uploaded_bytes",
                                                  "seeder_upload_ratio"]), "completion_s": []})
                    continue
                runs.append(r)
                print(f"{client:<11} {leechers:>8} {r['last_completion_s']:>8.2f} {r['efficiency']:>10.3f} "
                      f"{r['seeder_upload_ratio']:>10.3f}x {r['cpu_share_of_2_cores']:>11.2f} "
                      f"{r['load_average'][0]:>5.1f}/{r['load_average'][1]:<5.1f}", flush=True)
        if os.environ.get("RESULTS"):
            with open(os.environ["RESULTS"], "w", encoding="utf-8") as f:
                json.dump({"runs": runs}, f)
        return 0 if all(r["status"] == "ok" for r in runs) else 1
    finally:
        if os.environ.get("KEEP") != "1":
            shutil.rmtree(base, ignore_errors=True)


sys.exit(main())
