"""http server, eventlet: eventlet.wsgi "Hello, World!" on 127.0.0.1 with
TCP_NODELAY set on every connection and no access log. Prints PORT n."""

import socket

import eventlet
from eventlet import wsgi

from common import announce_port, arg

BODY = b"Hello, World!"


def app(_environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))])
    return [BODY]


class NoDelayProtocol(wsgi.HttpProtocol):
    def setup(self):
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        wsgi.HttpProtocol.setup(self)


def main():
    listener = eventlet.listen(
        ("127.0.0.1", arg("port", 0)), backlog=2048, reuse_port=bool(arg("reuseport", 0))
    )
    announce_port(listener.getsockname()[1])
    wsgi.server(listener, app, protocol=NoDelayProtocol, log_output=False, max_size=10000)


main()
