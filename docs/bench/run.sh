#!/usr/bin/env bash
# Measures, on this machine, what docs/benchmarks.md reports:
#   1. Switchman's own time in a blue-green release of the demo (v1 live, releasing v2), split by gate,
#      and the wall time minus the configured waits (bake, step pauses, health-check intervals);
#   2. the maximum resident memory of `switchman release` and of the idle `switchman router`;
#   3. requests per second through the router against the application directly, 64 keep-alive connections (wrk).
#   4. where nginx is installed, the same through nginx as a keep-alive reverse proxy, side by side.
# Usage: docs/bench/run.sh [runs]   (needs wrk and GNU time: apt-get install wrk time; nginx optional)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
./switchman --version >/dev/null
out=$(mktemp -d)
echo "results in $out" >&2
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

for i in $(seq 1 "$runs"); do
  dir="$out/run$i"; mkdir -p "$dir"
  python3 docs/bench/demo-config.py "$dir" "$(free_port)" "$(free_port)" "$(free_port)" "$(free_port)"
  cfg="$dir/switchman.yaml"
  ./switchman up -c "$cfg" 2>"$dir/up.log"
  router_pid=$(cat "$dir"/state/router-*.pid)
  grep VmHWM /proc/"$router_pid"/status | awk '{print $2}' > "$dir/router-idle-kb"
  ./switchman release v1 -c "$cfg" --json >"$dir/v1.json" 2>"$dir/v1.log"
  /usr/bin/time -f "%M" -o "$dir/release-maxrss-kb" ./switchman release v2 -c "$cfg" --json >"$dir/v2.json" 2>"$dir/v2.log"
  if [ "$i" = "$runs" ]; then
    # Throughput, on the last run's stack: green (v2) directly, and through the router.
    app_port=$(python3 -c 'import json,sys; print([l for l in open(sys.argv[1]).read().split("green: ")][1].split()[0])' "$cfg")
    router_port=$(grep -A3 '^router:' "$cfg" | awk '/ port:/ {print $2}')
    nginx_port=""
    if command -v nginx >/dev/null; then
      # nginx as the same kind of reverse proxy (keep-alive to the upstream), for a side-by-side figure.
      nginx_port=$(free_port); mkdir -p "$dir/nginx"
      cat > "$dir/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  upstream app { server 127.0.0.1:$app_port; keepalive 64; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
NGINX
      nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx"
    fi
    for round in 1 2 3; do
      wrk -t2 -c64 -d10s "http://127.0.0.1:$app_port/version" > "$dir/wrk-app-$round.txt"
      wrk -t2 -c64 -d10s "http://127.0.0.1:$router_port/version" > "$dir/wrk-router-$round.txt"
      [ -z "$nginx_port" ] || wrk -t2 -c64 -d10s "http://127.0.0.1:$nginx_port/version" > "$dir/wrk-nginx-$round.txt"
    done
    [ -z "$nginx_port" ] || kill "$(cat "$dir/nginx/nginx.pid")"
    grep VmRSS /proc/"$router_pid"/status | awk '{print $2}' > "$dir/router-after-load-kb"
  fi
  ./switchman down --slots -c "$cfg" 2>"$dir/down.log"
done

python3 - "$out" "$runs" <<'PY'
import json, sys, statistics, glob, re
out, runs = sys.argv[1], int(sys.argv[2])
walls, overheads, outside, rss, router_idle = [], [], [], [], []
gates = {}
waits = 5000 + 2 * (3 - 1) * 200   # bake 5 s (blue-green) + two health checks of 3 successes 200 ms apart
for i in range(1, runs + 1):
    d = f"{out}/run{i}"
    v2 = json.load(open(f"{d}/v2.json"))
    assert v2["state"] == "RELEASED", v2
    walls.append(v2["wallMillis"])
    overheads.append(v2["wallMillis"] - waits)
    for s in v2["steps"]:
        gates.setdefault(s["gate"], []).append(s["millis"])
    outside.append(v2["wallMillis"] - sum(s["millis"] for s in v2["steps"]))
    rss.append(int(open(f"{d}/release-maxrss-kb").read()) / 1024)
    router_idle.append(int(open(f"{d}/router-idle-kb").read()) / 1024)
med = statistics.median
print(f"runs: {runs}")
print(f"release v2 wall time, median: {med(walls):.0f} ms (min {min(walls)}, max {max(walls)})")
print(f"configured waits: {waits} ms; wall minus waits, median: {med(overheads):.0f} ms")
print(f"  {'(no gate)':13s} median {med(outside):6.0f} ms  JVM start, config, database connection, preflight")
for g, ms in gates.items():
    print(f"  {g:13s} median {med(ms):6.0f} ms")
print(f"switchman release max RSS, median: {med(rss):.0f} MB")
print(f"switchman router idle peak RSS, median: {med(router_idle):.0f} MB")
def rps(f):
    return float(re.search(r"Requests/sec:\s+([\d.]+)", open(f).read()).group(1))
last = f"{out}/run{runs}"
app = [rps(f) for f in sorted(glob.glob(f"{last}/wrk-app-*.txt"))]
router = [rps(f) for f in sorted(glob.glob(f"{last}/wrk-router-*.txt"))]
print(f"direct to the application: {', '.join(f'{x:.0f}' for x in app)} req/s, median {med(app):.0f}")
print(f"through the router:        {', '.join(f'{x:.0f}' for x in router)} req/s, median {med(router):.0f}")
print(f"router / direct: {med(router) / med(app):.2f}")
nginx = [rps(f) for f in sorted(glob.glob(f"{last}/wrk-nginx-*.txt"))]
if nginx:
    print(f"through nginx:             {', '.join(f'{x:.0f}' for x in nginx)} req/s, median {med(nginx):.0f}")
    print(f"router / nginx: {med(router) / med(nginx):.2f}")
print(f"router RSS after load: {int(open(f'{last}/router-after-load-kb').read()) / 1024:.0f} MB")
PY
