"""switch, eventlet: two green threads ping-pong a counter through two
eventlet.queue.Queue(maxsize=1)."""

import time

import eventlet
from eventlet.queue import Queue

from common import arg, report_switch


def main():
    n = arg("n", 1000000)
    ping, pong = Queue(maxsize=1), Queue(maxsize=1)

    def echo():
        for _ in range(n):
            pong.put(ping.get() + 1)

    def pinger():
        start = time.perf_counter()
        x = 0
        for _ in range(n):
            ping.put(x)
            x = pong.get()
        assert x == n
        return time.perf_counter() - start

    # Both sides are spawned green threads, as in the Rust programs.
    echo_task = eventlet.spawn(echo)
    pinger_task = eventlet.spawn(pinger)
    wall = pinger_task.wait()
    echo_task.wait()
    report_switch(n, wall)


main()
