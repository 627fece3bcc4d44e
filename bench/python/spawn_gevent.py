"""spawn, gevent: N greenlets each wait on one shared gevent.event.Event;
once all are parked, set it and join them all."""

import time

import gevent
from gevent.event import Event

from common import arg, report_spawn, rss_bytes


def main():
    n = arg("n", 100000)
    event = Event()
    parked = [0]

    def waiter():
        parked[0] += 1
        event.wait()

    baseline = rss_bytes()
    start = time.perf_counter()
    tasks = [gevent.spawn(waiter) for _ in range(n)]
    while parked[0] < n:
        gevent.sleep(0)
    parked_rss = rss_bytes()
    event.set()
    gevent.joinall(tasks)
    report_spawn(n, time.perf_counter() - start, baseline, parked_rss)


main()
