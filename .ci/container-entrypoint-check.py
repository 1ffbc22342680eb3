#!/usr/bin/env python3
"""Checks the image as far as possible without a container engine, reading docker/Dockerfile itself
so that this check and the image cannot drift apart.

Static: every base image is fully qualified (podman refuses short names); the build context that
docker/Dockerfile.dockerignore leaves is small (no target/, node_modules/) yet holds every file a COPY
needs; compose.yaml repeats the image's HEALTHCHECK (podman's OCI images drop it) without curl.

Running (dockerfile_layout.py): lays the jar out as the image's layers, runs the final stage's training
RUN (it must unpack the natives and write the class archive), then starts the ENTRYPOINT verbatim as a
non-root user (WORKDIR mapped to a local directory, SERVER_PORT a free port, the container's limits
given as CPU_LIMIT=1 and MEMORY_LIMIT=1 GiB), waits for readiness, checks that the JVM mapped the class
archive and that entrypoint.sh derived the threads and the heap from the limits, POSTs /softmax, runs
both health-check commands, stops it with SIGTERM as `docker stop` does, and checks that it wrote
nothing into the native-library cache.

Usage: container-entrypoint-check.py JAR [--java-home DIR]   (default: a local JDK of the image's version)
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dockerfile_layout  # noqa: E402

ROOT = dockerfile_layout.ROOT
READY_TIMEOUT = 180
STOP_TIMEOUT = 45
MAX_CONTEXT_BYTES = 20 * 2**20
NOBODY = 65534


def fail(message):
    print("container-entrypoint-check: FAILED: " + message, file=sys.stderr)
    sys.exit(1)


def ignored(path, patterns):
    """Docker's .dockerignore rule for one relative path: the last matching pattern wins, '!' re-includes."""
    result = False
    for negated, pattern in patterns:
        parts = path.split("/")
        if any(re.fullmatch(pattern, "/".join(parts[:n])) for n in range(1, len(parts) + 1)):
            result = not negated
    return result


def read_ignore_file(path):
    patterns = []
    with open(path) as ignore:
        for line in ignore:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            negated = line.startswith("!")
            glob = line.lstrip("!").strip("/")
            regex = "".join("[^/]*" if c == "*" else "[^/]" if c == "?"
                            else re.escape(c) for c in glob)
            patterns.append((negated, regex))
    return patterns


def check_static(spec):
    for image in spec["froms"] + [v for k, v in spec["args"].items() if k.endswith("IMAGE")]:
        name = image.split()[-1] if not image.startswith("--") else image.split()[1]
        name = re.sub(r"\$\{?(\w+)\}?", lambda m: spec["args"].get(m.group(1), ""), name)
        if name and name != "build" and not re.match(r"[\w.-]+\.[\w.-]+(:\d+)?/", name):
            fail("base image not fully qualified (podman refuses short names): " + name)
    patterns = read_ignore_file(os.path.join(ROOT, "docker", "Dockerfile.dockerignore"))
    total, files, leaked = 0, 0, []
    for folder, dirs, names in os.walk(ROOT):
        relative = os.path.relpath(folder, ROOT)
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in names:
            path = os.path.normpath(os.path.join(relative, name))
            if not ignored(path, patterns):
                total += os.path.getsize(os.path.join(folder, name))
                files += 1
                if path.split("/")[0] in ("target", "node_modules") or "/node_modules/" in path:
                    leaked.append(path)
    for source in spec["context_sources"]:
        if not os.path.exists(os.path.join(ROOT, source)) or ignored(source.rstrip("/"), patterns):
            fail("the build context lacks %s, which the Dockerfile copies" % source)
    if leaked or total > MAX_CONTEXT_BYTES:
        fail("the build context holds %d bytes (%s)" % (total, ", ".join(leaked[:5])))
    print("build context: %d files, %d KiB (docker/Dockerfile.dockerignore)" % (files, total // 1024))
    with open(os.path.join(ROOT, "docker", "compose.yaml")) as compose:
        text = compose.read()
    tests = re.findall(r"^\s*test:\s*(\[.*\])\s*$", text, re.M)
    if re.search(r"(?<!\$)\$\{", tests[0] if tests else ""):
        fail("compose.yaml's healthcheck must write the container's variables as $${...}: compose interpolates ${...}")
    if len(tests) != 1:
        fail("compose.yaml must have one healthcheck test as a one-line JSON list")
    test = json.loads(tests[0].replace("$$", "$"))  # compose interpolates ${...}; $$ is a literal $
    if test[0] != "CMD" or test[1:] != spec["healthcheck"]:
        fail("compose.yaml's healthcheck test must be the image's HEALTHCHECK CMD: %s vs %s"
             % (test, spec["healthcheck"]))
    if any(word in " ".join(test) for word in ("curl", "wget")):
        fail("the health check must not need curl or wget")
    return test[1:]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None):
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={"Content-Type": "application/json"} if body else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("jar")
    parser.add_argument("--java-home", help="the JDK standing for the runtime image's")
    options = parser.parse_args()
    spec = dockerfile_layout.parse()
    compose_health = check_static(spec)
    work = os.path.join(ROOT, "target", "container-entrypoint-check")
    try:
        layout = dockerfile_layout.Layout(options.jar, work, java_home=options.java_home)
        started = time.monotonic()
        layout.build()
    except (dockerfile_layout.LayoutError, subprocess.CalledProcessError) as error:
        fail(str(error))
    before = dockerfile_layout.cache_listing(layout.cache)
    size = sum(s for s, _ in before.values())
    archives = [n for n in ("application.aot", "application.jsa") if os.path.exists(os.path.join(layout.app, n))]
    print("training run (%s): %d native files, %d MB, archive %s, in %.1f s"
          % (layout.java_home, len(before), size // 2**20, archives, time.monotonic() - started))
    if size < 50 * 2**20:
        fail("the training run left only %d bytes in %s" % (size, layout.cache))
    if len(archives) != 1:
        fail("the training run must leave one class archive, found %s" % archives)

    # The image runs as a non-root user on a root filesystem that may be read-only: so does this.
    for folder, dirs, names in os.walk(work):
        for name in dirs + names:
            os.chmod(os.path.join(folder, name), os.stat(os.path.join(folder, name)).st_mode | 0o444
                     | (0o111 if os.path.isdir(os.path.join(folder, name)) else 0))
    port = free_port()
    env = dict(layout.env, SERVER_PORT=str(port), CPU_LIMIT="1", MEMORY_LIMIT=str(2**30))
    env.pop("OMP_NUM_THREADS", None)
    log_path = os.path.join(work, "entrypoint.log")
    command = layout.entrypoint
    if os.geteuid() == 0 and shutil.which("setpriv"):
        command = ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups"] + command
    print("$ (cd %s && SERVER_PORT=%d CPU_LIMIT=1 MEMORY_LIMIT=%d %s)" % (layout.app, port, 2**30, " ".join(command)),
          flush=True)
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=layout.app, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        base = "http://127.0.0.1:%d" % port
        deadline, ready = time.monotonic() + READY_TIMEOUT, False
        while time.monotonic() < deadline and process.poll() is None:
            try:
                ready = http("GET", base + "/actuator/health/readiness") == (200, '{"status":"UP"}')
            except OSError:
                pass
            if ready:
                break
            time.sleep(0.5)
        if not ready:
            fail("the ENTRYPOINT did not become ready within %d s (exit code %s); log: %s"
                 % (READY_TIMEOUT, process.poll(), log_path))
        with open("/proc/%d/maps" % process.pid) as maps:
            mapped = maps.read()
        if os.path.join(layout.app, archives[0]) not in mapped:
            fail("the JVM did not map the class archive %s: it does not match the layout" % archives[0])
        print("class archive in use: " + archives[0])
        status, body = http("POST", base + "/softmax", b'{"logits": [[1, 2, 3]]}')
        expected = '{"probabilities":[[0.09003057317038046,0.24472847105479764,0.6652409557748218]]}'
        if (status, body) != (200, expected):
            fail("POST /softmax answered %d %s" % (status, body))
        print("POST /softmax -> %d %s" % (status, body))
        for name, health in (("HEALTHCHECK", spec["healthcheck"]), ("compose healthcheck", compose_health)):
            result = subprocess.run(health, env=env, timeout=10)
            if result.returncode != 0:
                fail("the %s command failed with %d" % (name, result.returncode))
            print(name + " -> 0")
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                fail("the ENTRYPOINT did not stop within %d s of SIGTERM" % STOP_TIMEOUT)
    if process.returncode not in (0, 143):
        fail("the ENTRYPOINT exited with %d after SIGTERM; log: %s" % (process.returncode, log_path))
    with open(log_path) as log:
        text = log.read()
    report = re.search(r"Ready on port %d.*" % port, text)
    if not report:
        fail("the startup report 'Ready on port %d' is missing from %s" % (port, log_path))
    heap = re.search(r"a (\d+) MiB heap", report.group(0))
    if "OMP_NUM_THREADS=1)" not in report.group(0) or not heap or not 400 <= int(heap.group(1)) <= 512:
        fail("entrypoint.sh did not derive OMP_NUM_THREADS=1 and a 512 MiB heap from CPU_LIMIT=1 and "
             "MEMORY_LIMIT=1 GiB: " + report.group(0))
    warmup = re.search(r"HTTP warm-up \((\d+) ms\)", text)
    expected_warmup = 300 if archives[0] == "application.aot" else 8000
    if not warmup or int(warmup.group(1)) != expected_warmup:
        fail("with %s the HTTP warm-up must last %d ms (entrypoint.sh): %s"
             % (archives[0], expected_warmup, warmup.group(0) if warmup else "no warm-up in the log"))
    after = dockerfile_layout.cache_listing(layout.cache)
    if after != before:
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        fail("the ENTRYPOINT wrote into the native-library cache at start: " + ", ".join(changed))
    print("container-entrypoint-check: OK (%s; ENTRYPOINT served POST /softmax as a non-root user from the image "
          "layout with the %s class archive, natives from the build-time cache, SIGTERM exit %d)"
          % (os.path.basename(layout.java_home), archives[0], process.returncode))


if __name__ == "__main__":
    main()
