"""A plain child command (no preset): the standard library's threaded WSGI server on the loopback port in argv[1]."""
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from reload_app import application


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


make_server('127.0.0.1', int(sys.argv[1]), application, ThreadingServer, QuietHandler).serve_forever()
