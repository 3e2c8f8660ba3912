"""A load generator for the throughput bench, run in a process of its own:

    python -m tests.bench.load SOCKET SECONDS CLIENTS IDENTITIES PATH [HEADER ...]

keeps CLIENTS requests in flight against the gunicorn on the Unix socket SOCKET for SECONDS
and prints one JSON line: {"requests": completed, "seconds": elapsed, "statuses": {...}}.

One thread and non-blocking sockets, requests prepared as bytes, and no parsing beyond the
status line: the client must cost little beside the server it measures, since they share
the machine. Each request is a connection of its own (`Connection: close`, as a gunicorn
sync worker answers anyway). A header value may contain `{n}`, replaced by the request's
number modulo IDENTITIES, so that the load comes from many callers (distinct
X-Forwarded-For addresses, distinct tokens), each below its rate limit, as in production.
"""

import json
import selectors
import socket
import sys
import time


def _request(path: str, headers: list[str], n: int) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: testserver", "Connection: close"]
    lines += [h.replace("{n}", str(n)) for h in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def run(
    socket_path: str, seconds: float, clients: int, identities: int, path: str, headers: list[str]
) -> dict:
    selector = selectors.DefaultSelector()
    statuses: dict[str, int] = {}
    sent = 0
    templated = any("{n}" in h for h in headers)
    fixed = _request(path, headers, 0)

    def start() -> None:
        nonlocal sent
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(socket_path)  # a Unix socket accepts into the backlog at once
        sock.setblocking(False)
        payload = _request(path, headers, sent % identities) if templated else fixed
        sent += 1
        sock.send(payload)  # a few hundred bytes: the socket buffer takes them whole
        selector.register(sock, selectors.EVENT_READ, [])

    started = time.perf_counter()
    deadline = started + seconds
    for _ in range(clients):
        start()
    done = 0
    while True:
        for key, _mask in selector.select(timeout=1.0):
            sock, chunks = key.fileobj, key.data
            data = sock.recv(65536)
            if data:
                chunks.append(data)
                continue
            selector.unregister(sock)
            sock.close()
            head = b"".join(chunks)[:12]
            status = head[9:12].decode() if head.startswith(b"HTTP/") else "none"
            statuses[status] = statuses.get(status, 0) + 1
            done += 1
            if time.perf_counter() < deadline:
                start()
        if not selector.get_map():
            break
    return {"requests": done, "seconds": time.perf_counter() - started, "statuses": statuses}


if __name__ == "__main__":
    socket_path, seconds, clients, identities, path, *headers = sys.argv[1:]
    result = run(socket_path, float(seconds), int(clients), int(identities), path, headers)
    print(json.dumps(result), flush=True)
