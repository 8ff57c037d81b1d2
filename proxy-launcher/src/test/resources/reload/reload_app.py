"""The application ChildReplacementIT replaces: answers which process served it, and echoes an upload's digest."""
import hashlib
import os
import time


def application(environ, start_response):
    path = environ.get('PATH_INFO', '/')
    if path == '/upload':
        length = int(environ.get('CONTENT_LENGTH') or 0)
        data = environ['wsgi.input'].read(length)
        body = hashlib.sha256(data).hexdigest().encode()
    elif path == '/slow':
        time.sleep(0.2)
        body = str(os.getpid()).encode()
    else:
        body = str(os.getpid()).encode()
    start_response('200 OK', [('Content-Type', 'text/plain'), ('Content-Length', str(len(body)))])
    return [body]
