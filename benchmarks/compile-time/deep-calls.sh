#!/usr/bin/env bash
# Compile time of a deep call tree: method m_k calls m_(k-1) twice, down to m_0, for depths given
# as arguments (default 2 4 6 8 10 12). Prints, per depth, the time javac with the Tapeless
# processor takes and the size of the companion it writes. Calls between @Differentiable methods
# are inlined until a callee's IR has more than 400 values, then called through its companion, so
# the companion grows with the depth, not with 2^depth (before that policy: 9.6 s and 144,231
# lines at depth 13). Run after `mvn -q -DskipTests package`
# (it compiles the modules first, and uses the processor and the examples' classpath). Not part of CI.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# each module writes its classpath to its own target/classpath.txt
mvn -q -f "$root/pom.xml" -pl examples -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
cp="$(cat "$root/examples/target/classpath.txt")"
pp="$root/processor/target/classes:$(cat "$root/processor/target/classpath.txt")"
mkdir -p "$work/src/p"
for depth in "${@:-2 4 6 8 10 12}"; do
  for d in $depth; do
    {
      echo "package p;"
      echo "import dev.tapeless.Differentiable;"
      echo "public class Deep {"
      echo "    @Differentiable public static double m0(double x) { return Math.sin(x) * x; }"
      for ((k = 1; k <= d; k++)); do
        echo "    @Differentiable public static double m$k(double x) { return m$((k - 1))(x) * 0.5 + m$((k - 1))(x + 1.0) * 0.25; }"
      done
      echo "}"
    } > "$work/src/p/Deep.java"
    rm -rf "$work/out" "$work/gen" && mkdir -p "$work/out" "$work/gen"
    start=$(date +%s%N)
    javac -J-Xmx2g -d "$work/out" -s "$work/gen" -cp "$cp" -processorpath "$pp" "$work/src/p/Deep.java"
    end=$(date +%s%N)
    printf "depth %2d: %6.1f s, companion %7d lines\n" "$d" "$(echo "($end - $start) / 1000000000" | bc -l)" \
      "$(wc -l < "$work/gen/p/DeepDerivatives.java")"
  done
done
