#!/usr/bin/env bash
# Runs the JMH micro-benchmarks of src/jmh/java (the frame codec, the memory broker's fan-out).
# They are compiled only with the Maven profile jmh, so ./mvnw verify never builds or runs them.
#
#   scripts/jmh.sh                      # every benchmark
#   scripts/jmh.sh FanOutBench -p subscribers=100   # JMH's own options follow
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q -Pjmh -DskipTests -Dcheckstyle.skip test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath >/dev/null
exec java -cp "target/jmh-classes:target/classes:$(cat target/jmh.classpath)" \
  org.openjdk.jmh.Main "$@"
