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
for dir in "$here"/*/; do
  [ -f "$dir/Dockerfile" ] || continue
  name=$(basename "$dir")
  docker build -q -t "sagebrush-test/$name:1" "$dir" >/dev/null
done
docker images --format '{{.Repository}}:{{.Tag}}' | grep '^sagebrush-test/' | sort
