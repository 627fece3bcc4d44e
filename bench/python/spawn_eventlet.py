"""spawn, eventlet: N green threads each wait on one shared eventlet Event;
once all are parked, send it and wait for them all."""

import time

import eventlet
from eventlet.event import Event

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
    tasks = [eventlet.spawn(waiter) for _ in range(n)]
    while parked[0] < n:
        eventlet.sleep(0)
    parked_rss = rss_bytes()
    event.send(True)
    for task in tasks:
        task.wait()
    report_spawn(n, time.perf_counter() - start, baseline, parked_rss)


main()
