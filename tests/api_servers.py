"""Bot API servers on loopback for the tests that run `quizbot` as a real subprocess: the
process under test reaches them over HTTP, as it would reach Telegram."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class QuietHandler(BaseHTTPRequestHandler):
    """A handler that answers JSON and keeps the test output clean."""

    def reply(self, status: int, payload: object) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


class RejectingApi(QuietHandler):
    """A Bot API that answers every method as Telegram answers a revoked token."""

    paths: list[str] = []

    def do_POST(self) -> None:
        self.paths.append(self.path)
        self.reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})

    do_GET = do_POST


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler], **state: object) -> Iterator[tuple[str, type]]:
    """Serve a fresh subclass of `handler` (with its own `state` attributes) on a free port;
    yields the server's URL and that subclass, whose attributes the requests update."""
    fresh = type("Handler", (handler,), dict(state))
    server = ThreadingHTTPServer(("127.0.0.1", 0), fresh)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", fresh
    finally:
        server.shutdown()
        server.server_close()
