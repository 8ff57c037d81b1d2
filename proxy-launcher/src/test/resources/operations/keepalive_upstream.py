"""An HTTP/1.1 server that keeps its connections alive, for OperationsIT: argv[1] is the port. Every GET gets 200."""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class KeepAlive(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = b"kept alive\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), KeepAlive).serve_forever()
