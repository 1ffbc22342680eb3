#!/usr/bin/env python3
"""Runs the container's exact command lines without a container engine.

Reads docker/Dockerfile, so that this check and the image cannot drift apart:
- extracts the built jar with the Dockerfile's own `-Djarmode=tools ... extract` options,
- lays the layers out in one directory in the order of the final stage's COPY --from lines,
  which stands for the image's WORKDIR,
- runs the final stage's exec-form `RUN ["java", ...]` (the native-library pre-extraction),
  whose JVM arguments must start with the ENTRYPOINT's, with the final stage's ENV,
- starts the ENTRYPOINT verbatim (WORKDIR paths mapped to that directory, SERVER_PORT set to a
  free port), waits for readiness, POSTs /softmax, runs the HEALTHCHECK command, stops it with
  SIGTERM as `docker stop` does, and checks that it extracted no native library at start.

Usage: container-entrypoint-check.py JAR [DOCKERFILE]
"""

import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
READY_TIMEOUT = 120
STOP_TIMEOUT = 45


def fail(message):
    print("container-entrypoint-check: FAILED: " + message, file=sys.stderr)
    sys.exit(1)


def instructions(path):
    """The Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    result, current = [], ""
    with open(path, encoding="utf-8") as dockerfile:
        for line in dockerfile:
            stripped = line.strip()
            if not current and (not stripped or stripped.startswith("#")):
                continue
            if current and stripped.startswith("#"):
                continue
            if stripped.endswith("\\"):
                current += stripped[:-1] + " "
                continue
            current += stripped
            keyword, _, arguments = current.partition(" ")
            result.append((keyword.upper(), arguments.strip()))
            current = ""
    return result


def exec_form(arguments, what):
    try:
        value = json.loads(arguments)
    except ValueError:
        fail(what + " is not in exec (JSON array) form: " + arguments)
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        fail(what + " is not a JSON array of strings: " + arguments)
    return value


def parse(dockerfile):
    stages, stage = [], None
    for keyword, arguments in instructions(dockerfile):
        if keyword == "FROM":
            stage = {"from": arguments, "steps": []}
            stages.append(stage)
        elif stage is not None:
            stage["steps"].append((keyword, arguments))
    if len(stages) < 2:
        fail("expected a multi-stage Dockerfile")
    final = stages[-1]["steps"]
    spec = {"env": {}, "copies": [], "runs": [], "workdir": "/"}
    for keyword, arguments in final:
        if keyword == "WORKDIR":
            spec["workdir"] = arguments
        elif keyword == "ENV":
            for pair in shlex.split(arguments):
                name, _, value = pair.partition("=")
                spec["env"][name] = value
        elif keyword == "COPY" and arguments.startswith("--from="):
            words = shlex.split(arguments)
            spec["copies"].append((words[-2], words[-1]))
        elif keyword == "RUN" and arguments.startswith("["):
            spec["runs"].append(exec_form(arguments, "RUN"))
        elif keyword == "ENTRYPOINT":
            spec["entrypoint"] = exec_form(arguments, "ENTRYPOINT")
        elif keyword == "HEALTHCHECK":
            words = arguments.split(" CMD ", 1)
            if len(words) != 2:
                fail("HEALTHCHECK has no CMD: " + arguments)
            spec["healthcheck"] = exec_form(words[1].strip(), "HEALTHCHECK CMD")
    extracts = [arguments for stage in stages[:-1] for keyword, arguments in stage["steps"]
                if keyword == "RUN" and "-Djarmode=tools" in arguments and " extract" in arguments]
    if len(extracts) != 1:
        fail("expected one RUN java -Djarmode=tools ... extract in the build stages, found %d" % len(extracts))
    spec["extract"] = shlex.split(extracts[0])
    for key in ("entrypoint", "healthcheck"):
        if key not in spec:
            fail("the final stage has no " + key.upper())
    return spec


def extract_options(command):
    words = command[command.index("extract") + 1:]
    options, destination, i = [], None, 0
    while i < len(words):
        if words[i] == "--destination":
            destination = words[i + 1]
            i += 2
        elif words[i].startswith("--destination="):
            destination = words[i].split("=", 1)[1]
            i += 1
        else:
            options.append(words[i])
            i += 1
    if destination is None or "--layers" not in options:
        fail("the extract command must use --layers and --destination: " + " ".join(command))
    return options, destination


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


def cache_listing(cache):
    listing = {}
    for folder, _, files in os.walk(cache):
        for name in files:
            path = os.path.join(folder, name)
            stat = os.lstat(path)
            listing[os.path.relpath(path, cache)] = (stat.st_size if os.path.isfile(path) and not os.path.islink(path)
                                                     else 0, stat.st_mtime_ns)
    return listing


def main():
    if len(sys.argv) < 2:
        fail("usage: container-entrypoint-check.py JAR [DOCKERFILE]")
    jar = os.path.abspath(sys.argv[1])
    dockerfile = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "docker", "Dockerfile")
    spec = parse(dockerfile)
    work = os.path.join(ROOT, "target", "container-entrypoint-check")
    shutil.rmtree(work, ignore_errors=True)
    layers, app = os.path.join(work, "layers"), os.path.join(work, "app")
    os.makedirs(app)

    workdir = spec["workdir"].rstrip("/")

    def local(argument):
        """Maps the image's WORKDIR to the local directory standing for it."""
        return argument.replace(workdir + "/", app + "/") if workdir else argument

    options, image_layers = extract_options(spec["extract"])
    command = ["java", "-Djarmode=tools", "-jar", jar, "extract"] + options + ["--destination", layers]
    print("$ " + " ".join(command), flush=True)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    copies = [(source, target) for source, target in spec["copies"]
              if source.rstrip("/").startswith(image_layers.rstrip("/"))]
    if not copies:
        fail("the final stage copies nothing from " + image_layers)
    copied = set()
    for source, target in copies:
        source = os.path.join(layers, os.path.relpath(source, image_layers))
        target = os.path.join(app, os.path.relpath(os.path.join(spec["workdir"], target), spec["workdir"]))
        shutil.copytree(source, target, dirs_exist_ok=True)
        copied.add(os.path.basename(source.rstrip("/")))
    missing = set(os.listdir(layers)) - copied
    if missing:
        fail("layers the image does not copy: " + ", ".join(sorted(missing)))

    entrypoint = [local(a) for a in spec["entrypoint"]]
    java_runs = [[local(a) for a in run] for run in spec["runs"] if run and run[0] == "java"]
    if len(java_runs) != 1:
        fail("expected one exec-form RUN [\"java\", ...] (the native pre-extraction) in the final stage")
    prewarm = java_runs[0]
    if prewarm[:len(entrypoint)] != entrypoint:
        fail("the pre-extraction RUN must start with the ENTRYPOINT's command line, so that it fills the "
             "same cache:\n  RUN        %s\n  ENTRYPOINT %s" % (prewarm, entrypoint))
    cachedirs = [a.split("=", 1)[1] for a in entrypoint if a.startswith("-Dorg.bytedeco.javacpp.cachedir=")]
    if len(cachedirs) != 1:
        fail("the ENTRYPOINT must set -Dorg.bytedeco.javacpp.cachedir")
    cache = cachedirs[0] if os.path.isabs(cachedirs[0]) else os.path.join(app, cachedirs[0])
    os.makedirs(cache, exist_ok=True)
    env = dict(os.environ, **spec["env"])

    print("$ (cd %s && %s)" % (app, " ".join(shlex.quote(a) for a in prewarm)), flush=True)
    started = time.monotonic()
    subprocess.run(prewarm, cwd=app, env=env, check=True)
    before = cache_listing(cache)
    size = sum(s for s, _ in before.values())
    print("pre-extraction: %d files, %d MB in %.1f s" % (len(before), size // 2**20, time.monotonic() - started))
    if size < 50 * 2**20:
        fail("the pre-extraction left only %d bytes in %s" % (size, cache))

    port = free_port()
    env["SERVER_PORT"] = str(port)
    log_path = os.path.join(work, "entrypoint.log")
    print("$ (cd %s && SERVER_PORT=%d %s)" % (app, port, " ".join(shlex.quote(a) for a in entrypoint)), flush=True)
    with open(log_path, "w") as log:
        process = subprocess.Popen(entrypoint, cwd=app, env=env, stdout=log, stderr=subprocess.STDOUT,
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
        status, body = http("POST", base + "/softmax", b'{"logits": [[1, 2, 3]]}')
        expected = '{"probabilities":[[0.09003057317038046,0.24472847105479764,0.6652409557748218]]}'
        if (status, body) != (200, expected):
            fail("POST /softmax answered %d %s" % (status, body))
        print("POST /softmax -> %d %s" % (status, body))
        health = subprocess.run(spec["healthcheck"], env=env, timeout=10)
        if health.returncode != 0:
            fail("the HEALTHCHECK command failed with %d" % health.returncode)
        print("HEALTHCHECK -> 0")
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
    if "Ready on port %d" % port not in text:
        fail("the startup report 'Ready on port %d' is missing from %s" % (port, log_path))
    after = cache_listing(cache)
    if after != before:
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        fail("the ENTRYPOINT extracted native libraries at start: " + ", ".join(changed))
    print("container-entrypoint-check: OK (ENTRYPOINT served POST /softmax from the image layout, "
          "natives came from the pre-extracted cache, SIGTERM exit %d)" % process.returncode)


if __name__ == "__main__":
    main()
