"""A small SMTP server for fault tests and the outbox bench: it accepts, hangs or is down.

    sink = SmtpSink().start()        # listens on a free port on 127.0.0.1, accepting mail
    sink.mode = "hang"               # new sessions get no greeting, open ones no answer
    sink.down(); sink.up()           # stop listening (connection refused), listen again
    sink.received                    # [(message_id, [recipients], time)] in arrival order
    sink.stop()

It runs an asyncio loop in a thread of the calling process. `python -m tests.faults.smtp_sink
PORT` runs one in its own process (the bench, so the sink's work does not share the
measuring process's interpreter) and prints how many mails it took when stopped.
"""

import asyncio
import contextlib
import re
import signal
import socket
import sys
import threading
import time
from collections import Counter

MESSAGE_ID = re.compile(rb"^message-id:[ \t]*(\S+)", re.IGNORECASE | re.MULTILINE)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Session(asyncio.Protocol):
    def __init__(self, sink: "SmtpSink"):
        self.sink = sink
        self.buffer = bytearray()
        self.in_data = False
        self.recipients: list[str] = []

    def connection_made(self, transport):
        self.transport = transport
        self.sink._sessions.add(transport)
        if self.sink.mode != "hang":
            transport.write(b"220 sink ESMTP ready\r\n")

    def connection_lost(self, exc):
        self.sink._sessions.discard(self.transport)

    def data_received(self, data: bytes):
        if self.sink.mode == "hang":
            return
        self.buffer += data
        while True:
            if self.in_data:
                end = self.buffer.find(b"\r\n.\r\n")
                if end < 0:
                    return
                self._message(bytes(self.buffer[:end]))
                del self.buffer[: end + 5]
                self.in_data = False
                continue
            end = self.buffer.find(b"\r\n")
            if end < 0:
                return
            line = bytes(self.buffer[:end])
            del self.buffer[: end + 2]
            self._command(line)

    def _command(self, line: bytes):
        verb = line[:4].upper()
        write = self.transport.write
        if verb == b"EHLO":
            write(b"250-sink\r\n250-8BITMIME\r\n250 SIZE 52428800\r\n")
        elif verb in (b"HELO", b"NOOP"):
            write(b"250 ok\r\n")
        elif verb == b"MAIL":
            self.recipients = []
            write(b"250 ok\r\n")
        elif verb == b"RCPT":
            self.recipients.append(line.partition(b":")[2].strip(b" <>").decode())
            write(b"250 ok\r\n")
        elif verb == b"DATA":
            self.in_data = True
            write(b"354 go ahead\r\n")
        elif verb == b"RSET":
            self.recipients = []
            write(b"250 ok\r\n")
        elif verb == b"QUIT":
            write(b"221 bye\r\n")
            self.transport.close()
        else:
            write(b"502 not implemented\r\n")

    def _message(self, content: bytes):
        headers = content.split(b"\r\n\r\n", 1)[0]
        found = MESSAGE_ID.search(headers)
        message_id, recipients = found.group(1).decode() if found else "", self.recipients

        def accept():
            if self.transport.is_closing():
                return  # dropped before the answer: the client never learns it was taken
            self.sink._record(message_id, recipients)
            self.transport.write(b"250 ok queued\r\n")

        if self.sink.delay:
            asyncio.get_running_loop().call_later(self.sink.delay, accept)
        else:
            accept()


class SmtpSink:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.mode = "accept"  # or "hang"
        self.delay = 0.0  # seconds before each mail is acknowledged (a slow server)
        self.received: list[tuple[str, list[str], float]] = []
        self._lock = threading.Lock()
        self._sessions: set = set()
        self._server = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    # Lifecycle ---------------------------------------------------------------------------

    def start(self) -> "SmtpSink":
        self._thread.start()
        self.up()
        return self

    def _call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)

    def up(self) -> None:
        """Listen (again) on the port and accept mail."""

        async def listen():
            if self._server is None:
                self._server = await self._loop.create_server(
                    lambda: _Session(self), "127.0.0.1", self.port, reuse_address=True
                )

        self.mode = "accept"
        self._call(listen())

    def down(self) -> None:
        """Stop listening and drop open sessions: connections are refused."""

        async def close():
            if self._server is not None:
                self._server.close()
                self._server = None
            for transport in list(self._sessions):
                transport.abort()

        self._call(close())

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.down()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    # What arrived ------------------------------------------------------------------------

    def _record(self, message_id: str, recipients: list[str]) -> None:
        with self._lock:
            self.received.append((message_id, list(recipients), time.time()))

    def counts(self) -> Counter:
        """How many times each Message-ID arrived."""
        with self._lock:
            return Counter(entry[0] for entry in self.received)

    def first_arrivals(self) -> dict[str, float]:
        """When each Message-ID first arrived (time.time())."""
        with self._lock:
            first: dict[str, float] = {}
            for message_id, _recipients, at in self.received:
                first.setdefault(message_id, at)
            return first

    def clear(self) -> None:
        with self._lock:
            self.received.clear()


def main(argv: list[str]) -> int:
    sink = SmtpSink(int(argv[0]) if argv else None).start()
    print(f"listening {sink.port}", flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    stopped.wait()
    print(f"received {len(sink.received)}", flush=True)
    sink.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
