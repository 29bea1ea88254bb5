#!/bin/bash
# Packs what bench/device/run_checks.sh needs on a machine that has a GPU but no JDK, nginx or wrk
# (the device machines lent to some tasks: nothing can be installed there). Run from the
# repository root after `./mvnw -o -q -pl common,inference-gateway,gpu-agent install -DskipTests`
# and `./mvnw -o -q -pl gpu-agent test-compile`; writes .devcarry/b.tar.xz (ignored by git):
#   jre/     a jlink image of this JDK 17 (javac included, for the bench server and GpuCheck.java)
#   bin/     nginx, wrk, openssl and taskset wrappers that use real/ and lib/ (Debian's builds and
#            the shared libraries they need besides glibc)
#   sagebrush-gateway.jar, classes/  the gateway's shaded jar, the gateway/agent/common classes
#   classes/before/  only with BEFORE_CLASSES=DIR: another build of the gateway's classes (with
#            the common classes it needs merged in) to compare with, as run_checks.sh describes
set -euo pipefail
B=$(mktemp -d)
trap 'rm -rf "$B"' EXIT
jlink --add-modules java.base,java.naming,java.net.http,java.sql,java.xml,java.logging,jdk.management,jdk.unsupported,jdk.crypto.ec,jdk.compiler,jdk.zipfs \
  --strip-debug --no-man-pages --no-header-files --compress=2 --output "$B/jre"
rm -f "$B/jre/lib/ct.sym"   # only javac --release reads it
mkdir -p "$B/bin" "$B/real" "$B/lib" "$B/classes"
cp "$(command -v nginx)" "$(command -v wrk)" "$(command -v openssl)" "$(command -v taskset)" "$B/real/"
for l in libcrypt.so.1 libpcre2-8.so.0 libssl.so.3 libcrypto.so.3 libz.so.1 libluajit-5.1.so.2; do
  cp -L "/lib/x86_64-linux-gnu/$l" "$B/lib/"
done
for t in nginx wrk openssl taskset; do
  printf '#!/bin/sh\nD=$(dirname "$(readlink -f "$0")")/..\nLD_LIBRARY_PATH=$D/lib exec $D/real/%s "$@"\n' "$t" >"$B/bin/$t"
  chmod +x "$B/bin/$t"
done
cp inference-gateway/target/sagebrush-gateway.jar "$B/"
cp -r inference-gateway/target/classes "$B/classes/gateway"
cp -r gpu-agent/target/classes "$B/classes/agent"
mkdir -p "$B/classes/agent-test" && cp -r gpu-agent/target/test-classes/io "$B/classes/agent-test/"
cp -r common/target/classes "$B/classes/common"
if [ -n "${BEFORE_CLASSES:-}" ]; then cp -r "$BEFORE_CLASSES" "$B/classes/before"; fi
mkdir -p .devcarry
grep -qs '^/.devcarry/' .git/info/exclude || echo /.devcarry/ >>.git/info/exclude
tar -C "$B" -cf - . | xz -T0 -6 >.devcarry/b.tar.xz
ls -la .devcarry/b.tar.xz
