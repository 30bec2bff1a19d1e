#!/usr/bin/env bash
# Times `switchman rehearse v2` on the demo's changelog (classpath:demo/v2/changelog.xml, from an empty database:
# the demo's embedded database is not running), runs one after the other: the process's wall time, the report's
# wallMs (from the command's start to the report, the throwaway server's start included, its stop not) and each
# step's duration, with the median of each.
# Usage: docs/bench/rehearse.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
./switchman --version >/dev/null
out=$(mktemp -d)
echo "results in $out" >&2
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  ./switchman rehearse v2 -c src/main/resources/demo/switchman.yaml --json >"$out/$i.json" 2>/dev/null || true
  echo $(( ($(date +%s%N) - start) / 1000000 )) >"$out/$i.ms"
done
python3 - "$out" "$runs" <<'PY'
import json, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
rows = []
for i in range(1, runs + 1):
    report = json.load(open(f"{out}/{i}.json"))
    row = {"process": int(open(f"{out}/{i}.ms").read()), "wallMs": report["wallMs"], "exit": report["exitCode"]}
    row.update({s["step"]: s["durationMs"] for s in report["steps"]})
    rows.append(row)
for key in rows[0]:
    values = [r[key] for r in rows]
    print(f"{key:13} {' '.join(f'{v:6}' for v in values)}   median {statistics.median(values):g}")
PY
