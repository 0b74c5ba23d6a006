#!/usr/bin/env bash
# Web benchmark: pinhole serve beside references on the same machine.
#  (a) the gallery page of a 1,000-photo gallery
#  (b) thumbnail fetches with a session cookie across 1,000 photos, vs nginx
#      serving the same files statically
#  (c) a 1 GB ZIP download, vs cat of the same originals, warm and cold
# and pinhole's peak RSS. Needs wrk, nginx and curl (apt-get install wrk nginx curl).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-1000}
SIZE=${SIZE:-1048576}        # 1,000 × 1 MiB originals ≈ 1 GB ZIP
DUR=${DUR:-10s}
CONN=${CONN:-32}
THREADS=${THREADS:-2}
PARTS=${PARTS:-abc}           # which measurements to run
ROUNDS=${ROUNDS:-3}           # (b) and (c) are repeated, interleaved with their references
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
go build -o "$work/fetch" ./bench/web/fetch
go build -o "$work/cold" ./bench/web/cold
go run ./bench/web/setup -data "$work/data" -n "$N" -size "$SIZE" \
	-thumb testdata/photos/ianare_exif-samples/jpg/Canon_PowerShot_S40.jpg > "$work/vars"
source "$work/vars"

"$work/pinhole" --data "$work/data" serve --ssh "" --http 127.0.0.1:18080 >/dev/null 2>"$work/serve.log" &
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
for _ in $(seq 50); do curl -fs http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.1; done
curl -fsS -o /dev/null -H "Cookie: $COOKIE" "http://127.0.0.1:18080$(head -1 "$work/data/pinhole-thumbs.txt")"

wrkrun() { # name url [paths]
	local out
	out=$(PATHS=${3:-} COOKIE="$COOKIE" ENCODING=${ENCODING:-} wrk -t"$THREADS" -c"$CONN" -d"$DUR" --latency ${3:+-s bench/web/paths.lua} "$2")
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
	# One request at a time: the median of 21 (loopback, so nearly all of
	# it is server time) and the bytes sent, plain and gzipped.
	one() {
		for _ in $(seq 21); do
			curl -fsS -o /dev/null -w '%{time_total} %{size_download}\n' -H "Cookie: $COOKIE" "$@" "http://127.0.0.1:18080/g/$SLUG"
		done | sort -n | awk '{t[NR] = $1; b = $2} END {printf "%.1f ms, %d bytes", t[11] * 1000, b}'
	}
	echo "(a) one request at a time: plain $(one), gzip $(one -H 'Accept-Encoding: gzip')" >&2
	echo "/g/$SLUG" > "$work/page.txt"
	wrkrun "(a) gallery page" "http://127.0.0.1:18080" "$work/page.txt" >/dev/null
	ENCODING=gzip wrkrun "(a) gallery page, gzip" "http://127.0.0.1:18080" "$work/page.txt" >/dev/null
fi
if [[ $PARTS == *b* ]]; then
	# Interleaved rounds, since other work on the machine moves both.
	best_pin=0 best_ngx=0
	for _ in $(seq "$ROUNDS"); do
		pin=$(wrkrun "(b) pinhole thumbnails" "http://127.0.0.1:18080" "$work/data/pinhole-thumbs.txt")
		ngx=$(wrkrun "(b) nginx thumbnails" "http://127.0.0.1:18081" "$work/data/nginx-thumbs.txt")
		echo "(b) ratio pinhole/nginx: $(awk -v a="$pin" -v b="$ngx" 'BEGIN {printf "%.2f", a/b}')" >&2
		best_pin=$(awk -v a="$pin" -v b="$best_pin" 'BEGIN {print (a > b ? a : b)}')
		best_ngx=$(awk -v a="$ngx" -v b="$best_ngx" 'BEGIN {print (a > b ? a : b)}')
	done
	echo "(b) best of $ROUNDS: pinhole $best_pin, nginx $best_ngx req/s: ratio $(awk -v a="$best_pin" -v b="$best_ngx" 'BEGIN {printf "%.2f", a/b}')" >&2
fi
if [[ $PARTS == *c* ]]; then
	echo "pinhole peak RSS so far: $(awk '/VmHWM/ {printf "%.1f MB", $2/1024}' /proc/$PID/status)" >&2
	echo 5 > /proc/$PID/clear_refs 2>/dev/null || true # reset the peak, to see the ZIP's own

# (c) The ZIP beside cat of the same originals. The ZIP is read by fetch,
# which copies each byte once into a buffer and drops it, as cat > /dev/null
# does: curl costs more per byte than the server does. Two conditions:
# warm, every original in the page cache (so the ceiling is what one TCP
# connection on loopback carries: nginx sending the same bytes, as one file,
# by sendfile to the same client, shows it); and cold, every original
# dropped from the page cache first, as for a gallery nobody has opened for
# a while (so both read from the disk).
find "$work/data/photos/originals" -type f | sort > "$work/originals.txt"
bytes=$(xargs stat -c %s < "$work/originals.txt" | awk '{s += $1} END {print s}')
mkdir -p "$work/data/photos/all"
xargs cat < "$work/originals.txt" > "$work/data/photos/all/originals.bin"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
catrate() { # MB/s of cat > /dev/null over the originals
	local start end
	start=$(date +%s.%N); xargs cat < "$work/originals.txt" > /dev/null; end=$(date +%s.%N)
	awk -v b="$bytes" -v s="$start" -v e="$end" 'BEGIN {printf "%.0f", b / (e - s) / 1e6}'
}
ziprate() { # MB/s of the ZIP through fetch
	"$work/fetch" -cookie "$COOKIE" "http://127.0.0.1:18080/g/$SLUG/zip" | awk '{printf "%.0f", $2 / 1e6}'
}
xargs cat < "$work/originals.txt" > /dev/null
for i in $(seq "$ROUNDS"); do
	ngx=$("$work/fetch" "http://127.0.0.1:18081/all/originals.bin" | awk '{printf "%.0f", $2 / 1e6}')
	cat_mbs=$(catrate)
	zip=$(ziprate)
	echo "(c) warm: ZIP $zip MB/s; cat > /dev/null $cat_mbs MB/s (ratio $(ratio "$zip" "$cat_mbs")); nginx → fetch $ngx MB/s (ratio $(ratio "$zip" "$ngx"))" >&2
	"$work/cold" < "$work/originals.txt"
	zip=$(ziprate)
	"$work/cold" < "$work/originals.txt"
	cat_mbs=$(catrate)
	echo "(c) cold: ZIP $zip MB/s; cat > /dev/null $cat_mbs MB/s (ratio $(ratio "$zip" "$cat_mbs"))" >&2
done
rm -f "$work/data/photos/all/originals.bin"
	echo "pinhole peak RSS during the ZIPs: $(awk '/VmHWM/ {printf "%.1f MB", $2/1024}' /proc/$PID/status)" >&2
fi
echo "pinhole peak RSS: $(awk '/VmHWM/ {printf "%.1f MB", $2/1024}' /proc/$PID/status)" >&2
kill -INT $PID; wait $PID || true
