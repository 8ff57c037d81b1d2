"""HTTP/2 clients that misbehave, for the front's end-to-end tests (python3-h2; run with Debian's /usr/bin/python3).

usage: h2_client.py SCENARIO PORT [ARG]
Each scenario prints what it saw, one fact a line (GOAWAY <code>, CLOSED, RESET <stream> <code>, STATUS <stream>
<code> ...), and exits 0; the Java test judges the lines.
"""
import socket
import sys
import time

import h2.config
import h2.connection
import h2.events
import h2.settings
from hyperframe.frame import ContinuationFrame, DataFrame, Frame, GoAwayFrame, HeadersFrame, RstStreamFrame, WindowUpdateFrame


def connect(port, settings=None):
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    conn.initiate_connection()
    if settings:
        conn.update_settings(settings)
    sock.sendall(conn.data_to_send())
    return sock, conn


def request_headers(port, path, method="GET"):
    return [(":method", method), (":path", path), (":scheme", "http"), (":authority", "127.0.0.1:%d" % port)]


def report(events):
    for e in events:
        if isinstance(e, h2.events.ConnectionTerminated):
            print("GOAWAY %d %s" % (e.error_code, e.additional_data), flush=True)
        elif isinstance(e, h2.events.StreamReset):
            print("RESET %d %d" % (e.stream_id, e.error_code), flush=True)
        elif isinstance(e, h2.events.ResponseReceived):
            print("STATUS %d %s" % (e.stream_id, dict(e.headers).get(":status")), flush=True)
        elif isinstance(e, h2.events.StreamEnded):
            print("ENDED %d" % e.stream_id, flush=True)


def read_until_closed(sock, conn, seconds):
    """Reads and reports until the front closes the connection (prints CLOSED) or the time is up."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            data = sock.recv(65536)
        except socket.timeout:
            continue
        except OSError:
            print("CLOSED", flush=True)
            return
        if not data:
            print("CLOSED", flush=True)
            return
        try:
            report(conn.receive_data(data))
        except h2.exceptions.ProtocolError:
            pass
        out = conn.data_to_send()
        if out:
            try:
                sock.sendall(out)
            except OSError:
                pass


def send_raw(sock, data):
    try:
        sock.sendall(data)
        return True
    except OSError:
        print("CLOSED", flush=True)
        return False


def rapid_reset(port):
    """HEADERS then RST_STREAM, over and over (CVE-2023-44487)."""
    sock, conn = connect(port)
    for i in range(5000):
        stream = conn.get_next_available_stream_id()
        conn.send_headers(stream, request_headers(port, "/"), end_stream=True)
        conn.reset_stream(stream)
        try:
            sock.sendall(conn.data_to_send())
        except OSError:
            break  # the front has had enough: what it said before closing is still to be read
    read_until_closed(sock, conn, 10)


def continuation_flood(port):
    """A HEADERS frame without END_HEADERS, then CONTINUATION frames forever (they never end the block)."""
    sock, conn = connect(port)
    block = conn.encoder.encode(request_headers(port, "/"))
    headers = HeadersFrame(1, data=block)  # no END_HEADERS
    if not send_raw(sock, headers.serialize()):
        return
    sock.settimeout(0.2)
    sent = 0
    deadline = time.time() + 20
    while time.time() < deadline:
        frame = ContinuationFrame(1, data=b"\x40\x03abc\x03def" * 50)  # literal headers, never END_HEADERS
        if not send_raw(sock, frame.serialize()):
            break
        sent += 1
        try:
            data = sock.recv(65536)
            if not data:
                print("CLOSED", flush=True)
                break
            report(conn.receive_data(data))
        except socket.timeout:
            pass
        except OSError:
            print("CLOSED", flush=True)
            break
        except h2.exceptions.ProtocolError:
            pass
    print("SENT %d" % sent, flush=True)


def too_many_streams(port):
    """Opens 101 streams that stay open (POSTs whose bodies never come) before reading the front's SETTINGS."""
    sock, conn = connect(port)
    for i in range(101):
        stream = conn.get_next_available_stream_id()
        conn.send_headers(stream, request_headers(port, "/upload", "POST") + [("content-length", "10")])
    sock.sendall(conn.data_to_send())
    sock.settimeout(0.5)
    deadline = time.time() + 5
    while time.time() < deadline:
        try:
            data = sock.recv(65536)
        except socket.timeout:
            continue
        if not data:
            print("CLOSED", flush=True)
            return
        report(conn.receive_data(data))
        sock.sendall(conn.data_to_send())
    print("OPEN", flush=True)


def zero_window(port, path):
    """Asks for PATH with an initial window of 0 and never opens it; holds the connection for 15 s."""
    sock, conn = connect(port, {h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 0})
    conn.send_headers(1, request_headers(port, path), end_stream=True)
    sock.sendall(conn.data_to_send())
    print("ASKED", flush=True)
    sock.settimeout(0.5)
    deadline = time.time() + 15
    while time.time() < deadline:
        try:
            data = sock.recv(65536)
        except socket.timeout:
            continue
        if not data:
            print("CLOSED", flush=True)
            return
        report(conn.receive_data(data))
        # acknowledges SETTINGS and PINGs, never a window update
        sock.sendall(conn.data_to_send())
    print("HELD", flush=True)


def rounds(port, count, width):
    """COUNT rounds of WIDTH concurrent GETs on one connection; prints each body (BODY <text>)."""
    sock, conn = connect(port)
    for _ in range(int(count)):
        open_streams = set()
        for _ in range(int(width)):
            stream = conn.get_next_available_stream_id()
            conn.send_headers(stream, request_headers(port, "/"), end_stream=True)
            open_streams.add(stream)
        sock.sendall(conn.data_to_send())
        bodies = {}
        while open_streams:
            data = sock.recv(65536)
            if not data:
                print("CLOSED", flush=True)
                return
            for e in conn.receive_data(data):
                if isinstance(e, h2.events.DataReceived):
                    bodies[e.stream_id] = bodies.get(e.stream_id, b"") + e.data
                    conn.acknowledge_received_data(e.flow_controlled_length, e.stream_id)
                elif isinstance(e, h2.events.StreamEnded):
                    open_streams.discard(e.stream_id)
                    print("BODY %s" % bodies.get(e.stream_id, b"").decode().strip(), flush=True)
                elif isinstance(e, h2.events.StreamReset):
                    open_streams.discard(e.stream_id)
                    print("RESET %d %d" % (e.stream_id, e.error_code), flush=True)
            sock.sendall(conn.data_to_send())


def truncated(port, cut):
    """Stream 1 asks for CUT (a response the upstream cuts short), stream 3 at once for /ok; then stream 5 for /ok
    on the same connection. Prints STATUS, ENDED, RESET, GOAWAY and CLOSED as they come."""
    sock, conn = connect(port)
    conn.send_headers(1, request_headers(port, cut), end_stream=True)
    conn.send_headers(3, request_headers(port, "/ok"), end_stream=True)
    sock.sendall(conn.data_to_send())
    pending = {1, 3}
    asked_again = False
    deadline = time.time() + 30
    while pending and time.time() < deadline:
        data = sock.recv(65536)
        if not data:
            print("CLOSED", flush=True)
            return
        events = conn.receive_data(data)
        report(events)
        for e in events:
            if isinstance(e, h2.events.DataReceived):
                conn.acknowledge_received_data(e.flow_controlled_length, e.stream_id)
            elif isinstance(e, (h2.events.StreamEnded, h2.events.StreamReset)):
                pending.discard(e.stream_id)
        if not pending and not asked_again:
            asked_again = True
            conn.send_headers(5, request_headers(port, "/ok"), end_stream=True)
            pending.add(5)
        sock.sendall(conn.data_to_send())


def extended_connect(port):
    """A WebSocket over HTTP/2 (RFC 8441) CONNECT, though the front never enabled it."""
    sock, conn = connect(port)
    conn.send_headers(1, [(":method", "CONNECT"), (":protocol", "websocket"), (":path", "/chat"),
                          (":scheme", "http"), (":authority", "127.0.0.1:%d" % port),
                          ("sec-websocket-version", "13")])
    sock.sendall(conn.data_to_send())
    read_until_closed(sock, conn, 3)


def drain(port):
    """Asks for a large forwarded response and reads none of it until the line GO on stdin; then reads it all."""
    sock, conn = connect(port)
    conn.send_headers(1, request_headers(port, "/bytes?n=2000000"), end_stream=True)
    sock.sendall(conn.data_to_send())
    print("STARTED", flush=True)
    sys.stdin.readline()
    sock.settimeout(0.5)
    # Frames by hand: after a GOAWAY the h2 library would open no window, and the stream it spared must go on.
    read_frames_until_closed(sock, conn, 20)


def read_frames_until_closed(sock, conn, seconds):
    """Reports HEADERS (status), END_STREAM and GOAWAY from raw frames until the front closes (CLOSED)."""
    buffer = b""
    body_bytes = {}
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            data = sock.recv(65536)
        except socket.timeout:
            continue
        except OSError:
            data = b""
        if not data:
            print("CLOSED after %s body bytes" % body_bytes, flush=True)
            return
        buffer += data
        while len(buffer) >= 9:
            frame, length = Frame.parse_frame_header(memoryview(buffer[:9]))
            if len(buffer) < 9 + length:
                break
            frame.parse_body(memoryview(buffer[9:9 + length]))
            buffer = buffer[9 + length:]
            if isinstance(frame, DataFrame) and length:
                body_bytes[frame.stream_id] = body_bytes.get(frame.stream_id, 0) + len(frame.data)
                send_raw(sock, WindowUpdateFrame(frame.stream_id, window_increment=length).serialize()
                         + WindowUpdateFrame(0, window_increment=length).serialize())
            if isinstance(frame, HeadersFrame):
                print("STATUS %d %s" % (frame.stream_id, dict(conn.decoder.decode(frame.data)).get(":status")),
                      flush=True)
            elif isinstance(frame, GoAwayFrame):
                print("GOAWAY %d" % frame.error_code, flush=True)
            elif isinstance(frame, RstStreamFrame):
                print("RESET %d %d" % (frame.stream_id, frame.error_code), flush=True)
            if "END_STREAM" in frame.flags:
                print("ENDED %d %d" % (frame.stream_id, body_bytes.get(frame.stream_id, 0)), flush=True)

if __name__ == "__main__":
    scenario, port = sys.argv[1], int(sys.argv[2])
    args = sys.argv[3:]
    {"rapid-reset": rapid_reset, "continuation-flood": continuation_flood, "too-many-streams": too_many_streams,
     "zero-window": zero_window, "rounds": rounds,
     "truncated": truncated, "extended-connect": extended_connect, "drain": drain}[scenario](port, *args)
