"""switch, gevent: two greenlets ping-pong a counter through two
gevent.queue.Queue(maxsize=1)."""

import time

import gevent
from gevent.queue import Queue

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

    # Both sides are spawned greenlets, as in the Rust programs.
    echo_task = gevent.spawn(echo)
    pinger_task = gevent.spawn(pinger)
    wall = pinger_task.get()
    echo_task.join()
    report_switch(n, wall)


main()
