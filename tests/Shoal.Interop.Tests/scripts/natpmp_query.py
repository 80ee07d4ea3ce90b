"""Asks a NAT-PMP gateway for its external address (RFC 6886 section 3.2), for the network lab's calibration.

natpmp_query.py --gateway ADDRESS [--timeout SECONDS]

Sends the two-byte request (version 0, opcode 0) to GATEWAY:5351, retrying with RFC 6886's doubling interval
from 250 ms until the timeout, and prints {"result": CODE, "epoch": SECONDS, "address": "A.B.C.D"} from the
12-byte answer (version 0, opcode 128, result code, seconds since the mapping table's epoch, address).
Exits 1 with {"error": ...} if no answer came.
"""

import argparse
import json
import socket
import struct
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    deadline = time.monotonic() + args.timeout
    wait = 0.25
    while time.monotonic() < deadline:
        sock.sendto(b"\x00\x00", (args.gateway, 5351))
        sock.settimeout(min(wait, max(0.01, deadline - time.monotonic())))
        try:
            answer, _ = sock.recvfrom(64)
        except socket.timeout:
            wait *= 2
            continue
        if len(answer) >= 12 and answer[0] == 0 and answer[1] == 128:
            result, epoch = struct.unpack("!HI", answer[2:8])
            print(json.dumps({"result": result, "epoch": epoch, "address": socket.inet_ntoa(answer[8:12])}), flush=True)
            return 0
    print(json.dumps({"error": f"no NAT-PMP answer from {args.gateway}:5351 in {args.timeout} s"}), flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
