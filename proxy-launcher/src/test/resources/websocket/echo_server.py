"""A WebSocket echo server on the standard library only, for WebSocketIT: argv[1] is the port. One thread per
connection.

GET with Upgrade: websocket and a Sec-WebSocket-Key   101, then every frame is echoed back (unmasked); a close
                                                     frame is answered with a close frame and the socket closed;
                                                     a text frame "bye" makes the server close the socket at once
GET /log                                             what the server saw, one line per event (never logged itself):
                                                     "request PATH upgrade=VALUE connection=VALUE",
                                                     "frame OPCODE PAYLOAD", "bad-frame ...", "closed PATH"
GET /refuse...                                       426 "nope" even to a handshake, with Connection: close
anything else                                        200 "plain" with Connection: close
"""
import base64
import hashlib
import socket
import sys
import threading

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
log = []
lock = threading.Lock()


def record(line):
    with lock:
        log.append(line)


def recv_exact(conn, n, buffered):
    while len(buffered) < n:
        piece = conn.recv(65536)
        if not piece:
            raise EOFError
        buffered += piece
    return buffered[:n], buffered[n:]


def frames(conn, path, rest):
    while True:
        head, rest = recv_exact(conn, 2, rest)
        opcode = head[0] & 0x0F
        masked = head[1] & 0x80
        length = head[1] & 0x7F
        if not masked or head[0] & 0x70 or opcode not in (0, 1, 2, 8, 9, 10):
            record("bad-frame %s %r" % (path, head))
            return
        if length == 126:
            ext, rest = recv_exact(conn, 2, rest)
            length = int.from_bytes(ext, "big")
        elif length == 127:
            ext, rest = recv_exact(conn, 8, rest)
            length = int.from_bytes(ext, "big")
        mask, rest = recv_exact(conn, 4, rest)
        payload, rest = recv_exact(conn, length, rest)
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        record("frame %d %s" % (opcode, payload[:64].decode("utf-8", "replace")))
        if opcode == 1 and payload == b"bye":
            return
        reply = bytes([0x80 | opcode])
        if length < 126:
            reply += bytes([length])
        elif length < 65536:
            reply += bytes([126]) + length.to_bytes(2, "big")
        else:
            reply += bytes([127]) + length.to_bytes(8, "big")
        conn.sendall(reply + payload)
        if opcode == 8:
            return


def handle(conn):
    path = "?"
    try:
        data = b""
        while b"\r\n\r\n" not in data:
            piece = conn.recv(65536)
            if not piece:
                return
            data += piece
        head, rest = data.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        path = lines[0].split(" ")[1]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if path == "/log":
            with lock:
                body = "".join(line + "\n" for line in log).encode()
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
            return
        record("request %s upgrade=%s connection=%s" % (path, headers.get("upgrade"), headers.get("connection")))
        key = headers.get("sec-websocket-key")
        if path.startswith("/refuse"):
            conn.sendall(b"HTTP/1.1 426 Upgrade Required\r\nContent-Length: 4\r\nConnection: close\r\n\r\nnope")
            return
        if headers.get("upgrade", "").lower() == "websocket" and key:
            accept = base64.b64encode(hashlib.sha1(key.encode() + GUID).digest())
            conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")
            try:
                frames(conn, path, rest)
            except EOFError:
                pass
            return
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nplain")
    except OSError:
        pass
    finally:
        conn.close()
        if path != "/log":
            record("closed %s" % path)


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", int(sys.argv[1])))
    server.listen(64)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
