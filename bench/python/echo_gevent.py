"""echo server, gevent: gevent.server.StreamServer on 127.0.0.1, one greenlet
per connection, recv up to 4 KiB and sendall it back. Prints PORT n.
`--reuseport 1`: listens with SO_REUSEPORT (the scaling rows run N)."""

from gevent.server import StreamServer

from common import announce_port, arg, listener


def handle(sock, _address):
    while True:
        data = sock.recv(4096)
        if not data:
            break
        sock.sendall(data)
    sock.close()


def main():
    if arg("reuseport", 0):
        from gevent import socket as gsocket
        sock = gsocket.socket(fileno=listener(arg("port", 0)).detach())
        server = StreamServer(sock, handle)
    else:
        server = StreamServer(("127.0.0.1", arg("port", 0)), handle, backlog=2048)
    server.start()
    announce_port(server.server_port)
    server.serve_forever()


main()
