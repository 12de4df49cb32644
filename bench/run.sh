#!/usr/bin/env bash
# Runs every benchmark of the bench module and regenerates the results section of
# docs/BENCHMARKS.md and the chart docs/benchmarks.svg from what this run measured.
#
#   bench/run.sh                    # the full run: about 15 minutes on 2 cores (estimated; see below)
#   COLDSTART_RUNS=3 JMH_ARGS="-wi 1 -i 2 -r 2s" bench/run.sh   # a quicker, rougher run
#   BIG_MIB=64 RESULT_LINES=100000 RUN_REQUESTS=10000 RUN_REPEATS=1 bench/run.sh   # smaller files and run
#
# Where the time goes (2 cores): the build, 1-2 min; JMH get/walk, about 5 min; JMH download,
# upload and results of a 1 GiB file and 1,000,000 lines, about 3 min; cold start, under 1 min;
# the -Xmx64m runs (walk, downloads, cut downloads, uploads, results), about 2 min; three runs of
# batches().run of 100,000 requests against the sandbox, 1-2 min. The file benchmarks write up to
# 1 GiB at a time to java.io.tmpdir (set it with JAVA_TOOL_OPTIONS=-Djava.io.tmpdir=...).
#
# Raw results stay in bench/target/results (jmh.json, jmh.txt, coldstart.json, bounded.json,
# big.json, run.json, the per-contestant classpath files).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

OUT=bench/target/results
COLD_RUNS=${COLDSTART_RUNS:-10}
BIG_MIB=${BIG_MIB:-1024}
RESULT_LINES=${RESULT_LINES:-1000000}
RUN_REQUESTS=${RUN_REQUESTS:-100000}
RUN_REPEATS=${RUN_REPEATS:-3}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
BENCH_CLASSES=bench/target/classes

step() { printf '\n==> %s\n' "$*"; }

step "Build generated, facade, sandbox and bench (benchmarks.jar); write each module's runtime classpath"
./mvnw -B -q -ntp -pl bench -am package -DskipTests \
  dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=target/runtime.classpath
rm -rf "$OUT"
mkdir -p "$OUT"

step "Per-contestant runtime classpaths (footprint, cold start, bounded memory)"
module_jar() { ls "$1"/target/"$2"-[0-9]*.jar | grep -v -e '-sources' -e '-javadoc' -e '-all'; }
# raw: the generated models and their dependencies (OkHttp, Gson, and Retrofit which it does not use)
echo "$(module_jar generated mka1-batches-generated):$(cat generated/target/runtime.classpath)" > "$OUT/raw.classpath"
echo "$(module_jar facade mka1-batches):$(cat facade/target/runtime.classpath)" > "$OUT/facade.classpath"
# the run benchmark's server: the sandbox (WireMock), which needs no client
echo "$(module_jar sandbox mka1-batches-sandbox):$(cat sandbox/target/runtime.classpath)" > "$OUT/sandbox.classpath"
# openai-java as a user who adds only it resolves it (no pins of ours)
./mvnw -B -q -ntp -f bench/classpaths/openai-java/pom.xml dependency:build-classpath \
  -DincludeScope=runtime -Dmdep.outputFile="$PWD/$OUT/openai-java.classpath"

step "Machine"
{
  echo "nproc: $(nproc)"
  grep -m1 'model name' /proc/cpuinfo | sed 's/\s*:\s*/: /'
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "load average before the run (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
  "$JAVA" -version 2>&1
} | tee "$OUT/machine.txt"

step "JMH: get (1 thread), get8Threads (8 threads), walk (1,000 pages of 100), download and upload ($BIG_MIB MiB), results ($RESULT_LINES lines); forks 1, -prof gc"
# shellcheck disable=SC2086 # JMH_ARGS is a list of options
"$JAVA" -jar bench/target/benchmarks.jar -prof gc -p mib="$BIG_MIB" -p lines="$RESULT_LINES" \
  -rf json -rff "$OUT/jmh.json" ${JMH_ARGS:-} | tee "$OUT/jmh.txt"

step "Cold start: fresh JVM per contestant, one get, $COLD_RUNS rounds"
"$JAVA" -cp "$BENCH_CLASSES" com.mka1.bench.Harness coldstart "$OUT" "$BENCH_CLASSES" "$COLD_RUNS" "$OUT/coldstart.json"

step "Bounded memory: one walk of 100,000 batches per contestant under -Xmx64m"
"$JAVA" -cp "$BENCH_CLASSES" com.mka1.bench.Harness bounded "$OUT" "$BENCH_CLASSES" 64m 1000 "$OUT/bounded.json"

step "Big files under -Xmx64m: download, download cut at 50 %, upload ($BIG_MIB MiB), results ($RESULT_LINES lines)"
"$JAVA" -cp "$BENCH_CLASSES" com.mka1.bench.Harness big "$OUT" "$BENCH_CLASSES" 64m "$BIG_MIB" "$RESULT_LINES" "$OUT/big.json"

step "batches().run of $RUN_REQUESTS requests against the sandbox, client under -Xmx64m, $RUN_REPEATS runs"
"$JAVA" -cp "$BENCH_CLASSES" com.mka1.bench.Harness run "$OUT" "$BENCH_CLASSES" 64m "$RUN_REQUESTS" "$RUN_REPEATS" "$OUT/run.json"

step "Report: docs/BENCHMARKS.md (results section) and docs/benchmarks.svg"
"$JAVA" -cp bench/target/benchmarks.jar com.mka1.bench.Report "$OUT" docs/BENCHMARKS.md docs/benchmarks.svg
