"""A WSGI app that answers downloads by naming the file in X-Accel-Redirect, as a Django view behind nginx would."""
from urllib.parse import parse_qs


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    query = parse_qs(environ.get("QUERY_STRING", ""))
    if path == "/download":
        start_response("200 OK", [("Content-Type", "application/pdf"),
                                  ("Content-Disposition", 'attachment; filename="report.pdf"'),
                                  ("Cache-Control", "private, max-age=0"),
                                  ("X-Accel-Redirect", query["file"][0]),
                                  ("Content-Length", "22")])
        return [b"the front serves this?"]
    body = ("app answered " + environ["REQUEST_METHOD"] + " " + path + "\n").encode()
    start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
