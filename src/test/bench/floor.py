#!/usr/bin/python3
"""The floor of the cost per request: the bare Spring Boot app against the service.

    ./mvnw -B -q package -DskipTests          # the service's jar, and the test classes
    /usr/bin/python3 src/test/bench/floor.py [--duration 10] [--rounds 3] [--services floor,java]

Starts FloorApplication (src/test/java/io/softmaxservice/benchmark/floor: Tomcat, Spring
MVC and Jackson answering POST /softmax with a fixed body) and the service's jar, each on
its own loopback port, and runs the load of the shared benchmark's `small` scenario against
each in alternation: wrk, 2 threads, 32 connections, POST /softmax with 1x10 logits (the
shared bench's lua/post.lua when --bench-dir has it, else the same script written here).
A warm-up run precedes the rounds. Prints the median req/s, p99 and server CPU per request
(user + system time of the JVM from /proc, over the requests answered) and the service's
ratio to the floor: issue 10 asks for at most 1.5x the floor's CPU per request.
"""
import argparse
import glob
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BODY = b'{"logits": [[0.5, -1.25, 3.0, 0.0, 2.2, -0.7, 1.1, 0.3, -2.4, 1.9]]}'
LUA = """
local f = assert(io.open(os.getenv("BENCH_PAYLOAD"), "rb"))
local body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
"""
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def default_bench_dir():
    """../shared/bench beside the checkout (or beside its parent, for worktrees)."""
    for up in (os.path.dirname(ROOT), os.path.dirname(os.path.dirname(ROOT))):
        candidate = os.path.join(up, "shared", "bench")
        if os.path.isdir(candidate):
            return candidate
    return ""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def classpath():
    out = os.path.join(ROOT, "target", "floor-classpath.txt")
    if not os.path.exists(out):
        subprocess.run([os.path.join(ROOT, "mvnw"), "-B", "-q", "dependency:build-classpath",
                        f"-Dmdep.outputFile={out}", "-Dmdep.includeScope=test"], cwd=ROOT, check=True)
    with open(out) as f:
        deps = f.read().strip()
    return os.pathsep.join([os.path.join(ROOT, "target", "test-classes"), os.path.join(ROOT, "target", "classes"),
                            deps])


def command(name, port, java_opts):
    common = ["java", *java_opts]
    args = [f"--server.port={port}", "--server.address=127.0.0.1"]
    if name == "floor":
        return common + ["-cp", classpath(), "io.softmaxservice.benchmark.floor.FloorApplication"] + args
    jars = [j for j in glob.glob(os.path.join(ROOT, "target", "softmax-service-*.jar"))
            if not j.endswith(("-sources.jar", "-javadoc.jar", ".original"))]
    if not jars:
        sys.exit("no target/softmax-service-*.jar: run ./mvnw -B -q package -DskipTests first")
    return common + ["-jar", jars[0]] + args


def wait_ready(port, proc, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"exited with {proc.returncode}")
        try:
            req = urllib.request.Request(f"http://127.0.0.1:{port}/softmax", data=BODY,
                                         headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("not ready in time")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def wrk(port, lua, payload, duration):
    out = subprocess.run(["wrk", "-t2", "-c32", f"-d{duration}s", "--latency", "-s", lua,
                          f"http://127.0.0.1:{port}/softmax"], capture_output=True, text=True,
                         env=dict(os.environ, BENCH_PAYLOAD=payload)).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)", out, re.M)
    p99 = float(m.group(1)) * {"us": 1e-3, "ms": 1, "s": 1e3}[m.group(2)] if m else float("nan")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if bad:
        raise RuntimeError(f"{bad.group(1)} answers were not 2xx")
    return requests, rps, p99


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=int, default=10, help="seconds per round")
    ap.add_argument("--warmup", type=int, default=12, help="seconds of warm-up load per service")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--services", default="floor,java")
    ap.add_argument("--java-opts", default="", help="JVM options for both, e.g. '-Xmx1g'")
    ap.add_argument("--bench-dir", default=os.environ.get("SOFTMAX_BENCH_DIR", default_bench_dir()),
                    help="the shared benchmark, for its lua/post.lua")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="floor-")
    payload = os.path.join(work, "small.json")
    with open(payload, "wb") as f:
        f.write(BODY)
    lua = os.path.join(args.bench_dir, "lua", "post.lua")
    if not os.path.exists(lua):
        lua = os.path.join(work, "post.lua")
        with open(lua, "w") as f:
            f.write(LUA)
    services = {}
    try:
        for name in args.services.split(","):
            port = free_port()
            log = open(os.path.join(work, f"{name}.log"), "w")
            proc = subprocess.Popen(command(name, port, args.java_opts.split()), stdout=log, stderr=subprocess.STDOUT,
                                    cwd=ROOT)
            services[name] = (port, proc, [])
            wait_ready(port, proc)
            print(f"{name}: ready on port {port} (log {log.name})", file=sys.stderr)
        for name, (port, proc, _) in services.items():
            if args.warmup > 0:
                wrk(port, lua, payload, args.warmup)
        for r in range(args.rounds):
            for name, (port, proc, results) in services.items():
                before = cpu_seconds(proc.pid)
                requests, rps, p99 = wrk(port, lua, payload, args.duration)
                cpu_ms = (cpu_seconds(proc.pid) - before) / max(requests, 1) * 1000
                results.append((rps, p99, cpu_ms))
                print(f"round {r + 1} {name}: {rps:,.0f} req/s, p99 {p99:.2f} ms, cpu {cpu_ms:.3f} ms/req",
                      file=sys.stderr)
    finally:
        for port, proc, _ in services.values():
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    print(f"{'service':<8}{'req/s':>10}{'p99 ms':>10}{'cpu ms/req':>12}")
    medians = {}
    for name, (_, _, results) in services.items():
        medians[name] = [statistics.median(r[i] for r in results) for i in range(3)]
        rps, p99, cpu = medians[name]
        print(f"{name:<8}{rps:>10,.0f}{p99:>10.2f}{cpu:>12.3f}")
    if "floor" in medians and "java" in medians:
        print(f"java / floor: cpu per request {medians['java'][2] / medians['floor'][2]:.2f}x "
              f"(target <= 1.5x), req/s {medians['java'][0] / medians['floor'][0]:.2f}x")


if __name__ == "__main__":
    main()
