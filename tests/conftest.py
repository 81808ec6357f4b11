"""Shared fixtures: where the original MNIST files are, and a loopback HTTP server of mirrors."""

from __future__ import annotations

import http.server
import os
import socket
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _mnist_folder() -> Path | None:
    for candidate in (os.environ.get("MNIST_DIR"), ROOT.parent / "shared" / "data"):
        if candidate and all((Path(candidate) / name).is_file() for name in _names()):
            return Path(candidate)
    return None


def _names():
    from helpers.data import MNIST_FILES

    return list(MNIST_FILES)


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The folder with the four original files (MNIST_DIR, or ../shared/data). In CI it must exist."""
    folder = _mnist_folder()
    if folder is None:
        if os.environ.get("CI"):
            pytest.fail("CI must provide the MNIST files: set MNIST_DIR to a folder holding them.")
        pytest.skip("no local MNIST copy: set MNIST_DIR to run the MNIST tests")
    return folder


class _MirrorHandler(http.server.BaseHTTPRequestHandler):
    """Serves /good/NAME (the real bytes), /corrupt/NAME (one byte flipped, same length),
    /truncated/NAME (announces the full length, sends half, then closes) and 404 for the rest."""

    source: Path
    requests_seen: list

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        self.requests_seen.append(self.path)
        _, kind, name = (self.path.split("/", 2) + ["", ""])[:3]
        path = self.source / name
        if kind not in ("good", "corrupt", "truncated") or not name or not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        if kind == "corrupt":
            middle = len(body) // 2
            body = body[:middle] + bytes([body[middle] ^ 0xFF]) + body[middle + 1 :]
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if kind == "truncated" else body)
        self.wfile.flush()
        if kind == "truncated":
            self.close_connection = True

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def mirror_server(mnist_dir):
    """A real HTTP server on 127.0.0.1 serving the files of ``mnist_dir`` and broken variants.

    Yields an object with ``url(kind)`` -> base URL, ``dead_url`` (a port nobody listens on) and
    ``requests_seen`` (the paths asked for).
    """
    handler = type("Handler", (_MirrorHandler,), {"source": mnist_dir, "requests_seen": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with socket.socket() as probe:  # a port that was free a moment ago: connections are refused
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]

    class Mirrors:
        requests_seen = handler.requests_seen
        dead_url = f"http://127.0.0.1:{dead_port}/mnist/"

        @staticmethod
        def url(kind: str) -> str:
            return f"http://127.0.0.1:{server.server_address[1]}/{kind}/"

    yield Mirrors
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    """An empty per-user cache (XDG_CACHE_HOME in tmp) and no MNIST_DIR: the download path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("MNIST_DIR", raising=False)
    from helpers.data import mnist_cache_dir

    return mnist_cache_dir()
