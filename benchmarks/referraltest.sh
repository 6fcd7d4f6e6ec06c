#!/usr/bin/env bash
# Referrals of a top-level node against its own plain resolutions (benchmarks/README.md, "Referrals"): a node
# homing 88 holds $COUNT records 88/P%08d and $COUNT delegation records 0.NA/88.N (HS_SITE.PREFIX naming a child
# site); the load generator asks, uniformly over them, either 88/P... (plain, 1) or 0.NA/88.N.1 (a derived prefix
# below a delegation: 303), over UDP at $IN_FLIGHT in flight, alternating, $REPEAT rounds each. Prints one line
# per run and the median ratio. Needs the jars: mvn -B -q package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
LOADGEN=benchmarks/target/loadgen.jar
NODE=resolver-server/bin/idnode
WORK=${WORK:-/tmp/idnode-referraltest}
PORT=${PORT:-2651}
COUNT=${COUNT:-100000}
IN_FLIGHT=${IN_FLIGHT:-64}
WARMUP=${WARMUP:-3}
DURATION=${DURATION:-10}
REPEAT=${REPEAT:-3}
THREADS=${THREADS:-1}
PLAIN="88/P%08d:$COUNT"
REFERRED="0.NA/88.%d.1:$COUNT"

rm -rf "$WORK"
mkdir -p "$WORK"
java -jar "$LOADGEN" generate --pattern "$PLAIN" --out "$WORK/records.jsonl"
site='{"version":1,"protocolVersion":"2.11","serialNumber":1,"primarySite":true,"multiPrimary":false,"attributes":[],"servers":[{"serverId":1,"address":"127.0.0.1","publicKey":{"format":"base64","value":""},"interfaces":[{"query":true,"admin":true,"protocol":"TCP","port":2652},{"query":true,"admin":false,"protocol":"UDP","port":2652}]}]}'
for ((n = 0; n < COUNT; n++)); do
  printf '{"handle":"0.NA/88.%d","values":[{"index":2,"type":"HS_SITE.PREFIX","data":{"format":"site","value":%s}}]}\n' "$n" "$site"
done >> "$WORK/records.jsonl"
"$NODE" import --data "$WORK/node" "$WORK/records.jsonl"

IDNODE_JAVA_OPTS="${NODE_JAVA_OPTS:-}" "$NODE" serve --data "$WORK/node" --prefix 88 --port "$PORT" \
  --threads "$THREADS" > "$WORK/node.log" 2>&1 &
NODE_PID=$!
trap 'kill "$NODE_PID" 2> /dev/null || true' EXIT
for _ in $(seq 1 150); do
  grep -q "listening on" "$WORK/node.log" 2> /dev/null && break
  sleep 0.2
done

load() { # $1 = keys, $2 = warm-up s, $3 = duration s
  java -jar "$LOADGEN" run --target "127.0.0.1:$PORT" --transport udp --in-flight "$IN_FLIGHT" --threads "$THREADS" \
    --pattern "$1" --distribution uniform --warmup "$2" --duration "$3" --server-pid "$NODE_PID"
}
# Unmeasured runs first: JIT-compiled node, every record and every referral in the caches.
load "$PLAIN" 0 15 > /dev/null
load "$REFERRED" 0 15 > /dev/null
for round in $(seq 1 "$REPEAT"); do
  load "$PLAIN" "$WARMUP" "$DURATION" >> "$WORK/plain.jsonl"
  load "$REFERRED" "$WARMUP" "$DURATION" >> "$WORK/referred.jsonl"
done
if command -v jq > /dev/null; then
  jq -rn --slurpfile p "$WORK/plain.jsonl" --slurpfile r "$WORK/referred.jsonl" '
    range(0; $p | length) as $i
    | "round \($i + 1): plain \($p[$i].throughput | round)/s codes \($p[$i].responseCodes | tojson), referrals \($r[$i].throughput | round)/s codes \($r[$i].responseCodes | tojson), ratio \((($r[$i].throughput / $p[$i].throughput) * 100 | round) / 100)"'
fi
echo "results in $WORK/plain.jsonl and $WORK/referred.jsonl"
