#!/usr/bin/env bash
# Runs every benchmark of the bench module and regenerates the results section of
# docs/BENCHMARKS.md and the chart docs/benchmarks.svg from what this run measured.
#
#   bench/run.sh                    # the full run: about 8 minutes on 2 cores
#   COLDSTART_RUNS=3 JMH_ARGS="-wi 1 -i 2 -r 2s" bench/run.sh   # a quicker, rougher run
#
# Raw results stay in bench/target/results (jmh.json, jmh.txt, coldstart.json, bounded.json,
# the per-contestant classpath files).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

OUT=bench/target/results
RUNS=${COLDSTART_RUNS:-10}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
BENCH_CLASSES=bench/target/classes

step() { printf '\n==> %s\n' "$*"; }

step "Build generated, facade and bench (benchmarks.jar); write each module's runtime classpath"
./mvnw -B -q -ntp -pl bench -am package -DskipTests \
  dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=target/runtime.classpath
rm -rf "$OUT"
mkdir -p "$OUT"

step "Per-contestant runtime classpaths (footprint, cold start, bounded memory)"
module_jar() { ls "$1"/target/"$2"-[0-9]*.jar | grep -v -e '-sources' -e '-javadoc'; }
# raw: the generated models and their dependencies (OkHttp, Gson, and Retrofit which it does not use)
echo "$(module_jar generated mka1-batches-generated):$(cat generated/target/runtime.classpath)" > "$OUT/raw.classpath"
echo "$(module_jar facade mka1-batches):$(cat facade/target/runtime.classpath)" > "$OUT/facade.classpath"
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

step "JMH: get (1 thread), get8Threads (8 threads), walk (1,000 pages of 100), forks 1, -prof gc"
# shellcheck disable=SC2086 # JMH_ARGS is a list of options
"$JAVA" -jar bench/target/benchmarks.jar -prof gc -rf json -rff "$OUT/jmh.json" ${JMH_ARGS:-} | tee "$OUT/jmh.txt"

step "Cold start: fresh JVM per contestant, one get, $RUNS rounds"
"$JAVA" -cp "$BENCH_CLASSES" com.mka1.bench.Harness coldstart "$OUT" "$BENCH_CLASSES" "$RUNS" "$OUT/coldstart.json"

step "Bounded memory: one walk of 100,000 batches per contestant under -Xmx64m"
"$JAVA" -cp "$BENCH_CLASSES" com.mka1.bench.Harness bounded "$OUT" "$BENCH_CLASSES" 64m 1000 "$OUT/bounded.json"

step "Report: docs/BENCHMARKS.md (results section) and docs/benchmarks.svg"
"$JAVA" -cp bench/target/benchmarks.jar com.mka1.bench.Report "$OUT" docs/BENCHMARKS.md docs/benchmarks.svg
