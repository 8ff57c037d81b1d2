"""A WSGI app that needs nothing but Python's standard library.

`front` runs it as its child: the front picks a loopback port and passes it in $PORT (or as {port} in the
command). Run by hand: `python3 app.py 8000`.
"""
import hashlib
import json
import os
import sys
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


def application(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    if path == "/upload":
        # Reads the whole body and answers its size and sha256, so a test can check nothing was lost.
        length = int(environ.get("CONTENT_LENGTH") or 0)
        digest = hashlib.sha256()
        remaining = length
        stream = environ["wsgi.input"]
        while remaining > 0:
            chunk = stream.read(min(65536, remaining))
            if not chunk:
                break
            digest.update(chunk)
            remaining -= len(chunk)
        body = json.dumps({"length": length - remaining, "sha256": digest.hexdigest()}).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]
    if path == "/bytes":
        # /bytes?n=N answers N deterministic bytes (the pattern 0..255 repeated).
        n = int((environ.get("QUERY_STRING") or "n=0").split("=", 1)[1])
        block = bytes(range(256)) * 256
        def body():
            left = n
            while left > 0:
                piece = block[: min(len(block), left)]
                left -= len(piece)
                yield piece
        start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(n))])
        return body()
    if path == "/environ":
        keys = sorted(k for k in environ if k.isupper() or k == "wsgi.url_scheme")
        body = json.dumps({k: environ[k] for k in keys}, indent=1).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]
    body = (
        "<!doctype html><title>hello</title>"
        "<link rel=stylesheet href=/static/style.css>"
        "<h1>Hello from a WSGI app behind front</h1>"
        "<p>This page came from Python; the stylesheet came from the front.</p>\n"
    ).encode()
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


class QuietHandler(WSGIRequestHandler):
    # HTTP/1.1 so the front may keep the connection alive between requests.
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        sys.stderr.write("app: %s %s\n" % (self.address_string(), format % args))


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("PORT", "8000"))
    with make_server("127.0.0.1", port, application, WSGIServer, QuietHandler) as server:
        server.serve_forever()
