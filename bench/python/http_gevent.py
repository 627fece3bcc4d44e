"""http server, gevent: gevent.pywsgi "Hello, World!" on 127.0.0.1 with
TCP_NODELAY set on every connection (pywsgi as shipped stalls 40 ms per
request on Nagle + delayed ACK) and no access log. Prints PORT n.
`--reuseport 1`: listens with SO_REUSEPORT (the scaling rows run N)."""

import socket

from gevent.pywsgi import WSGIServer

from common import announce_port, arg, listener

BODY = b"Hello, World!"


def app(_environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))])
    return [BODY]


class NoDelayServer(WSGIServer):
    def handle(self, sock, address):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        WSGIServer.handle(self, sock, address)


def main():
    if arg("reuseport", 0):
        from gevent import socket as gsocket
        sock = gsocket.socket(fileno=listener(arg("port", 0)).detach())
        server = NoDelayServer(sock, app, log=None)
    else:
        server = NoDelayServer(("127.0.0.1", arg("port", 0)), app, log=None, backlog=2048)
    server.start()
    announce_port(server.server_port)
    server.serve_forever()


main()
