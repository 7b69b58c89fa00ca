#!/usr/bin/env bash
# Fuzzes the parsers with Jazzer, each target for SECONDS (default 120), then merges the inputs that
# reached new code into the corpus kept in the repo (src/test/resources/<package>/<Test>Inputs/
# <method>/), which every `./mvnw verify` replays. A finding is copied there too, so the build
# fails on it until it is fixed; the script then exits non-zero.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      TARGET: canonicaliser framing config (default: all)
#   MVN_FLAGS=-o scripts/fuzz.sh 30 framing    offline Maven, 30 s of the framing target
#
# Work files (the full generated corpus, findings, logs) are under <module>/target/fuzz/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-120}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(canonicaliser framing config)

# target -> module, fuzz test class, method, classes to instrument (Jazzer globs, ':'-separated)
declare -A spec=(
  [canonicaliser]="xecure-core io.xecure.routing.PathCanonicaliserFuzzTest canonicalise io.xecure.**"
  [framing]="xecure-server io.xecure.proxy.RequestFramingFuzzTest decode io.xecure.**:io.netty.handler.codec.http.**:io.vertx.core.http.impl.VertxHttpRequestDecoder"
  [config]="xecure-core io.xecure.config.ConfigLoaderFuzzTest parse io.xecure.**:com.fasterxml.jackson.dataformat.yaml.**:org.yaml.snakeyaml.**"
)
modules=$(for t in "${targets[@]}"; do
  [ -n "${spec[$t]:-}" ] || { echo "unknown target $t (known: ${!spec[*]})" >&2; exit 2; }
  set -- ${spec[$t]}; echo "$1"; done | sort -u | paste -sd,)

echo "== compiling $modules and their test classpath"
./mvnw -B -q ${MVN_FLAGS:-} -pl "$modules" -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/fuzz-classpath.txt -Dmdep.includeScope=test

# Jazzer 0.24 corrupts records whose components carry type annotations (@Nullable) when it
# instruments them (NoSuchFieldError); a record is data, so leave every record of ours alone.
records() {
  local dir
  for dir in "$@"; do
    [ -d "$dir" ] || continue
    (cd "$dir" && find . -name '*.class' | sed 's|^\./||; s|\.class$||; s|/|.|g') \
      | xargs -r javap -cp "$dir" 2>/dev/null \
      | sed -n 's/.*class \([^ ]*\) extends java\.lang\.Record.*/\1/p'
  done | paste -sd:
}

failed=0
for t in "${targets[@]}"; do
  set -- ${spec[$t]}
  module=$1 class=$2 method=$3 includes=$4
  work=$root/$module/target/fuzz/$t
  inputs=$root/$module/src/test/resources/${class//.//}Inputs/$method
  rm -rf "$work/findings"
  mkdir -p "$work/corpus" "$work/findings" "$work/bin" "$inputs"
  cp="$root/$module/target/test-classes:$root/$module/target/classes:$(cat "$root/$module/target/fuzz-classpath.txt")"
  dirs=$(echo "$cp" | tr ':' '\n' | grep -v '\.jar$' || true)
  excludes=$(records $dirs)
  # libFuzzer's merge runs the fuzzer again as "jazzer": give it one that starts this JVM
  printf '#!/bin/sh\nexec java -Xmx1g -cp "%s" com.code_intelligence.jazzer.Jazzer "$@"\n' "$cp" \
    > "$work/bin/jazzer"
  chmod +x "$work/bin/jazzer"
  jazzer=(env PATH="$work/bin:$PATH" jazzer --target_class="$class" --target_method="$method"
    --instrumentation_includes="$includes" --instrumentation_excludes="$excludes")

  echo "== $t: fuzzing $class.$method for ${seconds}s (log: $work/fuzz.log)"
  (cd "$work" && "${jazzer[@]}" -max_total_time="$seconds" -timeout=60 \
    -artifact_prefix="$work/findings/" corpus "$inputs") > "$work/fuzz.log" 2>&1 || true
  grep -E '^#[0-9]+ +DONE|^Done [0-9]+ runs' "$work/fuzz.log" | tail -2 || true
  if [ -n "$(ls "$work/findings")" ]; then
    failed=1
    grep -A12 -E '^== Java Exception|^==[0-9]+== ERROR' "$work/fuzz.log" | head -30 >&2 || true
    for f in "$work/findings"/*; do cp -n "$f" "$inputs/"; done
    echo "!! $t: finding(s) copied to $inputs" >&2
  fi

  count=$(ls "$inputs" | wc -l)
  (cd "$work" && "${jazzer[@]}" -set_cover_merge=1 "$inputs" corpus) > "$work/merge.log" 2>&1 || true
  echo "== $t: corpus in the repo $count -> $(ls "$inputs" | wc -l) inputs ($(grep -o 'MERGE-OUTER: [0-9]* new files.*' "$work/merge.log" || echo 'merge failed, see merge.log'))"
done
exit $failed
