"""Answers the port of the connection the request came on, so a test can count the child connections used."""
import time


def application(environ, start_response):
    time.sleep(0.05)  # long enough for the streams of one round to overlap
    body = ("port=%s\n" % environ.get("REMOTE_PORT")).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
