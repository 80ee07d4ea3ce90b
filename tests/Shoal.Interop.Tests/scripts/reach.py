"""Who reaches whom in the network lab, and as which address (python3 standard library only).

reach.py serve --bind ADDRESS --port PORT
    Listens on TCP and UDP PORT; prints {"listening": PORT}, then for each TCP connection or UDP datagram a
    line {"tcp"|"udp": "HOST:PORT"} naming the source it came from, and answers it with that same text.

reach.py connect --to HOST:PORT --proto tcp|udp [--timeout SECONDS]
    Connects (TCP) or sends one datagram and waits for the answer (UDP; resent every 500 ms, as the lab drops
    some packets), then prints {"outcome": "answered", "seen_as": "HOST:PORT"}, or {"outcome": "refused"} when
    a reset or an ICMP unreachable came back, or {"outcome": "timeout"} when nothing came back at all: what a
    router that silently drops unsolicited packets gives.
"""

import argparse
import json
import select
import socket
import time


def emit(value):
    print(json.dumps(value), flush=True)


def serve(bind, port):
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind((bind, port))
    tcp.listen(16)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind((bind, port))
    emit({"listening": port})
    while True:
        readable, _, _ = select.select([tcp, udp], [], [])
        if tcp in readable:
            connection, (host, source_port) = tcp.accept()
            seen = f"{host}:{source_port}"
            emit({"tcp": seen})
            connection.sendall(seen.encode() + b"\n")
            connection.close()
        if udp in readable:
            _, (host, source_port) = udp.recvfrom(2048)
            seen = f"{host}:{source_port}"
            emit({"udp": seen})
            udp.sendto(seen.encode(), (host, source_port))


def connect_tcp(host, port, timeout):
    try:
        with socket.create_connection((host, port), timeout=timeout) as connection:
            connection.settimeout(timeout)
            return {"outcome": "answered", "seen_as": connection.makefile().readline().strip()}
    except (socket.timeout, TimeoutError):
        return {"outcome": "timeout"}
    except (ConnectionRefusedError, OSError) as error:
        return {"outcome": "refused", "error": str(error)}


def connect_udp(host, port, timeout):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.connect((host, port))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            sock.send(b"hello")
            readable, _, _ = select.select([sock], [], [], min(0.5, max(0.0, deadline - time.monotonic())))
            if readable:
                return {"outcome": "answered", "seen_as": sock.recv(2048).decode()}
        except ConnectionRefusedError as error:
            return {"outcome": "refused", "error": str(error)}
    return {"outcome": "timeout"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["serve", "connect"])
    parser.add_argument("--bind", default="0.0.0.0")
    parser.add_argument("--port", type=int)
    parser.add_argument("--to")
    parser.add_argument("--proto", choices=["tcp", "udp"], default="tcp")
    parser.add_argument("--timeout", type=float, default=5.0)
    args = parser.parse_args()
    if args.mode == "serve":
        serve(args.bind, args.port)
    host, port = args.to.rsplit(":", 1)
    connect = connect_tcp if args.proto == "tcp" else connect_udp
    emit(connect(host, int(port), args.timeout))


if __name__ == "__main__":
    main()
