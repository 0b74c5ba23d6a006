#!/usr/bin/env bash
# Load test of the client website, on loopback only and bounded in time:
# wrk with CONN connections (64) for DUR (60s) mixes, from a crowd without
# cookies, gallery pages (40 %), thumbnails (50 %) and ZIPs (2 %) of a
# public gallery, and wrong PINs (8 %) from an attacker's address into a
# PIN gallery; meanwhile bench/load/probe times pages and thumbnails and a
# client types the right PIN every 500 ms. serve runs with --trust-proxy,
# the addresses coming in X-Forwarded-For as a proxy in front would set
# them. Passes when nothing failed, the probe's p99 for pages and
# thumbnails is under 100 ms and the right PIN always got in. Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-200}          # photos per gallery
SIZE=${SIZE:-65536}  # bytes per original: a 13 MB ZIP
DUR=${DUR:-60s}
CONN=${CONN:-64}
work=$(mktemp -d)
cleanup() {
	[[ -n "${PID:-}" ]] && kill "$PID" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/pinhole" ./cmd/pinhole
go build -o "$work/probe" ./bench/load/probe
thumb=testdata/photos/ianare_exif-samples/jpg/Canon_PowerShot_S40.jpg
go run ./bench/web/setup -data "$work/data" -n "$N" -size "$SIZE" -thumb "$thumb" > "$work/public.vars"
mv "$work/data/pinhole-thumbs.txt" "$work/thumbs.txt"
go run ./bench/web/setup -data "$work/data" -n 10 -size 4096 -thumb "$thumb" > "$work/private.vars"
PUBLIC=$(sed -n 's/^SLUG=//p' "$work/public.vars")
PRIVATE=$(sed -n 's/^SLUG=//p' "$work/private.vars")
"$work/pinhole" --data "$work/data" gallery set "$PUBLIC" --access public --downloads original >/dev/null

"$work/pinhole" --data "$work/data" serve --ssh "" --http 127.0.0.1:18090 --trust-proxy >/dev/null 2>"$work/serve.log" &
PID=$!
for _ in $(seq 100); do curl -fs http://127.0.0.1:18090/healthz >/dev/null && break; sleep 0.1; done
db_before=$(stat -c %s "$work/data/pinhole.db")

echo "== wrk -t2 -c$CONN -d$DUR: pages, thumbnails, ZIPs of $N photos of $SIZE bytes, wrong PINs" >&2
PUBLIC=$PUBLIC PRIVATE=$PRIVATE THUMBS=$work/thumbs.txt \
	wrk -t2 -c"$CONN" -d"$DUR" --timeout 10s --latency -s bench/load/mix.lua http://127.0.0.1:18090 > "$work/wrk.txt" &
WRK=$!
status=0
"$work/probe" -url http://127.0.0.1:18090 -public "$PUBLIC" -private "$PRIVATE" -pin 123456 \
	-thumbs "$work/thumbs.txt" -d "$DUR" || status=1
wait "$WRK"
grep -E "Requests/sec|Transfer/sec|requests in|Socket errors|Non-2xx|answers:|^ +(50|99)%" "$work/wrk.txt"
if grep -q "Socket errors" "$work/wrk.txt" || ! grep -q "answers: [0-9]* as expected, 0 errors" "$work/wrk.txt"; then
	status=1
fi
sleep 11 # the visit counts are written every 10 s
db_after=$(stat -c %s "$work/data/pinhole.db")
echo "database: $db_before → $db_after bytes (WAL aside)"
echo "serve's log: $(grep -c 'level=ERROR' "$work/serve.log" || true) errors"
exit $status
