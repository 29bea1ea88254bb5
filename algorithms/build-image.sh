#!/usr/bin/env bash
# Builds sagebrush/algorithms:1 and the per-algorithm aliases sagebrush/xgboost:1,
# sagebrush/linear-learner:1 and sagebrush/kmeans:1 (each sets SAGEBRUSH_ALGORITHM) offline,
# from local files only (there is no registry):
#   1. the jar algorithms/target/sagebrush-algorithms.jar (./mvnw -pl algorithms package);
#   2. a base with Java 17: $SAGEBRUSH_JRE_IMAGE, else eclipse-temurin:17-jre when it is already
#      on this host, else sagebrush/jre:17 made here: a jlink'ed runtime of the local JDK plus
#      busybox and the shared libraries java and xgboost4j need, imported with `docker import`;
#   3. docker build of algorithms/Dockerfile on that base, then the three aliases.
# Idempotent; re-running rebuilds the images from the current jar.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/sagebrush-algorithms.jar"
tag=${SAGEBRUSH_IMAGE_TAG:-1}
[ -f "$jar" ] || { echo "missing $jar: run ./mvnw -pl algorithms package first" >&2; exit 1; }

base=${SAGEBRUSH_JRE_IMAGE:-}
if [ -z "$base" ] && docker image inspect eclipse-temurin:17-jre >/dev/null 2>&1; then
  base=eclipse-temurin:17-jre
fi
if [ -z "$base" ]; then
  base=sagebrush/jre:17
  if ! docker image inspect "$base" >/dev/null 2>&1; then
    root=$(mktemp -d)
    trap 'rm -rf "$root"' EXIT
    jlink --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.sql,java.xml,jdk.httpserver,jdk.unsupported \
      --strip-debug --no-header-files --no-man-pages --output "$root/opt/java"
    mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/opt/ml"
    chmod 1777 "$root/tmp"
    busybox=$(command -v busybox || echo /bin/busybox)
    cp "$busybox" "$root/bin/busybox"
    for applet in $("$root/bin/busybox" --list); do
      [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
    done
    echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
    echo 'root:x:0:' > "$root/etc/group"
    # the shared libraries of java, the JDK's own libraries and xgboost4j's native library
    native=$(mktemp -d)
    unzip -q -o "$jar" 'lib/linux/*' -d "$native" 2>/dev/null || true
    # (java.desktop's AWT libraries are left alone: headless, they are never loaded)
    for f in "$root/opt/java/bin/java" $(find "$root/opt/java/lib" "$native" -name '*.so*' \
        ! -name 'libawt*' ! -name 'libjawt*' ! -name 'libfontmanager*' ! -name 'libsplashscreen*' \
        ! -name 'libjsound*' ! -name 'liblcms*' ! -name 'libmlib*' ! -name 'libjavajpeg*'); do
      ldd "$f" 2>/dev/null | awk '/=>/ && $3 ~ /^\// {print $3} /^\t\/lib/ {print $1}' || true
    done | sort -u | while read -r lib; do
      case "$lib" in "$root"/*) continue ;; esac
      cp -L --parents "$lib" "$root/"
    done
    rm -rf "$native"
    tar -C "$root" -c . | docker import \
      -c 'ENV PATH=/opt/java/bin:/bin' -c 'ENV JAVA_HOME=/opt/java' -c 'CMD ["/bin/sh"]' \
      - "$base" >/dev/null
  fi
fi

docker build -q --build-arg "BASE_IMAGE=$base" -t "sagebrush/algorithms:$tag" -f "$here/Dockerfile" "$here" >/dev/null
for algorithm in xgboost linear-learner kmeans; do
  printf 'FROM sagebrush/algorithms:%s\nENV SAGEBRUSH_ALGORITHM=%s\n' "$tag" "$algorithm" |
    docker build -q -t "sagebrush/$algorithm:$tag" -t "sagebrush/$algorithm:latest" - >/dev/null
done
docker images --format '{{.Repository}}:{{.Tag}}' | grep -E '^sagebrush/(algorithms|xgboost|linear-learner|kmeans|jre):' | sort
