"""http client, gevent + requests: after monkey.patch_all(), C greenlets share
one requests.Session (a pool of C connections) and GET
http://127.0.0.1:PORT/ in a loop. Same arguments and RESULT line as
client_green: this process's CPU per request over the timed phase."""

from gevent import monkey

monkey.patch_all()

import resource  # noqa: E402
import time  # noqa: E402

import gevent  # noqa: E402
import requests  # noqa: E402
from requests.adapters import HTTPAdapter  # noqa: E402

from common import arg, report  # noqa: E402


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    port = arg("port", 0)
    concurrency = arg("concurrency", 50)
    warmup = arg("warmup", 1.0, float)
    seconds = arg("seconds", 5.0, float)
    url = "http://127.0.0.1:%d/" % port
    session = requests.Session()
    session.mount("http://", HTTPAdapter(pool_connections=1, pool_maxsize=concurrency))
    state = {"done": 0, "stop": False}

    def worker():
        while not state["stop"]:
            body = session.get(url, timeout=10).content
            assert len(body) == 13, body
            state["done"] += 1

    workers = [gevent.spawn(worker) for _ in range(concurrency)]
    gevent.sleep(warmup)
    start, cpu, before = time.monotonic(), cpu_seconds(), state["done"]
    gevent.sleep(seconds)
    wall = time.monotonic() - start
    used = cpu_seconds() - cpu
    done = state["done"] - before
    state["stop"] = True
    gevent.joinall(workers, raise_error=True)
    report(
        cpu_us_per_request=used * 1e6 / max(done, 1),
        requests_per_sec=done / wall,
        requests=done,
    )


main()
