"""A minimal STUN server for the network lab (python3 standard library only).

stun_server.py --bind ADDRESS --port PORT

Answers every Binding request (RFC 5389 section 6: type 0x0001, magic cookie 0x2112A442) with a Binding success
response (0x0101) carrying the request's transaction id, MAPPED-ADDRESS (0x0001, RFC 3489) and
XOR-MAPPED-ADDRESS (0x0020, RFC 5389 section 15.2) of the address and port the request came from. Prints
{"listening": PORT} once bound, then a line {"answered": "HOST:PORT"} per answer.

Why this one and not a real server: the lab's routers run miniupnpd with `ext_perform_stun=yes`, so it learns
its external address (its WAN address is in 198.51.100.0/24, a reserved range, where it otherwise refuses to map
ports). miniupnpd's perform_stun (upnpstun.c) sends four requests from four sockets, three with a CHANGE-REQUEST
attribute (RFC 3489's change IP and/or change port), and counts the NAT as restrictive (port forwarding
disabled) unless all four answers arrive, from the address it asked, mapping each socket to its own port. A
classic RFC 3489 server answers change requests from another address, which the router's own firewall (rightly)
drops as unsolicited; this server ignores CHANGE-REQUEST (RFC 5389 drops it too) and answers all four from the
address asked, so miniupnpd concludes that its WAN address is public and unfiltered, as for a router whose WAN
address really is public.
"""

import argparse
import json
import socket
import struct

MAGIC = 0x2112A442
BINDING_REQUEST = 0x0001
BINDING_RESPONSE = 0x0101
MAPPED_ADDRESS = 0x0001
XOR_MAPPED_ADDRESS = 0x0020


def emit(value):
    print(json.dumps(value), flush=True)


def address_attribute(kind, port, address):
    # Reserved byte, family 1 (IPv4), port, address: RFC 5389 section 15.1.
    return struct.pack("!HHBBH4s", kind, 8, 0, 1, port, address)


def answer(request, source):
    if len(request) < 20:
        return None
    kind, length, cookie = struct.unpack("!HHI", request[:8])
    if kind != BINDING_REQUEST or cookie != MAGIC or 20 + length > len(request):
        return None
    transaction = request[8:20]
    host, port = source
    address = socket.inet_aton(host)
    xor_address = struct.pack("!I", struct.unpack("!I", address)[0] ^ MAGIC)
    attributes = address_attribute(MAPPED_ADDRESS, port, address) + address_attribute(XOR_MAPPED_ADDRESS, port ^ (MAGIC >> 16), xor_address)
    return struct.pack("!HHI", BINDING_RESPONSE, len(attributes), MAGIC) + transaction + attributes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bind", required=True)
    parser.add_argument("--port", type=int, default=3478)
    args = parser.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((args.bind, args.port))
    emit({"listening": args.port})
    while True:
        request, source = sock.recvfrom(2048)
        response = answer(request, source)
        if response is not None:
            sock.sendto(response, source)
            emit({"answered": f"{source[0]}:{source[1]}"})


if __name__ == "__main__":
    main()
