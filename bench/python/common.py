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


def listener(port):
    """A listening gevent/eventlet-ready socket address or, with
    `--reuseport 1` (the scaling rows: N processes on one port), a socket
    bound with SO_REUSEPORT so that the kernel spreads connections over
    the processes, as it does over green's hubs."""
    import socket
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(2048)
    return sock
