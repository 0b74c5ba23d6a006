#!/usr/bin/env bash
# Web benchmark: pinhole serve beside references on the same machine.
#  (a) the gallery page of a 1,000-photo gallery
#  (b) thumbnail fetches with a session cookie across 1,000 photos, vs nginx
#      serving the same files statically
#  (c) a 1 GB ZIP download, vs cat of the same originals
# and pinhole's peak RSS. Needs wrk, nginx and curl (apt-get install wrk nginx curl).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-1000}
SIZE=${SIZE:-1048576}        # 1,000 × 1 MiB originals ≈ 1 GB ZIP
DUR=${DUR:-10s}
CONN=${CONN:-32}
THREADS=${THREADS:-2}
PARTS=${PARTS:-abc}           # which measurements to run
work=$(mktemp -d)
chmod 755 "$work"
cleanup() {
	kill $(jobs -p) 2>/dev/null || true
	[[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
	sleep 0.2
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/pinhole" ./cmd/pinhole
go run ./bench/web/setup -data "$work/data" -n "$N" -size "$SIZE" \
	-thumb server/testdata/photos/ianare_exif-samples/jpg/Canon_PowerShot_S40.jpg > "$work/vars"
source "$work/vars"

"$work/pinhole" --data "$work/data" serve --http 127.0.0.1:18080 >/dev/null 2>"$work/serve.log" &
PID=$!
cat > "$work/nginx.conf" <<NGINX
user root;
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log $work/nginx-access.log; # pinhole logs every request too
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:18081;
    root $work/data/photos;
    location /thumbs/ { add_header Cache-Control "private, max-age=31536000, immutable"; }
  }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work"
curl -fsS -o /dev/null "http://127.0.0.1:18081$(head -1 "$work/data/nginx-thumbs.txt")" || { cat "$work/nginx-error.log" >&2; exit 1; }
curl -fsS -o /dev/null -H "Cookie: $COOKIE" "http://127.0.0.1:18080$(head -1 "$work/data/pinhole-thumbs.txt")"
for _ in $(seq 50); do curl -fs http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.1; done

wrkrun() { # name url [paths]
	local out
	out=$(PATHS=${3:-} COOKIE="$COOKIE" wrk -t"$THREADS" -c"$CONN" -d"$DUR" --latency ${3:+-s bench/web/paths.lua} "$2")
	local rps p99
	rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
	p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
	local errs
	errs=$(grep -E "Non-2xx|Socket errors" <<<"$out" || true)
	printf '%-28s %10s req/s   p99 %8s  %s\n' "$1" "$rps" "$p99" "$errs" >&2
	echo "$rps"
}

echo "== $N photos, originals of $SIZE bytes; wrk -t$THREADS -c$CONN -d$DUR" >&2
if [[ $PARTS == *a* ]]; then
	echo "/g/$SLUG" > "$work/page.txt"
	wrkrun "(a) gallery page" "http://127.0.0.1:18080" "$work/page.txt" >/dev/null
fi
if [[ $PARTS == *b* ]]; then
	pin=$(wrkrun "(b) pinhole thumbnails" "http://127.0.0.1:18080" "$work/data/pinhole-thumbs.txt")
	ngx=$(wrkrun "(b) nginx thumbnails" "http://127.0.0.1:18081" "$work/data/nginx-thumbs.txt")
	echo "(b) ratio pinhole/nginx: $(awk -v a="$pin" -v b="$ngx" 'BEGIN {printf "%.2f", a/b}')" >&2
fi
if [[ $PARTS == *c* ]]; then
	echo "pinhole peak RSS so far: $(awk '/VmHWM/ {printf "%.1f MB", $2/1024}' /proc/$PID/status)" >&2
	echo 5 > /proc/$PID/clear_refs 2>/dev/null || true # reset the peak, to see the ZIP's own

# (c) ZIP vs cat, both from a warm page cache.
find "$work/data/photos/originals" -type f | sort > "$work/originals.txt"
xargs cat < "$work/originals.txt" > /dev/null
bytes=$(xargs stat -c %s < "$work/originals.txt" | awk '{s += $1} END {print s}')
for i in 1 2 3; do
	start=$(date +%s.%N); xargs cat < "$work/originals.txt" > /dev/null; end=$(date +%s.%N)
	cat_mbs=$(awk -v b="$bytes" -v s="$start" -v e="$end" 'BEGIN {printf "%.0f", b / (e - s) / 1e6}')
	start=$(date +%s.%N); xargs cat < "$work/originals.txt" | cat > /dev/null; end=$(date +%s.%N)
	pipe_mbs=$(awk -v b="$bytes" -v s="$start" -v e="$end" 'BEGIN {printf "%.0f", b / (e - s) / 1e6}')
	zip=$(curl -fs -o /dev/null -H "Cookie: $COOKIE" -w '%{size_download} %{speed_download}' "http://127.0.0.1:18080/g/$SLUG/zip")
	zip_mbs=$(awk '{printf "%.0f", $2 / 1e6}' <<<"$zip")
	echo "(c) ZIP $(awk '{printf "%.2f GB", $1/1e9}' <<<"$zip"): $zip_mbs MB/s; cat > /dev/null: $cat_mbs MB/s (ratio $(awk -v a="$zip_mbs" -v b="$cat_mbs" 'BEGIN {printf "%.2f", a/b}')); cat | cat > /dev/null: $pipe_mbs MB/s (ratio $(awk -v a="$zip_mbs" -v b="$pipe_mbs" 'BEGIN {printf "%.2f", a/b}'))" >&2
done
	echo "pinhole peak RSS during the ZIPs: $(awk '/VmHWM/ {printf "%.1f MB", $2/1024}' /proc/$PID/status)" >&2
fi
echo "pinhole peak RSS: $(awk '/VmHWM/ {printf "%.1f MB", $2/1024}' /proc/$PID/status)" >&2
kill -INT $PID; wait $PID || true
