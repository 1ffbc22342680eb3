#!/bin/sh
# The image's entrypoint: entrypoint.sh [--train] java [JVM options] -jar application.jar [arguments]
#
# Adds, right after "java", the options that depend on where the container runs, then execs java
# (which stays PID 1 and gets docker stop's SIGTERM):
# - OMP_NUM_THREADS (ND4J's op threads; OpenMP does not see a CPU quota): the container's CPU limit
#   rounded up, from CPU_LIMIT (Kubernetes: resourceFieldRef limits.cpu) or the cgroup's quota, else
#   the CPUs this process may run on. An OMP_NUM_THREADS already set wins.
# - the memory budget, from MEMORY_LIMIT in bytes (Kubernetes: resourceFieldRef limits.memory) or
#   the cgroup's limit: -XX:MaxRAM (the heap is -XX:MaxRAMPercentage of it), memory allocated through
#   JavaCPP at most a quarter of it (maxbytes), and no new native memory through JavaCPP once the
#   process is above 85% of it (maxphysicalbytes), NIO direct buffers 64 MiB. No limit: JVM defaults.
# - the class archive made at build time: the AOT cache (JDK 25) or the AppCDS archive (JDK 17);
#   with the AOT cache, whose JIT profiles make a long warm-up needless, and in the training run,
#   SOFTMAX_WARMUP_HTTP_DURATION defaults to 300ms (the application's default is 8s).
# With --train (the image build's training run) it writes that archive instead.
set -eu

train=false
if [ "${1:-}" = "--train" ]; then
	train=true
	shift
fi
java=$1
shift
home=$(dirname "$0")

# CPUs: the quota of cgroup v2 (cpu.max: "quota period") or v1 (cfs_quota_us, cfs_period_us).
cpus=$(nproc)
quota=
if [ -n "${CPU_LIMIT:-}" ]; then
	quota=$CPU_LIMIT
elif [ -r /sys/fs/cgroup/cpu.max ]; then
	read -r q p < /sys/fs/cgroup/cpu.max
	if [ "$q" != max ]; then
		quota=$(( (q + p - 1) / p ))
	fi
elif [ -r /sys/fs/cgroup/cpu/cpu.cfs_quota_us ] && [ -r /sys/fs/cgroup/cpu/cpu.cfs_period_us ]; then
	q=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us)
	p=$(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)
	if [ "$q" -gt 0 ]; then
		quota=$(( (q + p - 1) / p ))
	fi
fi
if [ -n "$quota" ] && [ "$quota" -ge 1 ] && [ "$quota" -lt "$cpus" ]; then
	cpus=$quota
fi
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$cpus}"

# Memory: cgroup v2 memory.max or v1 memory.limit_in_bytes; "max" or a huge number means none.
limit=${MEMORY_LIMIT:-}
if [ -z "$limit" ]; then
	if [ -r /sys/fs/cgroup/memory.max ]; then
		limit=$(cat /sys/fs/cgroup/memory.max)
	elif [ -r /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
		limit=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)
	fi
fi
case "$limit" in
	''|max|*[!0-9]*|????????????????*) limit= ;;
esac

options=
if [ -n "$limit" ]; then
	mib=$(( limit / 1048576 ))
	options="-XX:MaxRAM=${mib}m -Dorg.bytedeco.javacpp.maxbytes=$(( mib / 4 ))m"
	options="$options -Dorg.bytedeco.javacpp.maxphysicalbytes=$(( mib * 85 / 100 ))m -XX:MaxDirectMemorySize=64m"
fi

# The feature version of the JDK that java belongs to, from its release file.
release="$(dirname "$(dirname "$(readlink -f "$(command -v "$java")")")")/release"
feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" 2>/dev/null || true)
if [ "${feature:-0}" -ge 24 ]; then
	# ND4J's JavaCPP uses sun.misc.Unsafe's memory access, which JDK 24+ warns about.
	options="$options --sun-misc-unsafe-memory-access=allow"
fi

if [ "$train" = true ]; then
	rm -f "$home/application.aot" "$home/application.jsa"
	if [ "${feature:-0}" -ge 25 ]; then
		options="$options -XX:AOTCacheOutput=$home/application.aot -Xlog:aot=error -Xlog:cds=error"
	else
		options="$options -XX:ArchiveClassesAtExit=$home/application.jsa -Xlog:cds=error"
	fi
	set -- "$@" --startup.training-run=true --server.port=0
	# Each warm-up request once is what the archive needs; a longer warm-up here puts more
	# profiles in the AOT cache, which the JIT then compiles at every start (3 s: about 0.15 s
	# and 0.3 CPU-s more to the first 200, with no faster first seconds under load).
	export SOFTMAX_WARMUP_HTTP_DURATION="${SOFTMAX_WARMUP_HTTP_DURATION:-300ms}"
elif [ -f "$home/application.aot" ]; then
	options="$options -XX:AOTCache=$home/application.aot"
	# The AOT cache holds the training run's JIT profiles, so the JIT compiles the request path
	# from the start: with 300 ms of HTTP warm-up the first 10 s under load reached 72-91% of
	# later ones' speed, and it is over when the port opens (the default 8 s, which a JVM
	# without profiles needs, would go on for 7.7 s after it). An operator's setting wins.
	export SOFTMAX_WARMUP_HTTP_DURATION="${SOFTMAX_WARMUP_HTTP_DURATION:-300ms}"
elif [ -f "$home/application.jsa" ]; then
	options="$options -XX:SharedArchiveFile=$home/application.jsa"
fi

# shellcheck disable=SC2086 # options is a list of words without spaces
exec "$java" $options "$@"
