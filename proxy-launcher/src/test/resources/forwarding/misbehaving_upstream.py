"""A raw HTTP server that misbehaves on purpose, for ForwardingIT: argv[1] is the port. One thread per connection.

/silent       reads the request and never answers
/close        closes before sending any byte
/short        Content-Length: 100, sends 10 bytes, closes
/short-big    Content-Length: 16 MiB, sends 8 MiB, closes
/chunked-cut  a chunked body without its last chunk, then closes
/bad-status   an invalid status line
/cl-and-te    both Content-Length and Transfer-Encoding
/two-cl       two different Content-Lengths
/not-a-header a head with a line that is not a header field (no colon)
/101          101 Switching Protocols to a request that asked for no upgrade
anything else 200 with a small body and Connection: close
"""
import socket
import sys
import threading
import time


def handle(conn):
    try:
        data = b""
        while b"\r\n\r\n" not in data:
            piece = conn.recv(65536)
            if not piece:
                return
            data += piece
        path = data.split(b" ", 2)[1].decode()
        if path == "/silent":
            time.sleep(30)
            return
        if path == "/close":
            return
        if path == "/short":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
            return
        if path == "/short-big":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % (16 << 20) + b"x" * (8 << 20))
            return
        if path == "/chunked-cut":
            conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
            return
        if path == "/bad-status":
            conn.sendall(b"HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\nok")
            return
        if path == "/cl-and-te":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
            return
        if path == "/two-cl":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nokk")
            return
        if path == "/not-a-header":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nthis is not a header line\r\n\r\nok")
            return
        if path == "/101":
            conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
            time.sleep(1)
            return
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n")
    finally:
        conn.close()


def main():
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", int(sys.argv[1])))
    server.listen(64)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


main()
