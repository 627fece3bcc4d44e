"""What the gevent and eventlet workload programs share: arguments, memory
probes and the RESULT/PORT lines the Rust driver (green-bench) reads."""

import sys


def arg(name, default, kind=int):
    flag = "--" + name
    argv = sys.argv[1:]
    if flag in argv:
        return kind(argv[argv.index(flag) + 1])
    return default


def _status_kib(key):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key):
                return int(line.split()[1])
    return 0


def rss_bytes():
    return _status_kib("VmRSS:") * 1024


def peak_rss_bytes():
    return _status_kib("VmHWM:") * 1024


def report(**figures):
    print("RESULT " + " ".join("%s=%r" % (k, float(v)) for k, v in figures.items()), flush=True)


def report_spawn(n, wall_s, baseline, parked):
    report(
        wall_ms=wall_s * 1e3,
        wall_us_per_task=wall_s * 1e6 / n,
        bytes_per_task=max(parked - baseline, 0) / n,
        peak_rss_mib=peak_rss_bytes() / (1024.0 * 1024.0),
    )


def report_switch(n, wall_s):
    report(ns_per_round_trip=wall_s * 1e9 / n, wall_ms=wall_s * 1e3)


def announce_port(port):
    print("PORT %d" % port, flush=True)
