#!/usr/bin/python3
"""One large softmax, one request after another: .npz against JSON, end to end.

    ./mvnw -B -q package -DskipTests
    /usr/bin/python3 src/test/bench/one_request.py [--rows 64 --cols 32000] [--rounds 3]

Starts the service's jar on a loopback port (or uses --url), waits for its start-up
warm-up to end, then sends the same float64 logits (seeded normal values, 64 x 32000 by
default: 16 MB of .npz, 41 MB of JSON) to POST /softmax from one client, one request at a
time, in alternating rounds of each format. Two figures per format, each the median of
every request's time:

- array to array: what a Python user holding a NumPy array waits for. JSON: json.dumps of
  the array's lists, the request, json.loads and np.array of the answer. .npz: np.savez
  into memory, the request, np.load of the answer.
- wire: the request alone, with bodies made in advance and answers read as bytes.

The answers of both formats are checked to be equal. --java-opts passes JVM options.
"""
import argparse
import glob
import http.client
import io
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
JSON = "application/json"
NPZ = "application/x-npz"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(java_opts):
    jars = [j for j in glob.glob(os.path.join(ROOT, "target", "softmax-service-*.jar"))
            if not j.endswith(("-sources.jar", "-javadoc.jar", ".original"))]
    if not jars:
        sys.exit("no target/softmax-service-*.jar: run ./mvnw -B -q package -DskipTests first")
    port = free_port()
    proc = subprocess.Popen(["java", *java_opts, "-jar", jars[0], f"--server.port={port}",
                             "--server.address=127.0.0.1"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)
    return proc, "127.0.0.1", port


def wait_ready(host, port, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection(host, port, timeout=5)
            c.request("GET", "/actuator/health/readiness")
            r = c.getresponse()
            r.read()
            if r.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("the service did not turn ready")


def post(conn, body, media_type):
    conn.request("POST", "/softmax", body, {"Content-Type": media_type, "Accept": media_type})
    r = conn.getresponse()
    data = r.read()
    if r.status != 200:
        sys.exit(f"{media_type}: {r.status} {data[:300]!r}")
    return data


def array_to_array(conn, logits, media_type):
    if media_type == JSON:
        answer = post(conn, json.dumps({"logits": logits.tolist()}).encode(), JSON)
        return np.array(json.loads(answer)["probabilities"])
    body = io.BytesIO()
    np.savez(body, logits=logits)
    return np.load(io.BytesIO(post(conn, body.getvalue(), NPZ)))["probabilities"]


def timed(fn, n):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=64)
    ap.add_argument("--cols", type=int, default=32000)
    ap.add_argument("--rounds", type=int, default=3, help="rounds of each format")
    ap.add_argument("--json-requests", type=int, default=5, help="JSON requests per round")
    ap.add_argument("--npz-requests", type=int, default=15, help=".npz requests per round")
    ap.add_argument("--settle", type=float, default=9.0,
                    help="seconds to wait after readiness (the start-up warm-up goes on for 8 s)")
    ap.add_argument("--url", help="a running service, e.g. http://127.0.0.1:8080")
    ap.add_argument("--java-opts", default="", help="JVM options, written with '='")
    args = ap.parse_args()

    proc = None
    if args.url:
        u = urllib.parse.urlsplit(args.url)
        host, port = u.hostname, u.port or 80
    else:
        proc, host, port = start(args.java_opts.split())
    try:
        wait_ready(host, port)
        time.sleep(0 if args.url else args.settle)
        conn = http.client.HTTPConnection(host, port, timeout=120)
        logits = np.random.default_rng(103).standard_normal((args.rows, args.cols)) * 3
        if not np.array_equal(array_to_array(conn, logits, JSON), array_to_array(conn, logits, NPZ)):
            sys.exit("the JSON and .npz answers differ")
        npz = io.BytesIO()
        np.savez(npz, logits=logits)
        bodies = {JSON: json.dumps({"logits": logits.tolist()}).encode(), NPZ: npz.getvalue()}
        counts = {JSON: args.json_requests, NPZ: args.npz_requests}
        figures = {(kind, t): [] for kind in ("array", "wire") for t in (JSON, NPZ)}
        for _ in range(args.rounds):
            for t in (JSON, NPZ):
                figures[("array", t)] += timed(lambda: array_to_array(conn, logits, t), counts[t])
                figures[("wire", t)] += timed(lambda: post(conn, bodies[t], t), counts[t])
        print(f"{args.rows} x {args.cols} float64 /softmax, one client: .npz {len(bodies[NPZ]) / 1e6:.1f} MB, "
              f"JSON {len(bodies[JSON]) / 1e6:.1f} MB in; median ms per request")
        for kind, label in (("array", "array to array"), ("wire", "wire")):
            j = statistics.median(figures[(kind, JSON)]) * 1000
            n = statistics.median(figures[(kind, NPZ)]) * 1000
            print(f"{label:<15} JSON {j:8.1f}   .npz {n:6.1f}   .npz is {j / n:5.2f}x faster")
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            proc.wait()


if __name__ == "__main__":
    main()
