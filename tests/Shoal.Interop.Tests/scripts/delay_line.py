"""The network lab's "internet": a forwarding relay that delays and drops packets (python3 standard library only).

delay_line.py --tun NAME --delay-ms D --loss P [--seed S]

The kernel here has no netem, so the lab's core namespace routes every packet it forwards between segments
into a TUN device (policy routing: `ip rule add iif SEGMENT lookup 100`, table 100 `default dev NAME`). This
program owns that device: it reads each packet, drops it with probability P, and writes it back after D
milliseconds. A packet written to a TUN device arrives as if received on it, and the rule does not match
`iif NAME`, so the kernel then forwards it by the main table to its destination. Every packet crosses the core
once per direction, so two namespaces see a round trip of 2 D and lose each packet with probability P per way.

The delay is the same for every packet, so a FIFO keeps them in order (no reordering, as on a real path).
Prints {"ready": NAME} once the device is up to be routed into, and on each SIGUSR1 a line
{"report": N, "forwarded": F, "dropped": X, "queued": Q} (N counting the reports, the rest packets so far) for
tests that measure the loss it applied.
Exits on SIGTERM.
"""

import argparse
import collections
import fcntl
import json
import os
import random
import select
import signal
import struct
import subprocess
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
QUEUE_LIMIT = 100_000  # packets: far above any test's bandwidth-delay product; beyond it the line drops, as a full queue would


def emit(value):
    print(json.dumps(value), flush=True)


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tun", required=True)
    parser.add_argument("--delay-ms", type=float, default=25.0)
    parser.add_argument("--loss", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    delay = args.delay_ms / 1000.0
    fd = open_tun(args.tun)
    subprocess.run(["ip", "link", "set", "dev", args.tun, "up"], check=True)
    queue = collections.deque()
    counts = {"forwarded": 0, "dropped": 0}
    report = []
    reports = 0
    signal.signal(signal.SIGUSR1, lambda *_: report.append(True))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    emit({"ready": args.tun})

    while True:
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, packet = queue.popleft()
            try:
                os.write(fd, packet)
                counts["forwarded"] += 1
            except OSError:
                counts["dropped"] += 1
        if report:
            report.clear()
            reports += 1
            emit({"report": reports, **counts, "queued": len(queue)})
        timeout = max(0.0, queue[0][0] - now) if queue else 0.5
        readable, _, _ = select.select([fd], [], [], timeout)
        if not readable:
            continue
        arrived = time.monotonic()
        while True:
            try:
                packet = os.read(fd, 65536)
            except BlockingIOError:
                break
            if rng.random() < args.loss or len(queue) >= QUEUE_LIMIT:
                counts["dropped"] += 1
            else:
                queue.append((arrived + delay, packet))


if __name__ == "__main__":
    main()
