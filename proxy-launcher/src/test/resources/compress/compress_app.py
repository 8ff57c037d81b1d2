"""The child of the compression tests: bodies of known content and type, one path per case."""

import gzip
import random
import time
from urllib.parse import parse_qs


def text(n, seed="front"):
    """n bytes of repetitive but not trivial text: compresses well, and any corruption shows."""
    line = "".join("%s %05d %s\n" % (seed, i, "lorem ipsum dolor sit amet"[: i % 27]) for i in range(200))
    return (line * (n // len(line) + 1))[:n].encode("ascii")


def application(environ, start_response):
    path = environ["PATH_INFO"]
    query = parse_qs(environ.get("QUERY_STRING", ""))
    n = int(query.get("n", ["20000"])[0])
    if path == "/json":
        body = b'{"items": "' + text(n) .replace(b"\n", b" ") + b'"}'
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                                  ("ETag", '"v1"'), ("Vary", "Cookie")])
        return [body]
    if path == "/html":
        body = b"<!doctype html><title>t</title><pre>" + text(n) + b"</pre>"
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))])
        return [body]
    if path == "/stream":
        chunks = int(query.get("chunks", ["3"])[0])
        pause = float(query.get("sleep", ["1"])[0])

        def pieces():
            for i in range(chunks):
                if i:
                    time.sleep(pause)
                yield text(4000, "chunk%d" % i)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return pieces()
    if path == "/noise":
        # Hex digits from a seeded generator: text that compresses only about half, so that a large body stays
        # large compressed and fills a slow client's buffers.
        generator = random.Random(n)

        def noise():
            for _ in range(n // 65536):
                yield b"%065536x" % generator.getrandbits(65536 * 4)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return noise()
    if path == "/tiny":
        body = text(100)
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]
    if path == "/png":
        body = b"\x89PNG\r\n\x1a\n" + text(n)
        start_response("200 OK", [("Content-Type", "image/png"), ("Content-Length", str(len(body)))])
        return [body]
    if path == "/encoded":
        body = gzip.compress(text(n), mtime=0)
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Encoding", "gzip"),
                                  ("Content-Length", str(len(body)))])
        return [body]
    if path == "/no-transform":
        body = text(n)
        start_response("200 OK", [("Content-Type", "text/plain"), ("Cache-Control", "public, no-transform"),
                                  ("Content-Length", str(len(body)))])
        return [body]
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"no such case\n"]
