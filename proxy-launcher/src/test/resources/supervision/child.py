"""A scripted child for SupervisionIT: an HTTP server on $PORT whose behaviour the test picks with KEY=VALUE args.

  on-term=exit:N      exit with status N on SIGTERM          on-term=signal:N  die of signal N on SIGTERM
  on-term=ignore      ignore SIGTERM                         signals=FILE      append relayed signal names to FILE
  orphans=N           leave N grandchildren (sleep 0.3) orphaned at start
  crash-once=MARKER   the first run (MARKER absent) serves for 1.5 s, then exits with status 1
  tag=TEXT            put TEXT in every response, so the test knows it reached its own child
  port=N              listen on N rather than $PORT (the test passes {port}, filled in by the front)
  leak-once=DIR       the first run (DIR/leaked-pid absent) forks a grandchild that leaves the child's session and
                      keeps the listening socket open (sleeping up to 120 s), its pid in DIR/leaked-pid: a leaked
                      worker that still holds the port after the child is gone
GET /slow?ms=N answers after N milliseconds (requests are served on threads, concurrently).
"""
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse

opts = dict(arg.split("=", 1) for arg in sys.argv[1:])

on_term = opts.get("on-term", "exit:0")
if on_term == "ignore":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
elif on_term.startswith("exit:"):
    code = int(on_term[5:])
    signal.signal(signal.SIGTERM, lambda n, f: os._exit(code))
elif on_term.startswith("signal:"):
    number = int(on_term[7:])

    def die(n, f):
        if number not in (signal.SIGKILL, signal.SIGSTOP):  # those two cannot (and need not) be reset
            signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)

    signal.signal(signal.SIGTERM, die)

if "signals" in opts:
    def record(n, f):
        with open(opts["signals"], "a") as out:
            out.write(signal.Signals(n).name + "\n")

    for name in ("SIGHUP", "SIGUSR1", "SIGTTIN", "SIGTTOU", "SIGWINCH"):
        signal.signal(getattr(signal, name), record)

if "orphans" in opts:
    # the shell exits at once: its background sleeps are orphaned and re-parent to the front
    subprocess.run(["/bin/sh", "-c", "i=0; while [ $i -lt %d ]; do sleep 0.3 & i=$((i+1)); done" % int(opts["orphans"])])

if "crash-once" in opts and not os.path.exists(opts["crash-once"]):
    open(opts["crash-once"], "w").close()
    threading.Timer(1.5, lambda: os._exit(1)).start()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/slow":
            time.sleep(int(urllib.parse.parse_qs(url.query)["ms"][0]) / 1000)
        body = ("pid=%d port=%d tag=%s\n" % (os.getpid(), server.server_address[1], opts.get("tag", ""))).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", int(opts.get("port", os.environ["PORT"]))), Handler)

if "leak-once" in opts and not os.path.exists(os.path.join(opts["leak-once"], "leaked-pid")):
    if os.fork() == 0:
        os.setsid()  # out of the child's process group: the front's group cleanup does not reach it
        written = os.path.join(opts["leak-once"], "leaked-pid.tmp")
        with open(written, "w") as out:
            out.write(str(os.getpid()))
        os.rename(written, os.path.join(opts["leak-once"], "leaked-pid"))
        time.sleep(120)  # holds the inherited listening socket; bounded in case the test cannot kill it
        os._exit(0)

server.serve_forever(poll_interval=0.05)
