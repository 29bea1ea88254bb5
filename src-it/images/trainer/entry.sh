#!/bin/sh
# SageMaker-contract test trainer. Invoked as `entry.sh train`.
# Hyperparameters (strings in /opt/ml/input/config/hyperparameters.json, or TRAINER_* env):
#   mode      noop | succeed | fail | sleep | hosts   (default succeed)
#   epochs    number of metric lines to print          (default 3)
#   seconds   how long mode=sleep sleeps               (default 600)
#   greeting  free text copied into model.txt          (default hello)
#   ignore_term  yes: mode=sleep keeps running on SIGTERM (tests the SIGKILL after the grace)
ML=${ML_ROOT:-/opt/ml}
CONFIG=$ML/input/config
HP=$CONFIG/hyperparameters.json

# hp NAME DEFAULT: the string value of NAME in hyperparameters.json, else $TRAINER_<NAME>, else DEFAULT.
hp() {
  value=""
  if [ -f "$HP" ]; then
    value=$(tr -d '\n' < "$HP" | sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p")
  fi
  if [ -z "$value" ]; then
    value=$(eval "printf '%s' \"\${TRAINER_$(echo "$1" | tr 'a-z' 'A-Z'):-}\"")
  fi
  [ -n "$value" ] && printf '%s' "$value" || printf '%s' "$2"
}

now() { date +%s; }

if [ "${1:-}" != "train" ]; then
  echo "expected the argument 'train', got '$*'" >&2
  exit 64
fi

mode=$(hp mode succeed)
echo "trainer start epoch=$(now) mode=$mode host=$(hostname) job=${TRAINING_JOB_NAME:-unknown}"
mkdir -p "$ML/model" "$ML/output/data"

case "$mode" in
  noop)
    exit 0
    ;;

  succeed)
    epochs=$(hp epochs 3)
    greeting=$(hp greeting hello)
    lines=0
    files=""
    for channel in "$ML"/input/data/*/; do
      [ -d "$channel" ] || continue
      for f in $(find "$channel" -type f | sort); do
        n=$(wc -l < "$f")
        lines=$((lines + n))
        files="$files $(basename "$channel")/${f#$channel}"
      done
    done
    i=1
    while [ "$i" -le "$epochs" ]; do
      echo "epoch=$i loss=0.$((50 - i))"
      i=$((i + 1))
    done
    echo "validation accuracy=0.93"
    {
      echo "greeting=$greeting"
      echo "lines=$lines"
      echo "files=$(echo $files)"
    } > "$ML/model/model.txt"
    if [ -d "$ML/input/data/train" ]; then
      cat $(find "$ML/input/data/train" -type f | sort) > "$ML/model/train-copy.txt"
    fi
    echo "extra output of ${TRAINING_JOB_NAME:-unknown}" > "$ML/output/data/extra.txt"
    echo "stderr line from the trainer" >&2
    echo "trainer done"
    exit 0
    ;;

  fail)
    echo "about to fail"
    echo "bad things" > "$ML/output/failure"
    exit 3
    ;;

  sleep)
    seconds=$(hp seconds 600)
    if [ "$(hp ignore_term no)" = yes ]; then
      trap 'echo "trainer ignores SIGTERM"' TERM
    else
      trap 'echo "trainer got SIGTERM"; echo stopped > "$ML/model/partial.txt"; exit 0' TERM
    fi
    echo "sleeping for $seconds s"
    i=0
    while [ "$i" -lt "$seconds" ]; do
      sleep 1 &
      wait $!
      i=$((i + 1))
      [ $((i % 5)) -eq 0 ] && echo "slept $i s"
    done
    echo "woke up after $seconds s" > "$ML/model/slept.txt"
    exit 0
    ;;

  hosts)
    rc=$(tr -d '\n' < "$CONFIG/resourceconfig.json")
    echo "resourceconfig=$rc"
    current=$(echo "$rc" | sed -n 's/.*"current_host"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
    hosts=$(echo "$rc" | sed -n 's/.*"hosts"[[:space:]]*:[[:space:]]*\[\([^]]*\)\].*/\1/p' | tr -d '" ' | tr ',' ' ')
    cp "$CONFIG/resourceconfig.json" "$ML/model/resourceconfig-$current.json"
    for h in $hosts; do
      [ "$h" = "$current" ] && continue
      tries=0
      until ip=$(nslookup "$h" 2>/dev/null | awk '/^Name:/ {found=1} found && /^Address/ {print $NF; exit}') && [ -n "$ip" ]; do
        tries=$((tries + 1))
        if [ "$tries" -ge 60 ]; then
          echo "could not resolve $h from $current" > "$ML/output/failure"
          exit 2
        fi
        sleep 1
      done
      echo "$current resolved $h to $ip"
      echo "$h $ip" >> "$ML/model/resolved-$current.txt"
    done
    # stay up a little so peers can resolve this host too
    sleep 3
    exit 0
    ;;

  *)
    echo "unknown mode $mode" > "$ML/output/failure"
    exit 64
    ;;
esac
