#!/usr/bin/env bash
# Routers side by side on the same upstream and the same cores: direct, the builtin router, nginx with 1 and 2
# workers and HAProxy, each a keep-alive reverse proxy to one fast upstream (an nginx answering 200 from memory).
# For each, at 8, 64 and 256 keep-alive connections (wrk -t1 -d10s --latency), three rounds interleaved
# (A B C D E, A B C D E, ...): requests/s, p50 and p99, and the proxy's CPU time per request (user + system of
# its processes, from /proc, over the run). Prints medians and the ratios to nginx with one worker.
# Usage: docs/bench/routers.sh [seconds per run]   (needs wrk, nginx, haproxy: apt-get install wrk nginx haproxy)
# TARGETS="builtin nginx1" runs only those (nginx1 is always among them: the ratios are to it); WARMUP_SECONDS (15)
# one-second runs against the builtin router first; STEADY_SECONDS (60) at 8 connections against every target before
# the rounds, as the builtin router's JIT takes about a minute to settle at its steady tail; LONG_REQUESTS a long
# run against it at the end, RSS after each 20 s. The builtin router's young collections over the rounds come
# from jstat (count and pause time).
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-10}
./switchman --version >/dev/null
out=$(mktemp -d)
echo "results in $out" >&2
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
user_line() { [ "$(id -u)" = 0 ] && echo "user root;" || true; }

up_port=$(free_port)
mkdir -p "$out/upstream"
cat > "$out/upstream/nginx.conf" <<EOF
$(user_line)
worker_processes 1;
pid $out/upstream/nginx.pid;
error_log $out/upstream/error.log;
events { worker_connections 4096; }
http { access_log off; server { listen 127.0.0.1:$up_port; keepalive_requests 1000000;
  location / { return 200 "ok\n"; } } }
EOF
nginx -p "$out/upstream" -c "$out/upstream/nginx.conf"

proxy_nginx() { # $1: name, $2: workers
  local port; port=$(free_port); mkdir -p "$out/$1"
  cat > "$out/$1/nginx.conf" <<EOF
$(user_line)
worker_processes $2;
pid $out/$1/nginx.pid;
error_log $out/$1/error.log;
events { worker_connections 4096; }
http { access_log off;
  upstream app { server 127.0.0.1:$up_port; keepalive 256; keepalive_requests 1000000; }
  server { listen 127.0.0.1:$port; keepalive_requests 1000000;
    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
EOF
  nginx -p "$out/$1" -c "$out/$1/nginx.conf"
  echo "$port"
}
nginx1_port=$(proxy_nginx nginx1 1)
nginx2_port=$(proxy_nginx nginx2 2)

haproxy_port=$(free_port); mkdir -p "$out/haproxy"
cat > "$out/haproxy/haproxy.cfg" <<EOF
global
    nbthread 1
    pidfile $out/haproxy/haproxy.pid
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    option http-keep-alive
frontend public
    bind 127.0.0.1:$haproxy_port
    default_backend app
backend app
    http-reuse always
    server up 127.0.0.1:$up_port
EOF
haproxy -D -f "$out/haproxy/haproxy.cfg"

# The builtin router as `switchman up` starts it (its own JVM options), routing everything to the upstream.
python3 docs/bench/demo-config.py "$out" "$(free_port)" "$(free_port)" "$(free_port)" "$(free_port)"
cfg="$out/switchman.yaml"
./switchman up -c "$cfg" 2>"$out/up.log"
builtin_port=$(grep -A3 '^router:' "$cfg" | awk '/ port:/ {print $2}')
admin_port=$(grep -A3 '^router:' "$cfg" | awk '/adminPort:/ {print $2}')
token=$(cat "$out"/state/router-"$builtin_port".token)
curl -sS -f -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  --data "{\"blue\":{\"weight\":100,\"endpoints\":[\"127.0.0.1:$up_port\"]}}" \
  "http://127.0.0.1:$admin_port/weights" >/dev/null
builtin_pid=$(cat "$out"/state/router-*.pid)
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$builtin_pid/status"; }
rss_kb > "$out/builtin-rss-idle-kb"
grep -o 'transport .*' "$out"/state/logs/router-*.log | tail -1 > "$out/builtin-transport" || true

# Its first seconds, as the first clients after a start see them: one-second runs back to back, 64 connections.
for s in $(seq 1 "${WARMUP_SECONDS:-15}"); do
  wrk -t1 -c64 -d1s --latency "http://127.0.0.1:$builtin_port/" > "$out/warmup-$s.txt"
done

pids_of() { # the processes that serve each target (master and workers for nginx)
  case "$1" in
    direct) echo "" ;;
    builtin) echo "$builtin_pid" ;;
    nginx1|nginx2) local m; m=$(cat "$out/$1/nginx.pid"); echo "$m $(pgrep -P "$m" | tr '\n' ' ')" ;;
    haproxy) cat "$out/haproxy/haproxy.pid" ;;
  esac
}
port_of() { case "$1" in direct) echo "$up_port" ;; builtin) echo "$builtin_port" ;; nginx1) echo "$nginx1_port" ;;
  nginx2) echo "$nginx2_port" ;; haproxy) echo "$haproxy_port" ;; esac; }
cpu_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }

targets=${TARGETS:-direct builtin nginx1 nginx2 haproxy}
case " $targets " in *" nginx1 "*) ;; *) targets="$targets nginx1" ;; esac
# The builtin router's JIT warms up on its first requests: one short run first, as for every target.
for t in $targets; do wrk -t1 -c64 -d2s "http://127.0.0.1:$(port_of "$t")/" >/dev/null; done
for t in $targets; do wrk -t1 -c8 -d"${STEADY_SECONDS:-60}s" "http://127.0.0.1:$(port_of "$t")/" >/dev/null; done
# wrk's own percentiles stop at p99: this adds p99.9.
cat > "$out/tail.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("p99.9 %.0f\n", latency:percentile(99.9)))
end
LUA
jstat="$(dirname "$(readlink "/proc/$builtin_pid/exe")")/jstat"
# The young collections' count and seconds, by the columns' names (their positions differ between JDKs).
young_gc() { "$jstat" -gc "$builtin_pid" | awk 'NR == 1 {for (i = 1; i <= NF; i++) col[$i] = i}
  NR == 2 {print $col["YGC"], $col["YGCT"]}'; }
young_gc > "$out/builtin-gc-before" 2>/dev/null || true
for round in 1 2 3; do
  for c in 8 64 256; do
    for t in $targets; do
      pids=$(pids_of "$t"); before=$(cpu_ticks $pids)
      wrk -t1 -c"$c" -d"${secs}s" --latency -s "$out/tail.lua" "http://127.0.0.1:$(port_of "$t")/" > "$out/wrk-$t-$c-$round.txt"
      echo $(( $(cpu_ticks $pids) - before )) > "$out/cpu-$t-$c-$round.ticks"
    done
  done
done
rss_kb > "$out/builtin-rss-kb"
young_gc > "$out/builtin-gc-after" 2>/dev/null || true
# A long run (LONG_REQUESTS, e.g. 5000000): 64 connections in runs of 20 s until that many requests, the RSS after each.
long_done=0
: > "$out/long-run.txt"
while [ "$long_done" -lt "${LONG_REQUESTS:-0}" ]; do
  wrk -t1 -c64 -d20s "http://127.0.0.1:$builtin_port/" > "$out/long-wrk.txt"
  long_done=$((long_done + $(awk '/requests in/ {print $1}' "$out/long-wrk.txt")))
  echo "$long_done $(rss_kb)" >> "$out/long-run.txt"
done

kill "$(cat "$out/upstream/nginx.pid")" "$(cat "$out/nginx1/nginx.pid")" "$(cat "$out/nginx2/nginx.pid")" \
  "$(cat "$out/haproxy/haproxy.pid")"
./switchman down -c "$cfg" 2>"$out/down.log" || true

python3 - "$out" "$(getconf CLK_TCK)" "$targets" <<'PY'
import re, statistics, sys
out, tck, targets = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()
def ms(text):  # wrk writes 456.78us, 1.23ms, 1.02s
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
def read(t, c, r):
    text = open(f"{out}/wrk-{t}-{c}-{r}.txt").read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    total = int(re.search(r"(\d+) requests in", text).group(1))
    p50 = ms(re.search(r"\s50%\s+(\S+)", text).group(1))
    p99 = ms(re.search(r"\s99%\s+(\S+)", text).group(1))
    p999 = float(re.search(r"p99\.9 ([\d.]+)", text).group(1)) / 1000
    errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
    errors += int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", text)) else 0
    ticks = int(open(f"{out}/cpu-{t}-{c}-{r}.ticks").read())
    return rps, p50, p99, p999, ticks / tck * 1e6 / total if total else 0, errors
med = statistics.median
print("| target | connections | req/s (median of 3) | p50 ms | p99 ms | p99.9 ms | proxy CPU µs/request | errors | req/s / nginx 1 worker |")
print("|---|---|---|---|---|---|---|---|---|")
for c in (8, 64, 256):
    base = med(read("nginx1", c, r)[0] for r in (1, 2, 3))
    for t in [t for t in ("direct", "builtin", "nginx1", "nginx2", "haproxy") if t in targets]:
        rows = [read(t, c, r) for r in (1, 2, 3)]
        rps, p50, p99, p999, cpu = [med(x[i] for x in rows) for i in range(5)]
        err = sum(x[5] for x in rows)
        print(f"| {t} | {c} | {rps:.0f} | {p50:.2f} | {p99:.2f} | {p999:.2f} | {'-' if t == 'direct' else f'{cpu:.0f}'} | {err} | {rps / base:.2f} |")
print(f"builtin router {open(out + '/builtin-transport').read().strip() or 'transport not logged'}")
print(f"builtin router RSS idle after start: {int(open(out + '/builtin-rss-idle-kb').read()) / 1024:.0f} MB, "
      f"after the runs: {int(open(out + '/builtin-rss-kb').read()) / 1024:.0f} MB")
import glob, os
gc_files = [f"{out}/builtin-gc-{w}" for w in ("before", "after")]
if all(os.path.exists(f) and os.path.getsize(f) for f in gc_files):
    (n0, t0), (n1, t1) = [open(f).read().split() for f in gc_files]
    n, ms_total = int(n1) - int(n0), (float(t1) - float(t0)) * 1000
    if n:
        print(f"builtin router over the rounds: {n} young collections, {ms_total:.0f} ms paused, {ms_total / n:.2f} ms each")
warm = sorted(glob.glob(f"{out}/warmup-*.txt"), key=lambda f: int(re.search(r"warmup-(\d+)", f).group(1)))
if warm:
    print("builtin router's first seconds after start (64 connections): second: req/s, p99 ms")
    for f in warm:
        text = open(f).read()
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
        p99 = ms(re.search(r"\s99%\s+(\S+)", text).group(1))
        second = re.search(r"warmup-(\d+)", f).group(1)
        print(f"  {second}: {rps:.0f}, {p99:.2f}")
for line in open(f"{out}/long-run.txt").read().split("\n"):
    if line:
        n, kb = line.split()
        print(f"long run: after {int(n)} requests RSS {int(kb) / 1024:.0f} MB")
PY
