"""echo server, eventlet: eventlet.serve on 127.0.0.1, one green thread per
connection, recv up to 4 KiB and sendall it back. Prints PORT n.
`--reuseport 1`: listens with SO_REUSEPORT (the scaling rows run N)."""

import eventlet

from common import announce_port, arg


def handle(sock, _address):
    while True:
        data = sock.recv(4096)
        if not data:
            break
        sock.sendall(data)
    sock.close()


def main():
    listener = eventlet.listen(
        ("127.0.0.1", arg("port", 0)), backlog=2048, reuse_port=bool(arg("reuseport", 0))
    )
    announce_port(listener.getsockname()[1])
    eventlet.serve(listener, handle, concurrency=10000)


main()
