#!/usr/bin/env bash
# Builds Cornu into a private local repository, then a fresh Maven project that declares only
# org.cornu:cornu (.ci/external-project/pom.xml), with the README's getting-started program as its
# source, and runs it. Checks that every Cornu jar has its sources and javadoc jars beside it.
#
#   .ci/external-project.sh [REPO_DIR]     (default: target/external-m2, seeded from ~/.m2)
#
# Not part of .ci/run (a full install with javadoc takes minutes); run it before a release.
# Needs Keras's mnist.npz in $CORNU_DATASETS, ~/.keras/datasets, or a network to download it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
repo=$(realpath -m "${1:-target/external-m2}")
export CORNU_DATASETS="${CORNU_DATASETS:-../shared/datasets}"
export CORNU_DATASETS=$(realpath -m "$CORNU_DATASETS")
if [ ! -d "$repo" ] && [ -d "$HOME/.m2/repository" ]; then
  mkdir -p "$repo"
  cp -a "$HOME/.m2/repository/." "$repo/"
  rm -rf "$repo/org/cornu"   # only what this checkout builds
fi
mvn -B -q -Dmaven.repo.local="$repo" install -DskipTests

status=0
for m in cornu cornu-core cornu-layers cornu-optimizers cornu-losses cornu-datasets; do
  for c in "" -sources -javadoc; do
    f="$repo/org/cornu/$m/0.1.0-SNAPSHOT/$m-0.1.0-SNAPSHOT$c.jar"
    if [ -f "$f" ]; then echo "ok: $(basename "$f")"; else echo "MISSING: $f"; status=1; fi
  done
done
[ -f "$repo/org/cornu/cornu-bom/0.1.0-SNAPSHOT/cornu-bom-0.1.0-SNAPSHOT.pom" ] && echo "ok: cornu-bom pom" || { echo "MISSING: cornu-bom"; status=1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp .ci/external-project/pom.xml "$work/"
mkdir -p "$work/src/main/java"
# The README's program: the java block right after the "external-project:" marker.
awk '/<!-- external-project: GettingStarted.java/ {m=1; next} m && /^```java/ {p=1; next} p && /^```/ {exit} p' README.md \
  > "$work/src/main/java/GettingStarted.java"
grep -q "class GettingStarted" "$work/src/main/java/GettingStarted.java" || { echo "README has no getting-started program"; exit 1; }
cd "$work"
mvn -B -q -Dmaven.repo.local="$repo" compile dependency:build-classpath -Dmdep.outputFile=cp.txt
out=$(java -Xmx2g -Dorg.bytedeco.javacpp.maxPhysicalBytes=8G -cp "target/classes:$(cat cp.txt)" GettingStarted | tee /dev/stderr)
echo "$out" | grep -q "^test_acc: 0\.9[5-9]" || { echo "FAILED: no test_acc of at least 0.95 printed"; exit 1; }
echo "external project: OK"
exit $status
