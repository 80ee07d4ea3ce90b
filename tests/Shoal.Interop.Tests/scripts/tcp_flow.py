"""One bulk TCP flow for the network lab's tests (python3 standard library only).

Receiver: tcp_flow.py --listen PORT --seconds S [--bind ADDRESS]
    Prints {"listening": PORT} once bound, accepts one connection, then prints one JSON line a second,
    {"t": N, "bytes": B, "wall": W}: B bytes arrived in second N (1, 2, ...) counted from the accept, and W
    is the wall-clock time (Unix seconds) at the end of that second. It stops after S seconds or when the
    sender closes, and prints a summary {"summary": true, "seconds": ..., "bytes": ..., "mbps": ...}.

Sender: tcp_flow.py --connect HOST:PORT --seconds S [--congestion NAME]
    Sends as fast as the connection takes for S seconds, then closes and prints a summary
    {"summary": true, "seconds": ..., "bytes": ..., "mbps": ..., "congestion": NAME}. --congestion sets
    the socket's TCP congestion control (root may pick any the kernel has; others only the allowed ones).
"""

import argparse
import json
import select
import socket
import sys
import time


def emit(value):
    print(json.dumps(value), flush=True)


def congestion_of(sock):
    try:
        return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16).split(b"\0", 1)[0].decode()
    except OSError:
        return None


def receive(port, seconds, bind):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((bind, port))
    listener.listen(1)
    emit({"listening": port})
    connection, peer = listener.accept()
    listener.close()
    connection.setblocking(False)
    start = time.monotonic()
    total = 0
    second = 1
    in_second = 0
    buffer = bytearray(1 << 20)
    closed = False
    while second <= seconds and not closed:
        boundary = start + second
        wait = boundary - time.monotonic()
        if wait > 0:
            readable, _, _ = select.select([connection], [], [], wait)
            if readable:
                try:
                    count = connection.recv_into(buffer)
                except BlockingIOError:
                    continue
                if count == 0:
                    closed = True
                else:
                    in_second += count
                    total += count
                continue
        emit({"t": second, "bytes": in_second, "wall": round(time.time(), 3)})
        second += 1
        in_second = 0
    elapsed = time.monotonic() - start
    if closed and in_second:
        emit({"t": second, "bytes": in_second, "wall": round(time.time(), 3), "partial": True})
    connection.close()
    emit({"summary": True, "peer": f"{peer[0]}:{peer[1]}", "seconds": round(elapsed, 3), "bytes": total,
          "mbps": round(total * 8 / elapsed / 1e6, 3) if elapsed > 0 else 0.0, "closed": closed})


def send(target, seconds, congestion):
    host, _, port = target.rpartition(":")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if congestion:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, congestion.encode())
    sock.connect((host, int(port)))
    chunk = b"\0" * (256 * 1024)
    start = time.monotonic()
    end = start + seconds
    total = 0
    sock.settimeout(1.0)
    try:
        while time.monotonic() < end:
            try:
                total += sock.send(chunk)
            except socket.timeout:
                continue
    except (BrokenPipeError, ConnectionResetError):
        pass
    elapsed = time.monotonic() - start
    used = congestion_of(sock)
    sock.close()
    emit({"summary": True, "seconds": round(elapsed, 3), "bytes": total,
          "mbps": round(total * 8 / elapsed / 1e6, 3) if elapsed > 0 else 0.0, "congestion": used})


def main():
    parser = argparse.ArgumentParser(description="one bulk TCP flow: a receiver that reports each second, or a sender")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--listen", type=int, metavar="PORT")
    mode.add_argument("--connect", metavar="HOST:PORT")
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--bind", default="0.0.0.0", help="the receiver's address (default: all)")
    parser.add_argument("--congestion", help="the sender's TCP congestion control, e.g. cubic or reno")
    arguments = parser.parse_args()
    if arguments.listen is not None:
        receive(arguments.listen, arguments.seconds, arguments.bind)
    else:
        send(arguments.connect, arguments.seconds, arguments.congestion)
    return 0


if __name__ == "__main__":
    sys.exit(main())
