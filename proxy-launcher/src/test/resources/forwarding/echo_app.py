"""The child of ForwardingIT, run by gunicorn's sync worker (-w 1): it answers what it received and counts requests.

/count          how many requests this worker has served before (plain number); the count itself is not counted
/echo           method, target, every HTTP_* header and CONTENT_LENGTH as KEY<TAB>VALUE lines, then the body's
                length and sha256 (the body is read in pieces, so a 1 GiB upload never sits in memory)
/bytes?n=N      N bytes (i % 251) with a Content-Length, written in 63 KiB pieces
/stream?n=K     K lines without a Content-Length (chunked by gunicorn), 0.2 s apart: a streaming response
/sleep?s=S      answers after S seconds
/status?code=C  an empty response with that status (204, 304 ...), plus a body gunicorn may or may not send
"""
import hashlib
import time
from urllib.parse import parse_qs

served = 0


def application(environ, start_response):
    global served
    path = environ.get("PATH_INFO", "")
    query = parse_qs(environ.get("QUERY_STRING", ""))
    if path == "/count":
        body = str(served).encode()
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]
    served += 1
    if path == "/echo":
        digest = hashlib.sha256()
        length = 0
        stream = environ["wsgi.input"]
        while True:
            piece = stream.read(1 << 20)
            if not piece:
                break
            length += len(piece)
            digest.update(piece)
        lines = ["METHOD\t" + environ["REQUEST_METHOD"],
                 "TARGET\t" + environ.get("RAW_URI", path)]
        for key in sorted(environ):
            if key.startswith("HTTP_") or key in ("CONTENT_LENGTH", "CONTENT_TYPE"):
                lines.append("%s\t%s" % (key, environ[key]))
        lines.append("BODY_LENGTH\t%d" % length)
        lines.append("BODY_SHA256\t" + digest.hexdigest())
        body = ("\n".join(lines) + "\n").encode("latin-1")
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]
    if path == "/bytes":
        n = int(query["n"][0])
        start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(n))])
        block = bytes(i % 251 for i in range(251 * 256))  # a whole number of periods: blocks join seamlessly

        def pieces():
            sent = 0
            while sent < n:
                piece = block[:min(len(block), n - sent)]
                sent += len(piece)
                yield piece
        return pieces()
    if path == "/stream":
        k = int(query.get("n", ["5"])[0])
        start_response("200 OK", [("Content-Type", "text/plain")])

        def lines():
            for i in range(k):
                yield ("line %d\n" % i).encode()
                time.sleep(0.2)
        return lines()
    if path == "/sleep":
        time.sleep(float(query["s"][0]))
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
        return [b"slept"]
    if path == "/status":
        code = int(query["code"][0])
        start_response("%d Whatever" % code, [("Content-Length", "5")] if code != 204 else [])
        return [b"extra"]
    body = b"fast\n"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
