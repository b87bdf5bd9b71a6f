#!/usr/bin/env bash
# Runs JMH benchmarks of this module with the JVM flags Floe needs (from the parent pom).
# Usage: jmh/run-bench.sh [JMH options] [benchmark regexp]   e.g. jmh/run-bench.sh -prof gc MemtableBench
# Builds the module first if it has not been built. Set FLOE_JMH_BUILD_DIR to use another build dir.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${FLOE_JMH_BUILD_DIR:-$here/target}
if [ ! -f "$build/classpath.txt" ] || [ ! -d "$build/classes" ]; then
  (cd "$here/.." && mvn -B -q install -DskipTests -Dfloe.jmh.build.dir="$build" -pl jmh -am)
fi
# The host JVM only coordinates; BenchMain appends the full flag list to every forked benchmark JVM.
exec java -Dchronicle.analytics.disable=true -cp "$build/classes:$(cat "$build/classpath.txt")" io.floe.jmh.BenchMain "$@"
