#!/usr/bin/env python3
"""The HTTP side of bench/node/run.sh: calls a node's API on 127.0.0.1 over one keep-alive connection,
times them, and reads the event stream curl saved. Each command prints one JSON object.

usage: node_api.py PORT TOKEN COMMAND ARGS...
  add-shares LIST_FILE          POST {"share": path} for each line; total and per-add times
  time PATH RUNS                GET PATH RUNS times after 2 not counted; median/min/max ms and bytes
  wait-answer TIMEOUT           seconds until GET /api/v1/stats answers 200
  wait-state STATE COUNT TIMEOUT  seconds until the list has at least COUNT torrents in STATE
  magnets PREFIX PEER           the magnets of the torrents whose name starts with PREFIX, each with x.pe=PEER
  add-magnets FILE              POST {"magnet"} for each line
  sse-window FILE SECONDS       waits for the snapshot in FILE (curl's output), then counts what arrives in SECONDS
"""
import http.client
import json
import statistics
import sys
import time


class Api:
    def __init__(self, port, token):
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}", "Host": f"127.0.0.1:{port}"}
        self.connection = None

    def request(self, method, path, body=None):
        """Returns (status, body bytes); reconnects once if the kept-alive connection was closed."""
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            headers = dict(self.headers)
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
            try:
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                return response.status, response.read()
            except (ConnectionError, http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def json(self, method, path, body=None):
        status, data = self.request(method, path, body)
        if status >= 300:
            raise SystemExit(f"{method} {path}: {status} {data[:300]!r}")
        return json.loads(data)

    def states(self):
        torrents = self.json("GET", "/api/v1/torrents?perPage=1000")["torrents"]
        counts = {}
        for t in torrents:
            counts[t["state"]] = counts.get(t["state"], 0) + 1
        return counts


def add_shares(api, list_file):
    paths = [line.strip() for line in open(list_file) if line.strip()]
    each = []
    start = time.monotonic()
    for path in paths:
        t0 = time.monotonic()
        status, data = api.request("POST", "/api/v1/torrents", {"share": path})
        each.append(time.monotonic() - t0)
        if status != 201:
            raise SystemExit(f"share {path}: {status} {data[:300]!r}")
    total = time.monotonic() - start
    return {"added": len(paths), "seconds": round(total, 2), "median_ms": ms(statistics.median(each)),
            "first_100_median_ms": ms(statistics.median(each[:100])), "last_100_median_ms": ms(statistics.median(each[-100:])),
            "max_ms": ms(max(each))}


def time_get(api, path, runs):
    for _ in range(2):
        api.request("GET", path)
    each = []
    size = 0
    for _ in range(runs):
        t0 = time.monotonic()
        status, data = api.request("GET", path)
        each.append(time.monotonic() - t0)
        if status != 200:
            raise SystemExit(f"GET {path}: {status}")
        size = len(data)
    return {"median_ms": ms(statistics.median(each)), "min_ms": ms(min(each)), "max_ms": ms(max(each)), "bytes": size}


def wait_answer(api, timeout):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if api.request("GET", "/api/v1/stats")[0] == 200:
                return {"seconds": round(time.monotonic() - start, 2)}
        except OSError:
            pass
        time.sleep(0.02)
    raise SystemExit(f"the API did not answer in {timeout} s")


def wait_state(api, state, count, timeout):
    start = time.monotonic()
    counts = {}
    while time.monotonic() - start < timeout:
        counts = api.states()
        if counts.get(state, 0) >= count:
            return {"seconds": round(time.monotonic() - start, 2), "states": counts}
        time.sleep(0.2)
    raise SystemExit(f"after {timeout} s: {counts}, not {count} {state}")


def magnets(api, prefix, peer):
    torrents = api.json("GET", "/api/v1/torrents?perPage=1000&sort=name")["torrents"]
    return {"magnets": [t["magnet"] + "&x.pe=" + peer for t in torrents if t["name"].startswith(prefix)]}


def add_magnets(api, file):
    links = [line.strip() for line in open(file) if line.strip()]
    for link in links:
        status, data = api.request("POST", "/api/v1/torrents", {"magnet": link})
        if status != 201:
            raise SystemExit(f"magnet: {status} {data[:300]!r}")
    return {"added": len(links)}


def sse_window(file, seconds):
    """The snapshot is the first event; the window starts when it has fully arrived."""
    deadline = time.monotonic() + 60
    while True:
        data = open(file, "rb").read()
        start = data.find(b"event: snapshot\n")
        end = data.find(b"\n\n", start) if start >= 0 else -1
        if end >= 0:
            break
        if time.monotonic() > deadline:
            raise SystemExit("no snapshot within 60 s")
        time.sleep(0.01)
    t0 = time.monotonic()
    offset = end + 2
    time.sleep(seconds)
    window = open(file, "rb").read()
    elapsed = time.monotonic() - t0
    after = window[offset:]
    # Count whole events only; a partial one at the end is in the bytes but not in the counts.
    events = {}
    for frame in after.split(b"\n\n")[:-1]:
        kind = "comment" if frame.startswith(b":") else frame.split(b"\n", 1)[0].removeprefix(b"event: ").decode()
        events.setdefault(kind, [0, 0])
        events[kind][0] += 1
        events[kind][1] += len(frame) + 2
    return {"snapshot_bytes": offset - start, "seconds": round(elapsed, 2), "bytes": len(after),
            "bytes_per_second": round(len(after) / elapsed),
            "events": {k: {"count": c, "bytes": b} for k, (c, b) in sorted(events.items())}}


def ms(seconds):
    return round(seconds * 1000, 1)


def main(argv):
    if len(argv) < 4:
        raise SystemExit(__doc__)
    port, token, command, args = int(argv[1]), argv[2], argv[3], argv[4:]
    api = Api(port, token)
    if command == "add-shares":
        result = add_shares(api, args[0])
    elif command == "time":
        result = time_get(api, args[0], int(args[1]))
    elif command == "wait-answer":
        result = wait_answer(api, float(args[0]))
    elif command == "wait-state":
        result = wait_state(api, args[0], int(args[1]), float(args[2]))
    elif command == "magnets":
        result = magnets(api, args[0], args[1])
    elif command == "add-magnets":
        result = add_magnets(api, args[0])
    elif command == "sse-window":
        result = sse_window(args[0], float(args[1]))
    else:
        raise SystemExit(__doc__)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv)
