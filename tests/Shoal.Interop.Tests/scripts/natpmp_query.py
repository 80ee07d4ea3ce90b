"""A NAT-PMP client for the network lab's calibration (RFC 6886; python3 standard library only).

natpmp_query.py --gateway ADDRESS [--map tcp|udp --port PORT --lifetime SECONDS] [--timeout SECONDS]

Without --map, asks for the gateway's external address (section 3.2: version 0, opcode 0) and prints
{"result": CODE, "epoch": SECONDS, "address": "A.B.C.D"}. With --map, asks for PORT to be mapped to the same
port here for LIFETIME seconds (section 3.3: opcode 1 UDP or 2 TCP; lifetime 0 deletes the mapping) and prints
{"result": CODE, "epoch": SECONDS, "internal": PORT, "external": PORT, "lifetime": SECONDS}. Requests are sent to
GATEWAY:5351 and resent with RFC 6886's doubling interval from 250 ms until the timeout; exits 1 with
{"error": ...} if no answer came.
"""

import argparse
import json
import socket
import struct
import sys
import time

OPCODES = {"udp": 1, "tcp": 2}


def request(args):
    if args.map is None:
        return b"\x00\x00"
    return struct.pack("!BBHHHI", 0, OPCODES[args.map], 0, args.port, args.port, args.lifetime)


def parse(answer, opcode):
    if len(answer) < 8 or answer[0] != 0 or answer[1] != 128 + opcode:
        return None
    result, epoch = struct.unpack("!HI", answer[2:8])
    if opcode == 0 and len(answer) >= 12:
        return {"result": result, "epoch": epoch, "address": socket.inet_ntoa(answer[8:12])}
    if opcode != 0 and len(answer) >= 16:
        internal, external, lifetime = struct.unpack("!HHI", answer[8:16])
        return {"result": result, "epoch": epoch, "internal": internal, "external": external, "lifetime": lifetime}
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--map", choices=sorted(OPCODES))
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--lifetime", type=int, default=60)
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()
    opcode = 0 if args.map is None else OPCODES[args.map]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    deadline = time.monotonic() + args.timeout
    wait = 0.25
    while time.monotonic() < deadline:
        sock.sendto(request(args), (args.gateway, 5351))
        sock.settimeout(min(wait, max(0.01, deadline - time.monotonic())))
        try:
            answer, _ = sock.recvfrom(64)
        except socket.timeout:
            wait *= 2
            continue
        parsed = parse(answer, opcode)
        if parsed is not None:
            print(json.dumps(parsed), flush=True)
            return 0
    print(json.dumps({"error": f"no NAT-PMP answer from {args.gateway}:5351 in {args.timeout} s"}), flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
