"""Answers with the parts of its WSGI environ that forwarding headers can influence, as JSON.

Used by ForwardedHeadersIT as the child of the front: REMOTE_ADDR, wsgi.url_scheme, SERVER_PORT,
SCRIPT_NAME and every HTTP_* key show exactly what the WSGI server made of the headers it received.
"""
import json


def application(environ, start_response):
    keys = ("REMOTE_ADDR", "wsgi.url_scheme", "SERVER_PORT", "SCRIPT_NAME", "PATH_INFO")
    seen = {key: environ.get(key) for key in keys}
    seen.update({key: value for key, value in environ.items() if key.startswith("HTTP_")})
    body = json.dumps(seen, sort_keys=True).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
