#!/usr/bin/env bash
# Times `switchman lint` (the whole process: JVM start, the parser's load, Liquibase reading the changelog, the
# judgement) on generated formatted-SQL changelogs of 10 and 1,000 changesets, side by side, A B A B.
# Usage: docs/bench/lint.sh [runs]   (needs GNU time: apt-get install time)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
./switchman --version >/dev/null
out=$(mktemp -d)
echo "results in $out" >&2
printf 'application: lintbench\nstateDir: state\nplatform:\n  command: [x]\n' > "$out/switchman.yaml"
changelog() { # $1: changesets; each one a table, an index built concurrently, a NOT VALID foreign key, a drop
  python3 - "$1" <<'PY'
import sys
n = int(sys.argv[1])
print("--liquibase formatted sql")
for i in range(n):
    kind = i % 4
    print(f"--changeset bench:{i} labels:{'contract' if kind == 3 else 'expand'}" + (" runInTransaction:false" if kind == 1 else ""))
    if kind == 0:
        print(f"create table t{i} (id bigint primary key, ref bigint, note text, at timestamptz default now());")
    elif kind == 1:
        print(f"create index concurrently t{i-1}_ref on t{i-1} (ref);")
    elif kind == 2:
        print(f"alter table t{i-2} add constraint t{i-2}_fk foreign key (ref) references t{i-2} (id) not valid;")
    else:
        print(f"alter table t{i-3} drop column note;")
PY
}
changelog 10 > "$out/small.sql"
changelog 1000 > "$out/large.sql"
for i in $(seq 1 "$runs"); do
  for size in small large; do
    /usr/bin/time -f "%e %M" -o "$out/$size-$i.time" ./switchman lint --changelog "$out/$size.sql" -c "$out/switchman.yaml" \
      >"$out/$size-$i.out" 2>/dev/null || true
  done
done
for size in small large; do
  printf '%s: wall seconds (median of %s) ' "$size" "$runs"
  cat "$out"/$size-*.time | awk '{print $1}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
  tail -1 "$out/$size-1.out"
done
