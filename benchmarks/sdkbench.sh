#!/usr/bin/env bash
# SDK resolution against the load generator, same node, same keys, same run: a node holding 100,000 imported
# records (the load matrix's), then, $REPEAT times in turn, the load generator over persistent TCP and the SDK
# (SdkResolveProbe: HandleClient.resolve over persistent TCP) at $INFLIGHT requests in flight, each with
# $THREADS I/O thread and one connection. Writes JSON lines to $WORK/loadgen.jsonl and $WORK/sdk.jsonl and
# prints the median run of each and the ratio of each round with its median (needs jq); SKIP_RESOLVE skips it.
# Then, unless SKIP_CREATES is set, SdkCreateProbe $REPEAT times, each against a fresh node process of its own
# (bin/idnode serve, one I/O thread, $NODE_OPTS added: default "--tcp-session-in-flight 128"; NODE_OPTS= for the
# node's default of 8), warmed by an uncounted
# run first; the client with $CONNECTIONS connections, one session each; $CREATES_IN_FLIGHT creates in flight,
# one case each. Every run's rows in $WORK/creates.txt, and a table of the median run per case with the CPU time
# per create of the client and of the node process (from /proc/PID/stat: it survives a loaded machine) and the
# load average of each run.
# Needs the jars: mvn -B -q package -pl benchmarks -am -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
LOADGEN=benchmarks/target/loadgen.jar
BENCH=benchmarks/target/benchmarks.jar
NODE=resolver-server/bin/idnode
WORK=${WORK:-/tmp/idnode-sdkbench}
PORT=${PORT:-2651}
WARMUP=${WARMUP:-5}
DURATION=${DURATION:-10}
REPEAT=${REPEAT:-3}
INFLIGHT=${INFLIGHT:-64}
THREADS=${THREADS:-1}
CALLBACKS=${CALLBACKS:-pool}
CONNECTIONS=${CONNECTIONS:-2}
CREATES_IN_FLIGHT=${CREATES_IN_FLIGHT:-1,16,256}
KEYS='88.100.1/P%08d:100000'

rm -rf "$WORK"
mkdir -p "$WORK"
if [ -z "${SKIP_RESOLVE:-}" ]; then
  java -jar "$LOADGEN" generate --pattern "$KEYS" --out "$WORK/records.jsonl"
  "$NODE" import --data "$WORK/node" "$WORK/records.jsonl"
  "$NODE" serve --data "$WORK/node" --port "$PORT" --threads "$THREADS" > "$WORK/node.log" 2>&1 &
  NODE_PID=$!
  trap 'kill "$NODE_PID" 2> /dev/null || true' EXIT
  for _ in $(seq 1 100); do grep -q "listening on" "$WORK/node.log" 2>/dev/null && break; sleep 0.2; done

  # An uncounted run first: JIT-compiled node, every record in the hot cache.
  java -jar "$LOADGEN" run --target "127.0.0.1:$PORT" --transport tcp --in-flight 64 --pattern "$KEYS" \
    --distribution uniform --warmup 0 --duration 15 > /dev/null
  for round in $(seq 1 "$REPEAT"); do
    java -jar "$LOADGEN" run --target "127.0.0.1:$PORT" --transport tcp --in-flight "$INFLIGHT" --threads "$THREADS" \
      --pattern "$KEYS" --distribution zipf --warmup "$WARMUP" --duration "$DURATION" --server-pid "$NODE_PID" \
      >> "$WORK/loadgen.jsonl"
    java -cp "$BENCH" io.idnode.bench.SdkResolveProbe --target "127.0.0.1:$PORT" --transport tcp \
      --in-flight "$INFLIGHT" --threads "$THREADS" --callbacks "$CALLBACKS" --pattern "$KEYS" --distribution zipf \
      --warmup "$WARMUP" --duration "$DURATION" 2> /dev/null | grep '^{' >> "$WORK/sdk.jsonl"
  done
  kill "$NODE_PID"
  # Load from elsewhere on the machine hits the two runs of a round alike: the ratio is taken per round, and its
  # median reported with the median run of each.
  jq -rn --slurpfile g "$WORK/loadgen.jsonl" --slurpfile s "$WORK/sdk.jsonl" '
    def median: sort | .[length / 2 | floor];
    def mid: sort_by(.throughput) | .[length / 2 | floor];
    ([range(0; $g | length)] | map($s[.].throughput / $g[.].throughput)) as $ratios
    | ($g | mid) as $gm | ($s | mid) as $sm
    | "| load generator, TCP, \($gm.inFlight) in flight | \($gm.throughput | round) | \($gm.latencyMicros.p50) / \($gm.latencyMicros.p99) |",
      "| SDK (\($sm.callbacks) callbacks), TCP, \($sm.inFlight) in flight | \($sm.throughput | round) | \($sm.latencyMicros.p50) / \($sm.latencyMicros.p99) |",
      "| SDK / load generator, per round | \($ratios | map(. * 100 | round / 100) | join(", ")) (median \($ratios | median * 100 | round / 100)) | |"'
fi
if [ -z "${SKIP_CREATES:-}" ]; then
  echo "load average before the creates: $(cut -d' ' -f1-3 /proc/loadavg)"
  CPORT=$((PORT + 1))
  for round in $(seq 1 "$REPEAT"); do
    rm -rf "$WORK/cnode"
    # shellcheck disable=SC2086
    "$NODE" serve --data "$WORK/cnode" --port "$CPORT" --http-port 0 --threads 1 --admin 300:0.NA/88.100.1 \
      ${NODE_OPTS---tcp-session-in-flight 128} > "$WORK/cnode.log" 2>&1 &
    CNODE_PID=$!
    trap 'kill "$CNODE_PID" 2> /dev/null || true' EXIT
    for _ in $(seq 1 300); do grep -q "listening on" "$WORK/cnode.log" 2>/dev/null && break; sleep 0.2; done
    PROBE=(java -cp "$BENCH" io.idnode.bench.SdkCreateProbe --target "127.0.0.1:$CPORT"
      --key "$WORK/cnode/keys/admin.pem" --connections "$CONNECTIONS")
    # Uncounted: a JIT-compiled node.
    "${PROBE[@]}" --in-flight 256 --warm-up 20000 --seconds 5 > /dev/null 2>&1
    "${PROBE[@]}" --seconds "$DURATION" --server-pid "$CNODE_PID" --in-flight "$CREATES_IN_FLIGHT" 2> /dev/null \
      | grep -v ' INFO \| WARN ' | tee -a "$WORK/creates.txt"
    kill "$CNODE_PID"
    wait "$CNODE_PID" 2> /dev/null || true
  done
  echo "load average after the creates: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "| connections | in flight | creates/s (median run) | client CPU µs/create | node CPU µs/create | load average | runs, sorted |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  for n in $(awk '$1 ~ /^[0-9]+$/ {print $1}' "$WORK/creates.txt" | sort -un); do
    rows=$(awk -v n="$n" '$1 ~ /^[0-9]+$/ && $1 == n && $2 == "off"' "$WORK/creates.txt" | sort -k4 -n)
    count=$(echo "$rows" | wc -l)
    mid=$(echo "$rows" | sed -n "$(( (count + 1) / 2 ))p")
    rates=$(echo "$rows" | awk '{printf "%.0f ", $4}')
    echo "$mid" | awk -v c="$CONNECTIONS" -v runs="$rates" \
      '{printf "| %s | %s | %.0f | %s | %s | %s | %s |\n", c, $1, $4, $5, $6, $8, runs}'
  done
fi
