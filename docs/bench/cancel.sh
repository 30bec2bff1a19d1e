#!/usr/bin/env bash
# Measures how long a cancelled `switchman release` takes to roll back and exit: the demo releases v2 with a
# 60 s bake, and the release gets SIGTERM once the bake has begun (as a CD runner cancelling the job sends it).
# Prints, per run, the milliseconds from the signal to the process's exit, and its exit code (1: rolled back).
# Usage: docs/bench/cancel.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
./switchman --version >/dev/null
out=$(mktemp -d)
echo "results in $out" >&2
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now_ms() { date +%s%3N; }

for i in $(seq 1 "$runs"); do
  dir="$out/run$i"; mkdir -p "$dir"
  printf 'name: long-bake\nsteps:\n  - weight: 100\nbake: 60s\nmaxErrorRate: 0.01\n' > "$dir/long-bake.yaml"
  python3 docs/bench/demo-config.py "$dir" "$(free_port)" "$(free_port)" "$(free_port)" "$(free_port)"
  sed '$a strategy: long-bake.yaml' "$dir/switchman.yaml" > "$dir/switchman-long.yaml"
  ./switchman up -c "$dir/switchman.yaml" 2>"$dir/up.log"
  ./switchman release v1 -c "$dir/switchman.yaml" 2>"$dir/v1.log"
  ./switchman release v2 -c "$dir/switchman-long.yaml" --json >"$dir/v2.json" 2>"$dir/v2.log" &
  pid=$!
  until grep -q "  bake          \.\.\." "$dir/v2.log" 2>/dev/null; do sleep 0.05; done
  start=$(now_ms)
  kill -TERM "$pid"
  code=0; wait "$pid" || code=$?
  echo "run $i: $(( $(now_ms) - start )) ms from SIGTERM to exit, exit code $code"
  ./switchman down --slots -c "$dir/switchman.yaml" 2>"$dir/down.log"
done
