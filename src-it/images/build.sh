#!/usr/bin/env bash
# Builds the local test images (there is no registry): a busybox base imported from a rootfs
# tarball, then every image under src-it/images/<name>/Dockerfile as sagebrush-test/<name>:1.
# Idempotent and quick when the images exist (docker build uses its cache).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
busybox=$(command -v busybox || true)
[ -n "$busybox" ] || busybox=/bin/busybox
if ! docker image inspect sagebrush-test/busybox:1 >/dev/null 2>&1; then
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/opt/ml"
  cp "$busybox" "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
  echo 'root:x:0:' > "$root/etc/group"
  tar -C "$root" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' - sagebrush-test/busybox:1 >/dev/null
  rm -rf "$root"
fi
# An image whose base is not here yet (sagebrush/algorithms:1 comes from
# algorithms/build-image.sh, which the tests run on demand) is skipped with a note; run this
# script again once the base exists. A directory with src/*.java is built from a temporary context
# holding its Dockerfile and server.jar, compiled from src/ with the host's javac.
for dir in "$here"/*/; do
  [ -f "$dir/Dockerfile" ] || continue
  name=$(basename "$dir")
  base=$(awk 'toupper($1) == "FROM" {print $2; exit}' "$dir/Dockerfile")
  if ! docker image inspect "$base" >/dev/null 2>&1; then
    echo "skipping sagebrush-test/$name:1: its base image $base is missing" >&2
    continue
  fi
  context=$dir
  if compgen -G "$dir/src/*.java" >/dev/null; then
    context=$(mktemp -d)
    mkdir -p "$context/classes"
    javac --release 17 -nowarn -d "$context/classes" "$dir"/src/*.java
    main=$(basename "$(ls "$dir"/src/*.java | head -n 1)" .java)
    # a fixed entry date keeps the jar's bytes, and so docker's layer cache, stable across builds
    jar --create --date=2000-01-01T00:00:00Z --file "$context/server.jar" --main-class "$main" \
      -C "$context/classes" .
    cp "$dir/Dockerfile" "$context/Dockerfile"
  fi
  docker build -q -t "sagebrush-test/$name:1" "$context" >/dev/null
  [ "$context" = "$dir" ] || rm -rf "$context"
done
docker images --format '{{.Repository}}:{{.Tag}}' | grep '^sagebrush-test/' | sort
