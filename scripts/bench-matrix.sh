#!/usr/bin/env bash
# The matrix of docs/benchmarks.md: cartero bench against an embedded node and against two
# nodes on one Redis, each point run twice against the same fresh node(s), the load average
# beside each run; then 10,000 idle connections, Redis commands per message, and start-up.
#
#   scripts/bench-matrix.sh [embedded|redis|idle|start|all] [--duration 10s] [--warmup 3s]
#                           [--points "S:R S:R ..."] [--jar target/cartero.jar]
#   scripts/bench-matrix.sh profile embedded|redis S R [--idle N]   # one point under Java
#                           Flight Recorder, with N idle connections beside it if given
#
# Needs Linux, a JDK 17+, python3, curl, redis-server (for redis), jcmd (for idle and
# profile) and jfr (for profile). Prints Markdown; not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."

part=${1:-all}
shift || true
profile_args=()
if [ "$part" = profile ]; then
  [ $# -ge 3 ] || { echo "usage: $0 profile embedded|redis S R|max" >&2; exit 2; }
  profile_args=("$1" "$2" "$3")
  shift 3
fi
duration=10s warmup=3s
points="10:1000 10:10000 100:1000 100:10000 1000:1000 1000:10000"
jar=target/cartero.jar
idle_beside=0
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2 ;;
    --warmup) warmup=$2 ;;
    --points) points=$2 ;;
    --jar) jar=$2 ;;
    --idle) idle_beside=$2 ;;
    *) echo "unknown option: $1 (see the top of $0)" >&2; exit 2 ;;
  esac
  shift 2
done

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ -f "$jar" ] || ./mvnw -B -q -DskipTests package
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# The nodes' JVM runs with its defaults: these are the flags a person gets from ./cartero.
node_jvm=()
# The node's guards are sized for a class, not for a load generator on one address: up to
# 10,000 connections from 127.0.0.1 and 10,000 messages a second on one publisher.
node_limits=(--max-connections-per-address 20000 --rate 100000 --burst 100000)

# start_node PORT ARGS...: a node on 127.0.0.1:PORT; its pid in $node_pid
start_node() {
  local port=$1; shift
  java "${node_jvm[@]}" -jar "$jar" server --host 127.0.0.1 --port "$port" "${node_limits[@]}" \
    "$@" >"$work/node-$port.log" 2>&1 &
  node_pid=$!
  pids+=("$node_pid")
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "the node on port $port did not start; see $work/node-$port.log" >&2
  exit 1
}

stop_pids() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  pids=()
}

load1() { cut -d' ' -f1 /proc/loadavg; }

# peak_rss LABEL PID...: appends the peak resident memory (VmHWM) of each node to $work/rss.md
peak_rss() {
  local label=$1; shift
  local kib=()
  for pid in "$@"; do kib+=("$(awk '/^VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status") MiB"); done
  echo "- $label: ${kib[*]}" >>"$work/rss.md"
}

print_rss() {
  echo
  echo "Peak resident memory of the node process(es) over both runs (VmHWM):"
  echo
  cat "$work/rss.md"
  rm -f "$work/rss.md"
}

header() {
  echo
  echo "### $1"
  echo
  echo "| S | R | run | load | deliveries/s | acks/s | p50 ms | p99 ms | p99.9 ms | ack p50 ms | ack p99 ms | node µs/delivery | node heap MiB | generator µs/delivery | lost / passed over / dup / dropped | closed | settled |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
}

# bench LABEL_S LABEL_R RUN SERVERS ARGS...: one run, one Markdown row
bench() {
  local s=$1 r=$2 run=$3 servers=$4; shift 4
  local load; load=$(load1)
  java -jar "$jar" bench --server "$servers" --duration "$duration" --warmup "$warmup" \
    --json "$@" 2>"$work/bench.err" | python3 -c '
import json, sys
d = json.load(sys.stdin)
l, a = d["latency_ms"], d["ack_latency_ms"]
def f(v, fmt="%.2f"):
    return "—" if v is None else fmt % v
closed = ", ".join("%s×%s" % (n, c) for c, n in d["closed_by_node"].items()) or "none"
print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d / %d / %d / %d | %s | %s |" % (
    sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], f(d["deliveries_per_s"], "%.0f"),
    f(d["acks_per_s"], "%.0f"),
    f(l["p50"]), f(l["p99"]), f(l["p99_9"]), f(a["p50"]), f(a["p99"]),
    f(d["node_cpu_us_per_delivery"]),
    f(None if d["node_peak_heap_bytes"] is None else d["node_peak_heap_bytes"] / 2**20, "%.0f"),
    f(d["generator_cpu_us_per_delivery"]), d["lost"], d["passed_over"], d["duplicated"],
    d["dropped_by_close"],
    closed, "yes" if d["settled"] else "no"))
' "$s" "$r" "$run" "$load" || { echo "| $s | $r | $run | $load | failed: $(tail -1 "$work/bench.err") |"; }
}

embedded() {
  header "One node, embedded broker (fresh data folder per point), 10 publishers, 100-character messages"
  for point in $points; do
    local s=${point%%:*} r=${point##*:}
    local port; port=$(free_port)
    start_node "$port" --data "$work/data-$s-$r"
    for run in 1 2; do bench "$s" "$r" "$run" "ws://127.0.0.1:$port" -S "$s" -P 10 -r "$r"; done
    peak_rss "S=$s, R=$r" "$node_pid"
    stop_pids
  done
  local port; port=$(free_port)
  start_node "$port" --data "$work/data-max"
  for run in 1 2; do bench 100 max "$run" "ws://127.0.0.1:$port" -S 100 -P 10 -r max; done
  peak_rss "S=100, R=max" "$node_pid"
  stop_pids
  print_rss
}

redis() {
  local rport; rport=$(free_port)
  header "Two nodes on one Redis (redis-server on 127.0.0.1:$rport), clients spread over both"
  for point in $points; do
    local s=${point%%:*} r=${point##*:}
    redis-server --bind 127.0.0.1 --port "$rport" --save '' --appendonly no \
      --dir "$work" >"$work/redis.log" 2>&1 &
    pids+=("$!")
    sleep 0.5
    local a b pa; a=$(free_port); start_node "$a" --broker "redis://127.0.0.1:$rport"
    pa=$node_pid
    b=$(free_port); start_node "$b" --broker "redis://127.0.0.1:$rport"
    for run in 1 2; do
      redis-cli -p "$rport" config resetstat >/dev/null
      redis-cli -p "$rport" info cpu | tr -d '\r' >"$work/cpu-before"
      bench "$s" "$r" "$run" "ws://127.0.0.1:$a,ws://127.0.0.1:$b" -S "$s" -P 10 -r "$r"
      redis-cli -p "$rport" info cpu | tr -d '\r' >"$work/cpu-after"
      redis-cli -p "$rport" info commandstats | tr -d '\r' >"$work/cmd"
      python3 - "$s-$r-$run" "$work/cmd" "$work/cpu-before" "$work/cpu-after" \
        <<'PY' >>"$work/commands.md"
import re, sys
point, stats, before, after = sys.argv[1:5]
calls = {}
for line in open(stats):
    m = re.match(r"cmdstat_(\w+):calls=(\d+)", line)
    if m:
        calls[m.group(1)] = int(m.group(2))
def cpu(path):
    v = dict(l.split(":", 1) for l in open(path) if l.startswith("used_cpu_") and ":" in l)
    return float(v["used_cpu_user"]) + float(v["used_cpu_sys"])
published = calls.get("publish", 0)
reads = calls.get("xrange", 0)
per = lambda n: "%.1f" % (n / published) if published else "—"
print("| %s | %d | %d | %s | %s | %.1f |" % (point, published, reads, per(reads),
      per(sum(calls.values())), cpu(after) - cpu(before)))
PY
    done
    peak_rss "S=$s, R=$r" "$pa" "$node_pid"
    stop_pids
  done
  print_rss
  echo
  echo "Redis during each run (from INFO commandstats, which counts the commands inside"
  echo "scripts too, and INFO cpu): messages stored (PUBLISH notifications), stream reads"
  echo "(XRANGE), both per message, and Redis's CPU seconds:"
  echo
  echo "| S-R-run | messages | reads | reads per message | commands per message | Redis CPU s |"
  echo "|---|---|---|---|---|---|"
  cat "$work/commands.md"
}

# Heap after a full GC with and without 10,000 idle connections (beside one subscriber and
# one publisher at 10 msg/s, so that nothing else is held), then S=100 R=1000 beside 10,000.
idle() {
  echo
  echo "### 10,000 idle WebSocket connections"
  echo
  local port; port=$(free_port)
  start_node "$port" --data "$work/data-idle"
  local pid=$node_pid
  heap() {
    jcmd "$pid" GC.run >/dev/null
    sleep 1
    curl -fs "http://127.0.0.1:$port/metrics" | awk '/^jvm_memory_used_bytes\{area="heap"/ {s += $NF} END {printf "%d", s}'
  }
  connections() {
    curl -fs "http://127.0.0.1:$port/metrics" | awk '/^cartero_connections/ {print int($NF)}'
  }
  local before; before=$(heap)
  java -jar "$jar" bench --server "ws://127.0.0.1:$port" -S 1 -P 1 -r 10 --idle 10000 \
    --duration 1s --warmup 60s --json >"$work/idle-only.json" 2>"$work/idle-only.err" &
  local bench_pid=$!
  local open=0
  for _ in $(seq 1 240); do
    open=$(connections)
    [ "${open:-0}" -ge 10002 ] && break
    sleep 0.5
  done
  local during; during=$(heap)
  kill "$bench_pid" 2>/dev/null || true
  wait "$bench_pid" 2>/dev/null || true
  echo "Heap after a full GC: $((before / 1024)) KiB with no connection, $((during / 1024)) KiB" \
    "with $open open: $(( (during - before) / (open > 0 ? open : 1) )) bytes per connection" \
    "(load $(load1))."
  for _ in $(seq 1 100); do
    [ "$(connections)" = 0 ] && break
    sleep 0.2
  done
  header "S=100, R=1000 beside 10,000 idle connections"
  for run in 1 2; do
    bench 100 1000 "$run" "ws://127.0.0.1:$port" -S 100 -P 10 -r 1000 --idle 10000
  done
  stop_pids
}

start() {
  echo
  echo "### Start-up: from running ./cartero server to /health answering (polled every 20 ms)"
  echo
  # The launcher makes its class archive once after a build; make it before timing.
  ./cartero --version >/dev/null 2>&1
  for run in 1 2 3; do
    local port; port=$(free_port)
    local t0; t0=$(date +%s%N)
    ./cartero server --host 127.0.0.1 --port "$port" --data "$work/data-start-$run" \
      >"$work/start-$run.log" 2>&1 &
    pids+=("$!")
    local up=
    for _ in $(seq 1 500); do
      if curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1; then up=yes; break; fi
      sleep 0.02
    done
    local t1; t1=$(date +%s%N)
    [ -n "$up" ] || { echo "the node did not start; see $work/start-$run.log" >&2; exit 1; }
    echo "- run $run: $(( (t1 - t0) / 1000000 )) ms (load $(load1))"
    stop_pids
  done
  echo
  echo "The same with java -jar, without the class archive:"
  echo
  for run in 1 2 3; do
    local port; port=$(free_port)
    local t0; t0=$(date +%s%N)
    java -jar "$jar" server --host 127.0.0.1 --port "$port" --data "$work/data-jar-$run" \
      >"$work/jar-$run.log" 2>&1 &
    pids+=("$!")
    local up=
    for _ in $(seq 1 500); do
      if curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1; then up=yes; break; fi
      sleep 0.02
    done
    local t1; t1=$(date +%s%N)
    [ -n "$up" ] || { echo "the node did not start; see $work/jar-$run.log" >&2; exit 1; }
    echo "- run $run: $(( (t1 - t0) / 1000000 )) ms (load $(load1))"
    stop_pids
  done
}

# thread_cpu PID: one line per thread of PID: its id, its CPU seconds (user and system) and
# its name with trailing numbers removed, so that pools add up (GC Thread#0, #1... as one).
thread_cpu() {
  local hz; hz=$(getconf CLK_TCK)
  for stat in /proc/"$1"/task/*/stat; do
    cat "$stat" 2>/dev/null || true
  done | python3 -c '
import re, sys
hz = int(sys.argv[1])
for line in sys.stdin:
    head, _, rest = line.rpartition(")")
    tid, _, name = head.partition(" (")
    fields = rest.split()
    cpu = (int(fields[11]) + int(fields[12])) / hz
    print("%s\t%.2f\t%s" % (tid, cpu, re.sub(r"[-#0-9]+$", "", name)))' "$hz"
}

# thread_cpu_table BEFORE AFTER: the CPU each group of threads spent between two snapshots.
thread_cpu_table() {
  python3 - "$1" "$2" <<'PY'
import collections, sys
def read(path):
    return {tid: (float(cpu), name) for tid, cpu, name in
            (line.rstrip("\n").split("\t") for line in open(path) if line.strip())}
before, after = read(sys.argv[1]), read(sys.argv[2])
spent = collections.Counter()
for tid, (cpu, name) in after.items():
    spent[name] += cpu - before.get(tid, (0.0, name))[0]
total = sum(spent.values())
print("| threads | CPU s | share |\n|---|---|---|")
for name, cpu in spent.most_common(12):
    print("| %s | %.2f | %.0f%% |" % (name, cpu, 100.0 * cpu / total if total else 0))
print("| all | %.2f | |" % total)
PY
}

# One point with Java Flight Recorder on the node(s) during warm-up and window: the methods
# where the samples land (top of stack), and the frames most often on the stack.
profile() {
  local shape=$1 s=$2 r=$3 servers
  if [ "$shape" = redis ]; then
    local rport; rport=$(free_port)
    redis-server --bind 127.0.0.1 --port "$rport" --save '' --appendonly no \
      --dir "$work" >"$work/redis.log" 2>&1 &
    pids+=("$!")
    sleep 0.5
    local a b; a=$(free_port); start_node "$a" --broker "redis://127.0.0.1:$rport"; local pa=$node_pid
    b=$(free_port); start_node "$b" --broker "redis://127.0.0.1:$rport"; local pb=$node_pid
    servers="ws://127.0.0.1:$a,ws://127.0.0.1:$b"
    local nodes=("$pa" "$pb")
  else
    local port; port=$(free_port)
    start_node "$port" --data "$work/data-profile"
    servers="ws://127.0.0.1:$port"
    local nodes=("$node_pid")
  fi
  # Samples every 2 ms (Java code) and 2 ms (threads in native code, such as socket writes).
  local java_home; java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  jfr configure --input "$java_home/lib/jfr/profile.jfc" "jdk.ExecutionSample#period=2 ms" \
    "jdk.NativeMethodSample#period=2 ms" --output "$work/sampling.jfc" >/dev/null
  for pid in "${nodes[@]}"; do
    jcmd "$pid" JFR.start name=bench settings="$work/sampling.jfc" filename="$work/node-$pid.jfr" \
      >/dev/null
  done
  header "Profiled: $shape, S=$s, R=$r, $idle_beside idle connections beside"
  for pid in "${nodes[@]}"; do thread_cpu "$pid" >"$work/threads-before-$pid"; done
  bench "$s" "$r" 1 "$servers" -S "$s" -P 10 -r "$r" --idle "$idle_beside"
  for pid in "${nodes[@]}"; do thread_cpu "$pid" >"$work/threads-after-$pid"; done
  for pid in "${nodes[@]}"; do
    echo
    echo "#### Node pid $pid: CPU seconds by thread during the runs (JIT and GC included)"
    echo
    thread_cpu_table "$work/threads-before-$pid" "$work/threads-after-$pid"
  done
  for pid in "${nodes[@]}"; do
    jcmd "$pid" JFR.stop name=bench >/dev/null
    jfr print --json --events jdk.ExecutionSample,jdk.NativeMethodSample "$work/node-$pid.jfr" \
      >"$work/samples-$pid.json"
    echo
    echo "#### Node pid $pid"
    python3 - "$work/samples-$pid.json" <<'PY'
import collections, json, sys
events = json.load(open(sys.argv[1]))["recording"]["events"]
# Threads parked in native code waiting for the network are not work: leave them out.
# (receive0 is the discovery announcer's thread waiting for a multicast query.)
WAITING = ("sun.nio.ch.EPoll.wait", "sun.nio.ch.Net.accept", "sun.nio.ch.Net.poll",
           "sun.nio.ch.DatagramChannelImpl.receive0")
def name(frame):
    m = frame["method"]
    return ("%s.%s" % (m["type"]["name"], m["name"])).replace("/", ".")
def summary(kind, title):
    top, anywhere, threads = collections.Counter(), collections.Counter(), collections.Counter()
    for e in events:
        if e["type"] != kind or not e["values"]["stackTrace"]:
            continue
        frames = [name(f) for f in e["values"]["stackTrace"]["frames"]]
        if not frames or frames[0] in WAITING:
            continue
        top[frames[0]] += 1
        for n in set(frames):
            anywhere[n] += 1
        thread = e["values"]["sampledThread"]
        threads[(thread.get("javaName") or thread.get("osName") or "?").rstrip("0123456789-")] += 1
    total = sum(top.values())
    print("\n%s: %d samples; threads %s\n" % (title, total, ", ".join(
        "%s %.0f%%" % (t, 100.0 * n / total) for t, n in threads.most_common(6))))
    if not total:
        return
    print("| top of stack | share |\n|---|---|")
    for n, c in top.most_common(12):
        print("| `%s` | %.1f%% |" % (n, 100.0 * c / total))
    print("\n| on the stack (Cartero, Jetty, Lettuce, Netty) | share |\n|---|---|")
    ours = [(n, c) for n, c in anywhere.most_common()
            if n.startswith(("io.cartero.", "org.eclipse.jetty.", "io.lettuce.", "io.netty."))]
    for n, c in ours[:20]:
        print("| `%s` | %.1f%% |" % (n, 100.0 * c / total))
summary("jdk.ExecutionSample", "Java code")
summary("jdk.NativeMethodSample", "In native code, not waiting for the network")
PY
  done
  stop_pids
}

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM; $(java -version 2>&1 | head -1); runs of $duration after $warmup of warm-up; $(date -u '+%Y-%m-%d %H:%M UTC')"
case "$part" in
  embedded) embedded ;;
  redis) redis ;;
  idle) idle ;;
  start) start ;;
  profile) profile "${profile_args[@]}" ;;
  all) embedded; redis; idle; start ;;
  *) echo "unknown part: $part" >&2; exit 2 ;;
esac
