#!/usr/bin/env bash
# A recursive node against a plain resolution (benchmarks/README.md, "Referrals of a top-level node"): a tree of
# three nodes (top 88, secondary 88.100, enterprise 88.100.1 holding $COUNT records 88.100.1/P%08d, the
# delegations imported offline) and a fourth node in recursive mode knowing only the top. First the cold cost:
# requests the recursive node sent upstream (its meter) for $COLD distinct identifiers asked of it for the first
# time. Then, over UDP at $IN_FLIGHT in flight, alternating, $REPEAT rounds each: the load generator against the
# enterprise node (plain) and against the recursive node (hot: every answer kept after an unmeasured priming run).
# Prints one line per run, with the node CPU per reply. Needs the jars: mvn -B -q package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
LOADGEN=benchmarks/target/loadgen.jar
NODE=resolver-server/bin/idnode
WORK=${WORK:-/tmp/idnode-recursivetest}
BASE=${PORT:-2661} # top, secondary, enterprise, recursive on BASE..BASE+3; the recursive node's HTTP on BASE+4
COUNT=${COUNT:-10000}
COLD=${COLD:-1000}
IN_FLIGHT=${IN_FLIGHT:-64}
WARMUP=${WARMUP:-3}
DURATION=${DURATION:-10}
REPEAT=${REPEAT:-3}
THREADS=${THREADS:-1}
PATTERN="88.100.1/P%08d:$COUNT"

rm -rf "$WORK"
mkdir -p "$WORK"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null || true; done' EXIT
start() { # NAME PREFIX PORT [OPTIONS...]: starts a node, records its pid in PIDS, waits until it is ready
  local name=$1 prefix=$2 port=$3
  shift 3
  "$NODE" serve --data "$WORK/$name" --prefix "$prefix" --port "$port" --threads "$THREADS" "$@" \
    > "$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 600); do
    grep -q "node ready" "$WORK/$name.log" 2> /dev/null && return 0
    sleep 0.2
  done
  echo "$name did not start; see $WORK/$name.log" >&2
  exit 1
}
delegate() { # PARENT CHILD PREFIX: the child's site as HS_SITE and HS_SITE.PREFIX of 0.NA/PREFIX on the parent
  local site
  site=$(jq -c . "$WORK/$2/siteinfo.json") # one line: the import reads JSON lines
  printf '{"handle":"0.NA/%s","values":[{"index":1,"type":"HS_SITE","data":{"format":"site","value":%s}},{"index":2,"type":"HS_SITE.PREFIX","data":{"format":"site","value":%s}}]}\n' \
    "$3" "$site" "$site" > "$WORK/$1-delegation.jsonl"
  "$NODE" import --data "$WORK/$1" "$WORK/$1-delegation.jsonl" > /dev/null
}
upstream() {
  curl -s "http://127.0.0.1:$((BASE + 4))/metrics" | awk '/^idnode_recursion_upstream_requests_total/ {print int($2)}'
}

java -jar "$LOADGEN" generate --pattern "$PATTERN" --out "$WORK/records.jsonl" > /dev/null
"$NODE" import --data "$WORK/enterprise" "$WORK/records.jsonl" > /dev/null
start enterprise 88.100.1 $((BASE + 2)) --http-port 0
ENTERPRISE_PID=${PIDS[-1]}
delegate secondary enterprise 88.100.1
start secondary 88.100 $((BASE + 1)) --http-port 0
delegate top secondary 88.100
start top 88 "$BASE" --http-port 0
start recursive 99 $((BASE + 3)) --http-port $((BASE + 4)) --root "$WORK/top/siteinfo.bin" --recursive \
  --recursion-rate 1000000
RECURSIVE_PID=${PIDS[-1]}

load() { # TARGET-PORT PID WARMUP DURATION [more options]
  local port=$1 pid=$2 warmup=$3 duration=$4
  shift 4
  java -jar "$LOADGEN" run --target "127.0.0.1:$port" --transport udp --in-flight "$IN_FLIGHT" --threads "$THREADS" \
    --pattern "$PATTERN" --distribution uniform --warmup "$warmup" --duration "$duration" --server-pid "$pid" "$@"
}
# Cold: $COLD identifiers never asked before, each asked about 20 times (all of them, with certainty).
before=$(upstream)
java -jar "$LOADGEN" run --target "127.0.0.1:$((BASE + 3))" --transport udp --in-flight 8 \
  --pattern "88.100.1/P%08d:$COLD" --distribution uniform --requests $((COLD * 20)) > "$WORK/cold.txt"
after=$(upstream)
echo "cold: $((after - before)) upstream requests for $COLD distinct identifiers" \
  "($(awk -v u=$((after - before)) -v n="$COLD" 'BEGIN {printf "%.3f", u / n}') per answer)"
# Unmeasured runs: JIT-compiled nodes, every record and every answer kept.
load $((BASE + 2)) "$ENTERPRISE_PID" 0 15 > /dev/null
load $((BASE + 3)) "$RECURSIVE_PID" 0 30 > /dev/null
primed=$(upstream)
for round in $(seq 1 "$REPEAT"); do
  load $((BASE + 2)) "$ENTERPRISE_PID" "$WARMUP" "$DURATION" >> "$WORK/plain.jsonl"
  load $((BASE + 3)) "$RECURSIVE_PID" "$WARMUP" "$DURATION" >> "$WORK/recursive.jsonl"
done
hot=$(upstream)
echo "upstream requests: $((primed - after)) during the priming run, $((hot - primed)) during the measured runs"
if command -v jq > /dev/null; then
  jq -rn --slurpfile p "$WORK/plain.jsonl" --slurpfile r "$WORK/recursive.jsonl" '
    def cpu(x): (x.server.cpuPercent * 10000 / x.throughput * 10 | round) / 10;
    range(0; $p | length) as $i
    | "round \($i + 1): plain \($p[$i].throughput | round)/s codes \($p[$i].responseCodes | tojson) \(cpu($p[$i])) µs CPU/reply, recursive \($r[$i].throughput | round)/s codes \($r[$i].responseCodes | tojson) \(cpu($r[$i])) µs CPU/reply, ratio \((($r[$i].throughput / $p[$i].throughput) * 100 | round) / 100)"'
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); results in $WORK/plain.jsonl and $WORK/recursive.jsonl"
