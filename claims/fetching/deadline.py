"""A wall-clock deadline over a whole fetch, whatever the sender does.

Socket timeouts bound each read, not their sum: a server that sends its
headers or its body one byte a second answers every read in time and could
hold a worker for as long as it likes. The watchdog here shuts the current
connection's socket down when the deadline passes, so the read in progress
ends at once (an EOF the HTTP client reports as an error), and the fetcher
then reports "too slow" because ``fired`` is set.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Any

# After the deadline the socket is shut down again at this interval until the fetch ends:
# it covers the instant in which a TLS handshake swaps the raw socket for the wrapped one.
_REPEAT_SECONDS = 0.1


class Deadline:
    """Started when a fetch starts, stopped when it ends; ``watch`` names the connection in use."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.fired = False
        self._connection: Any = None
        self._sockets: list[socket.socket] = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fetch-deadline", daemon=True)

    def __enter__(self) -> Deadline:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def remaining(self) -> float:
        return self.at - time.monotonic()

    @property
    def passed(self) -> bool:
        return self.fired or self.remaining() <= 0

    def watch(self, connection: Any) -> None:
        """The urllib3 connection whose socket to shut down at the deadline (its ``sock`` may change).

        An HTTP/1.0 or ``Connection: close`` answer hands the socket over to the
        response and clears ``connection.sock``, so the socket is also held the
        moment the connection starts reading the answer.
        """
        self._connection = connection
        read_answer = connection.getresponse

        def getresponse(*args: Any, **kwargs: Any) -> Any:
            if connection.sock is not None:
                self._sockets.append(connection.sock)
            return read_answer(*args, **kwargs)

        connection.getresponse = getresponse

    def _run(self) -> None:
        if self._done.wait(max(0.0, self.remaining())):
            return
        self.fired = True
        while not self._done.is_set():
            for sock in (getattr(self._connection, "sock", None), *self._sockets):
                if sock is not None:
                    # The plain socket's shutdown, also for a TLS socket: it ends the read in
                    # progress from this thread without touching the TLS state the reader uses.
                    with contextlib.suppress(OSError):
                        socket.socket.shutdown(sock, socket.SHUT_RDWR)
            self._done.wait(_REPEAT_SECONDS)
