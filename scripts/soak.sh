#!/usr/bin/env bash
# A long run against a fresh node: many clients, a steady rate, and at the end the losses,
# duplicates, latency percentiles and the node's memory at start and end.
#
#   scripts/soak.sh [--minutes 10] [--clients 500] [--rooms 10] [--rate 100]
#                   [--broker memory|embedded|redis://…]  (embedded: on a fresh temporary folder)
#
# Not part of CI: it runs for minutes. Needs a JDK 17+ and Linux (/proc for the memory).
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=10 seconds="" clients=500 rooms=10 rate=100 broker=memory
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=$2 ;;
    --seconds) seconds=$2 ;;
    --clients) clients=$2 ;;
    --rooms) rooms=$2 ;;
    --rate) rate=$2 ;;
    --broker) broker=$2 ;;
    *) echo "unknown option: $1 (see the top of $0)" >&2; exit 2 ;;
  esac
  shift 2
done

# Each client holds a few file descriptors; 500 of them need more than the usual 1024.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

echo "building the jar and the test classes..."
./mvnw -B -q -DskipTests package
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/soak.classpath >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=target/soak-server.log
data=$(mktemp -d)
if [ "$broker" = embedded ]; then where=(--data "$data"); else where=(--broker "$broker"); fi
java -jar target/cartero.jar server --host 127.0.0.1 --port "$port" "${where[@]}" \
  --max-connections-per-address 1000 \
  >"$log" 2>&1 &
node=$!
cleanup() { kill "$node" 2>/dev/null || true; wait "$node" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/health" >/dev/null || { echo "the node did not start; see $log" >&2; exit 1; }

java -Xss512k -Dlogback.configurationFile=src/main/resources/logback.xml -cp "target/test-classes:target/classes:$(cat target/soak.classpath)" \
  io.cartero.soak.Soak --server "ws://127.0.0.1:$port" --clients "$clients" --rooms "$rooms" \
  --rate "$rate" --seconds "${seconds:-$((minutes * 60))}" --node-pid "$node" \
  2>target/soak-clients.log
