"""The image's layout and command lines, read from docker/Dockerfile, rebuilt without a container engine.

Shared by container-entrypoint-check.py and startup-report.py, so that both run exactly what the image
runs: the jar extracted with the Dockerfile's own `-Djarmode=tools ... extract` options, the layers laid
out in one directory (standing for the image's WORKDIR) in the order of the final stage's COPY --from
lines, the files the final stage copies from the build context, the final stage's exec-form training
RUN (which must be the ENTRYPOINT with --train after the script) and the ENTRYPOINT itself.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCKERFILE = os.path.join(ROOT, "docker", "Dockerfile")


class LayoutError(Exception):
    pass


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
        raise LayoutError(what + " is not in exec (JSON array) form: " + arguments)
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise LayoutError(what + " is not a JSON array of strings: " + arguments)
    return value


def parse(dockerfile=DOCKERFILE):
    """The final stage's layout and commands, the global ARG defaults and every FROM."""
    stages, stage, args = [], None, {}
    for keyword, arguments in instructions(dockerfile):
        if keyword == "FROM":
            stage = {"from": arguments, "steps": []}
            stages.append(stage)
        elif stage is not None:
            stage["steps"].append((keyword, arguments))
        elif keyword == "ARG":
            name, _, value = arguments.partition("=")
            args[name] = value
    if len(stages) < 2:
        raise LayoutError("expected a multi-stage Dockerfile")
    spec = {"args": args, "froms": [s["from"] for s in stages], "env": {}, "copies": [], "context_copies": [],
            "runs": [], "workdir": "/"}
    for keyword, arguments in stages[-1]["steps"]:
        if keyword == "WORKDIR":
            spec["workdir"] = arguments
        elif keyword == "ENV":
            for pair in shlex.split(arguments):
                name, _, value = pair.partition("=")
                spec["env"][name] = value
        elif keyword == "COPY":
            words = [w for w in shlex.split(arguments) if not w.startswith("--chown") and not w.startswith("--chmod")]
            if words[0].startswith("--from="):
                spec["copies"].append((words[-2], words[-1]))
            else:
                spec["context_copies"].append((words[:-1], words[-1]))
        elif keyword == "RUN" and arguments.startswith("["):
            spec["runs"].append(exec_form(arguments, "RUN"))
        elif keyword == "ENTRYPOINT":
            spec["entrypoint"] = exec_form(arguments, "ENTRYPOINT")
        elif keyword == "HEALTHCHECK":
            words = arguments.split(" CMD ", 1)
            if len(words) != 2:
                raise LayoutError("HEALTHCHECK has no CMD: " + arguments)
            spec["healthcheck"] = exec_form(words[1].strip(), "HEALTHCHECK CMD")
    spec["context_sources"] = [source for s in stages for k, a in s["steps"]
                               if k == "COPY" and not a.startswith("--from=")
                               for source in [w for w in shlex.split(a) if not w.startswith("--")][:-1]]
    extracts = [arguments for s in stages[:-1] for keyword, arguments in s["steps"]
                if keyword == "RUN" and "-Djarmode=tools" in arguments and " extract" in arguments]
    if len(extracts) != 1:
        raise LayoutError("expected one RUN java -Djarmode=tools ... extract in the build stages, found %d"
                          % len(extracts))
    spec["extract"] = shlex.split(extracts[0])
    for key in ("entrypoint", "healthcheck"):
        if key not in spec:
            raise LayoutError("the final stage has no " + key.upper())
    return spec


def runtime_image(spec):
    """The final stage's base image, with the ARG defaults filled in."""
    image = spec["froms"][-1].split()[-1]
    return re.sub(r"\$\{?(\w+)\}?", lambda m: spec["args"].get(m.group(1), m.group(0)), image)


def runtime_java_home(spec, override=None):
    """A local JDK of the runtime image's feature version (eclipse-temurin:NN-...)."""
    if override:
        return override
    match = re.search(r"eclipse-temurin:(\d+)", runtime_image(spec))
    version = match.group(1) if match else "17"
    candidates = ["/usr/lib/jvm/temurin-%s-jdk-amd64" % version, "/usr/lib/jvm/java-%s-openjdk-amd64" % version]
    for home in candidates:
        if os.path.exists(os.path.join(home, "bin", "java")):
            return home
    raise LayoutError("no local JDK %s for the runtime image %s (tried %s)"
                      % (version, runtime_image(spec), ", ".join(candidates)))


def _extract_options(command):
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
        raise LayoutError("the extract command must use --layers and --destination: " + " ".join(command))
    return options, destination


class Layout:
    """The final stage's WORKDIR rebuilt in a local directory, ready to run its commands."""

    def __init__(self, jar, work, dockerfile=DOCKERFILE, java_home=None, quiet=False):
        self.spec = parse(dockerfile)
        self.work = work
        self.app = os.path.join(work, "app")
        self.java_home = runtime_java_home(self.spec, java_home)
        self.quiet = quiet
        self._jar = os.path.abspath(jar)
        self.env = dict(os.environ, **self.spec["env"])
        self.env["PATH"] = os.path.join(self.java_home, "bin") + os.pathsep + self.env.get("PATH", "")
        self.env["JAVA_HOME"] = self.java_home
        self.env.pop("JAVA_TOOL_OPTIONS", None)
        self.env.pop("JDK_JAVA_OPTIONS", None)
        self.entrypoint = [self.local(a) for a in self.spec["entrypoint"]]
        runs = [[self.local(a) for a in run] for run in self.spec["runs"] if "--train" in run]
        if len(runs) != 1:
            raise LayoutError("expected one exec-form RUN with --train (the training run) in the final stage")
        self.training = runs[0]
        position = self.training.index("--train")
        if (self.training[:position] + self.training[position + 1:])[:len(self.entrypoint)] != self.entrypoint:
            raise LayoutError("the training RUN must be the ENTRYPOINT's command line with --train after the "
                              "script, so that it trains the same JVM:\n  RUN        %s\n  ENTRYPOINT %s"
                              % (self.training, self.entrypoint))
        cachedirs = [a.split("=", 1)[1] for a in self.entrypoint if a.startswith("-Dorg.bytedeco.javacpp.cachedir=")]
        if len(cachedirs) != 1:
            raise LayoutError("the ENTRYPOINT must set -Dorg.bytedeco.javacpp.cachedir")
        self.cache = cachedirs[0] if os.path.isabs(cachedirs[0]) else os.path.join(self.app, cachedirs[0])

    def local(self, argument):
        """Maps the image's WORKDIR to the local directory standing for it."""
        workdir = self.spec["workdir"].rstrip("/")
        return argument.replace(workdir + "/", self.app + "/") if workdir else argument

    def _say(self, text):
        if not self.quiet:
            print(text, flush=True)

    def build(self):
        """Extracts the jar into the layers, lays them out, copies the context files and runs the training."""
        shutil.rmtree(self.work, ignore_errors=True)
        layers = os.path.join(self.work, "layers")
        os.makedirs(self.app)
        options, image_layers = _extract_options(self.spec["extract"])
        command = ["java", "-Djarmode=tools", "-jar", self._jar, "extract"] + options + ["--destination", layers]
        self._say("$ " + " ".join(command))
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=self.env)
        copies = [(source, target) for source, target in self.spec["copies"]
                  if source.rstrip("/").startswith(image_layers.rstrip("/"))]
        if not copies:
            raise LayoutError("the final stage copies nothing from " + image_layers)
        copied = set()
        for source, target in copies:
            source = os.path.join(layers, os.path.relpath(source, image_layers))
            target = os.path.join(self.app, os.path.relpath(os.path.join(self.spec["workdir"], target),
                                                            self.spec["workdir"]))
            shutil.copytree(source, target, dirs_exist_ok=True)
            copied.add(os.path.basename(source.rstrip("/")))
        missing = set(os.listdir(layers)) - copied
        if missing:
            raise LayoutError("layers the image does not copy: " + ", ".join(sorted(missing)))
        for sources, target in self.spec["context_copies"]:
            target = os.path.join(self.app, os.path.relpath(os.path.join(self.spec["workdir"], target),
                                                            self.spec["workdir"]))
            for source in sources:
                shutil.copy2(os.path.join(ROOT, source), target)
        self._say("$ (cd %s && %s)" % (self.app, " ".join(shlex.quote(a) for a in self.training)))
        subprocess.run(self.training, cwd=self.app, env=self.env, check=True)
        return self


def cache_listing(cache):
    listing = {}
    for folder, _, files in os.walk(cache):
        for name in files:
            path = os.path.join(folder, name)
            stat = os.lstat(path)
            listing[os.path.relpath(path, cache)] = (stat.st_size if os.path.isfile(path) and not os.path.islink(path)
                                                     else 0, stat.st_mtime_ns)
    return listing


def proc_tree(pid):
    """pid and its descendants."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    result, todo = [], [pid]
    while todo:
        current = todo.pop()
        result.append(current)
        todo.extend(children.get(current, []))
    return result


def memory_kib(pid, field):
    """Sum of a /proc/PID/status field (VmRSS, VmHWM) over the process tree, in KiB."""
    total = 0
    for p in proc_tree(pid):
        try:
            with open("/proc/%d/status" % p) as status:
                for line in status:
                    if line.startswith(field + ":"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def reset_peak(pid):
    for p in proc_tree(pid):
        try:
            with open("/proc/%d/clear_refs" % p, "w") as f:
                f.write("5")
        except OSError:
            pass


if __name__ == "__main__":
    print(json.dumps(parse(sys.argv[1] if len(sys.argv) > 1 else DOCKERFILE), indent=2))
