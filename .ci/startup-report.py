#!/usr/bin/env python3
"""Cold start and memory of the packaged service, run the way the container runs it, without a container.

Lays the jar out as docker/Dockerfile does and runs its training RUN (dockerfile_layout.py), then starts
the ENTRYPOINT (entrypoint.sh: the class archive, the threads and the memory budget from the limits,
given here as the compose file's: CPU_LIMIT=2, MEMORY_LIMIT=2 GiB, so a 1 GiB heap) and measures, as
../shared/bench/run.py does:
- cold start: process start to the first 200 from POST /softmax (1x10 logits), polled every 20 ms,
  whether readiness was already UP then, and if not how much later it turned UP (polled every 10 ms);
  also the same for `java -jar JAR` as the README documents;
- idle RSS: VmRSS of the process tree right after start-up;
- peak RSS: VmHWM (reset after start-up) under a short load of the largest requests: 64x32000 logits
  (41 MB of JSON, the bench's `large`) from 2 clients, plus 32x1000 logits from 8 clients.
One line per figure. A report, not a test: on a shared machine the timings are noisy; the load
average at start is printed with them. Writes under target/startup-report only.

Usage: startup-report.py JAR [--runs N] [--java-home DIR] [--no-jar-mode] [--no-load]
"""

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dockerfile_layout  # noqa: E402

MIB = 1024
SMALL = json.dumps({"logits": [[0.5 * i for i in range(10)]]}).encode()
LIMITS = {"CPU_LIMIT": "2", "MEMORY_LIMIT": str(2 * 2**30)}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(port, body, timeout=60):
    request = urllib.request.Request("http://127.0.0.1:%d/softmax" % port, data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()
        return response.status


def readiness(port):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/actuator/health/readiness" % port, timeout=5) as response:
            return response.status == 200
    except (OSError, urllib.error.HTTPError):
        return False


def cpu_seconds(pid):
    total = 0.0
    for p in dockerfile_layout.proc_tree(pid):
        try:
            with open("/proc/%d/stat" % p) as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError):
            pass
    return total


def start(command, cwd, env, log_path, timeout=300):
    """Starts the service and polls POST /softmax every 20 ms: (process, port, seconds, cpu seconds, readiness),
    readiness being the seconds from the first 200 to readiness UP (0 if it was UP already)."""
    port = free_port()
    env = dict(env, SERVER_PORT=str(port))
    log = open(log_path, "w")
    started = time.monotonic()
    process = subprocess.Popen(command + ["--server.port=%d" % port], cwd=cwd, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError("the service exited with %d; log: %s" % (process.returncode, log_path))
        try:
            if post(port, SMALL, timeout=5) == 200:
                elapsed = time.monotonic() - started
                cpu = cpu_seconds(process.pid)
                asked = started + elapsed
                while not readiness(port) and time.monotonic() - started < timeout:
                    time.sleep(0.01)
                    asked = time.monotonic()
                # When the probe that answered UP was sent: 0 if the first one after the first 200 was.
                return process, port, elapsed, cpu, asked - started - elapsed
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.02)
    stop(process)
    raise RuntimeError("no 200 within %d s; log: %s" % (timeout, log_path))


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def load(port, seconds):
    """The largest requests from 2 clients and medium ones from 8, for about `seconds`."""
    rng = random.Random(42)
    large = json.dumps({"logits": [[rng.gauss(0, 3) for _ in range(32000)] for _ in range(64)]}).encode()
    medium = json.dumps({"logits": [[rng.gauss(0, 3) for _ in range(1000)] for _ in range(32)]}).encode()
    deadline, errors, counts = time.monotonic() + seconds, [], {"large": 0, "medium": 0, "503": 0}

    def client(name, body):
        while time.monotonic() < deadline:
            try:
                post(port, body, timeout=120)
                counts[name] += 1
            except urllib.error.HTTPError as error:
                if error.code != 503:
                    errors.append("%s: %s" % (name, error))
                    return
                counts["503"] += 1
                time.sleep(float(error.headers.get("Retry-After", "1")))
            except OSError as error:
                errors.append("%s: %s" % (name, error))
                return

    threads = [threading.Thread(target=client, args=("large", large)) for _ in range(2)]
    threads += [threading.Thread(target=client, args=("medium", medium)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts, errors


def figure(name, value):
    print("startup-report: %-58s %s" % (name, value), flush=True)


def measure(label, command, cwd, env, runs, work, memory):
    times, cpus, gaps = [], [], []
    for run in range(runs):
        process, port, elapsed, cpu, gap = start(command, cwd, env, os.path.join(work, "%s-%d.log" % (
            label.split()[0], run)))
        times.append(elapsed)
        cpus.append(cpu)
        gaps.append(gap)
        try:
            if memory and run == runs - 1:
                time.sleep(1)
                figure(label + ": idle RSS (1 s after the first 200)",
                       "%d MiB" % (dockerfile_layout.memory_kib(process.pid, "VmRSS") // MIB))
                dockerfile_layout.reset_peak(process.pid)
                counts, errors = load(port, memory)
                figure(label + ": peak RSS under load (%d s)" % memory, "%d MiB (%d large, %d medium requests, %d shed with 503%s)" % (
                    dockerfile_layout.memory_kib(process.pid, "VmHWM") // MIB, counts["large"], counts["medium"],
                    counts["503"],
                    ("; errors: " + "; ".join(sorted(set(errors)))) if errors else ""))
                figure(label + ": RSS after the load", "%d MiB" % (
                    dockerfile_layout.memory_kib(process.pid, "VmRSS") // MIB))
        finally:
            stop(process)
    figure(label + ": process start to first 200 from POST /softmax", "%.2f s median of %d (%s)" % (
        statistics.median(times), runs, " ".join("%.2f" % t for t in times)))
    figure(label + ": CPU used until then", "%.2f s median" % statistics.median(cpus))
    figure(label + ": readiness UP after the first 200", "%d ms median (%s)" % (
        1000 * statistics.median(gaps), " ".join("%d" % (1000 * g) for g in gaps)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("jar")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--java-home", help="the JDK standing for the runtime image's (default: the image's version)")
    parser.add_argument("--load-seconds", type=int, default=20)
    parser.add_argument("--no-jar-mode", action="store_true", help="skip `java -jar`")
    parser.add_argument("--no-load", action="store_true", help="skip the peak-RSS load")
    options = parser.parse_args()
    root = dockerfile_layout.ROOT
    work = os.path.join(root, "target", "startup-report")
    layout = dockerfile_layout.Layout(options.jar, os.path.join(work, "image"), java_home=options.java_home,
                                      quiet=True)
    print("startup-report: laying out the image and running its training run (%s; log: %s-training.log)"
          % (layout.java_home, work), flush=True)
    with open(os.path.join(work + "-training.log"), "w") as log:
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            layout.build()
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
    figure("machine load average at start (2 cores shared: noisy)", "%.2f %.2f %.2f" % os.getloadavg())
    env = dict(layout.env, **LIMITS)
    archive = [n for n in ("application.aot", "application.jsa") if os.path.exists(os.path.join(layout.app, n))]
    label = "container (%s, %s)" % (os.path.basename(layout.java_home), archive[0] if archive else "no archive")
    measure(label, layout.entrypoint, layout.app, env, options.runs, work,
            0 if options.no_load else options.load_seconds)
    if not options.no_jar_mode:
        measure("java -jar (JDK 17, as the README documents)", ["java", "-jar", os.path.abspath(options.jar)], root,
                dict(os.environ), options.runs, work, 0)


if __name__ == "__main__":
    main()
