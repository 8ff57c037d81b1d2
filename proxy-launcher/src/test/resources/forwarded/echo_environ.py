"""Answers with the parts of its WSGI environ that forwarding headers can influence, one `KEY<TAB>VALUE` line each.

Used by ForwardedHeadersIT as the child of the front: REMOTE_ADDR, wsgi.url_scheme, SERVER_PORT, SCRIPT_NAME and
every HTTP_* key show exactly what the WSGI server made of the headers it received. Plain lines rather than JSON so
the Java test needs no parser (header values never hold a tab or a line break).
"""


def application(environ, start_response):
    keys = ["REMOTE_ADDR", "wsgi.url_scheme", "SERVER_PORT", "SCRIPT_NAME", "PATH_INFO"]
    keys += sorted(key for key in environ if key.startswith("HTTP_"))
    body = "".join("%s\t%s\n" % (key, environ[key]) for key in keys if key in environ).encode("latin-1")
    start_response("200 OK", [("Content-Type", "text/plain; charset=iso-8859-1"),
                              ("Content-Length", str(len(body)))])
    return [body]
