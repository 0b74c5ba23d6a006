#!/usr/bin/env bash
# Storage benchmark: Pinhole with its photos in a bucket (versitygw on
# loopback, a real S3 server) beside the same Pinhole with its photos in
# the data folder, and beside plain GETs from the bucket, in one run:
#  (a) import: photos/s into the bucket vs into the folder (target ≥ 0.8×)
#  (b) thumbnails with a session (wrk): from the bucket, its local cache
#      warm, vs from the folder (target ≥ 0.9×)
#  (c) a 1 GB ZIP from the bucket vs the same objects fetched straight
#      from versitygw, one after the other, by the same client (target
#      ≥ 0.8×), and serve's peak RSS during the ZIPs (target < 150 MB)
# Each pair is measured back to back, ROUNDS times, best of each kept.
#
#   bench/storage/run.sh FOLDER [COPIES]
#
# FOLDER holds camera JPEGs for (a), each imported COPIES times (default 4,
# see bench/import/copies.py). Needs versitygw (see .ci/run), wrk, curl,
# python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=${1:?usage: run.sh FOLDER [COPIES]}
copies=${2:-4}
N=${N:-1000}
SIZE=${SIZE:-1048576}   # 1,000 × 1 MiB originals ≈ 1 GB ZIP
DUR=${DUR:-10s}
CONN=${CONN:-32}
ROUNDS=${ROUNDS:-3}
PARTS=${PARTS:-abc}
export PATH="$(go env GOPATH)/bin:$PATH"
for tool in versitygw wrk curl python3; do
	command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
work=$(mktemp -d)
chmod 755 "$work"
cleanup() {
	kill $(jobs -p) 2>/dev/null || true
	sleep 0.2
	rm -rf "$work"
}
trap cleanup EXIT
[[ -n ${KEEP:-} ]] && trap "echo work $work" EXIT

# The S3 server, and the AWS environment that points Pinhole at it.
export ROOT_ACCESS_KEY=bench ROOT_SECRET_KEY=bench-secret-key
mkdir -p "$work/s3"
versitygw --port 127.0.0.1:17070 --keep-alive --quiet posix "$work/s3" >/dev/null 2>"$work/versitygw.log" &
VGW=$!
export AWS_ENDPOINT_URL=http://127.0.0.1:17070 AWS_REGION=us-east-1 \
	AWS_ACCESS_KEY_ID=$ROOT_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$ROOT_SECRET_KEY
for _ in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:17070/ && break; sleep 0.1; done
curl -fsS -X PUT --aws-sigv4 "aws:amz:us-east-1:s3" --user "$ROOT_ACCESS_KEY:$ROOT_SECRET_KEY" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" http://127.0.0.1:17070/bench

go build -o "$work/pinhole" ./cmd/pinhole
go build -o "$work/fetch" ./bench/web/fetch
go build -o "$work/get" ./bench/storage/get
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
best() { awk -v a="$1" -v b="${2:-0}" 'BEGIN {print (a > b ? a : b)}'; }
echo "== $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start" >&2

if [[ $PARTS == *a* ]]; then
	mkdir -p "$work/in"
	python3 bench/import/copies.py "$src" "$work/in" "$copies"
	count=$(ls "$work/in" | wc -l)
	cat "$work"/in/* >/dev/null
	tck=$(getconf CLK_TCK)
	ticks() { awk '{print $14 + $15}' /proc/$1/stat; }
	imp() { # DATA [--storage URL]: "photos/s CPU-seconds" of one import into a new data folder (CPU: pinhole's and versitygw's)
		local data=$1; shift
		rm -rf "$data"
		"$work/pinhole" --data "$data" "$@" gallery create --title Bench >/dev/null
		local slug start end v0 v1
		slug=$("$work/pinhole" --data "$data" "$@" gallery list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["slug"])')
		v0=$(ticks $VGW)
		start=$(date +%s.%N)
		/usr/bin/time -f '%U %S' -o "$work/t.imp" "$work/pinhole" --data "$data" "$@" import "$slug" "$work/in" >/dev/null
		end=$(date +%s.%N)
		v1=$(ticks $VGW)
		awk -v n="$count" -v s="$start" -v e="$end" -v v=$((v1 - v0)) -v t="$tck" '{printf "%.2f %.1f", n / (e - s), $1 + $2 + v / t}' "$work/t.imp"
	}
	bf=0 bb=0
	for r in $(seq "$ROUNDS"); do
		read -r f fc <<<"$(imp "$work/imp-folder")"
		read -r b bc <<<"$(imp "$work/imp-bucket" --storage "s3://bench/import-$r")"
		echo "(a) import of $count JPEGs: bucket $b photos/s ($bc CPU s), folder $f photos/s ($fc CPU s): ratio $(ratio "$b" "$f"), by CPU $(ratio "$fc" "$bc") (load $(cut -d' ' -f1 /proc/loadavg))" >&2
		bf=$(best "$f" "$bf"); bb=$(best "$b" "$bb")
	done
	echo "(a) best of $ROUNDS: bucket $bb, folder $bf photos/s: ratio $(ratio "$bb" "$bf")" >&2
fi

if [[ $PARTS == *b* || $PARTS == *c* ]]; then
	thumb=testdata/photos/ianare_exif-samples/jpg/Canon_PowerShot_S40.jpg
	go run ./bench/web/setup -data "$work/folder" -n "$N" -size "$SIZE" -thumb "$thumb" > "$work/folder.vars"
	go run ./bench/web/setup -data "$work/bucket" -storage s3://bench/web -n "$N" -size "$SIZE" -thumb "$thumb" > "$work/bucket.vars"
	"$work/pinhole" --data "$work/folder" serve --ssh "" --http 127.0.0.1:18090 >/dev/null 2>"$work/folder.log" &
	"$work/pinhole" --data "$work/bucket" serve --ssh "" --http 127.0.0.1:18091 >/dev/null 2>"$work/bucket.log" &
	PID=$!
	for port in 18090 18091; do
		for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
	done
fi

if [[ $PARTS == *b* ]]; then
	wrkrun() { # name port vars paths
		local out rps
		source "$3"
		out=$(PATHS="$4" COOKIE="$COOKIE" wrk -t2 -c"$CONN" -d"$DUR" --latency -s bench/web/paths.lua "http://127.0.0.1:$2")
		rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
		printf '(b) %-24s %10s req/s   p99 %8s  %s\n' "$1" "$rps" "$(awk '$1 == "99%" {print $2}' <<<"$out")" "$(grep -E "Non-2xx|Socket errors" <<<"$out" || true)" >&2
		echo "$rps"
	}
	# Warm the bucket's cache: every thumbnail read once.
	source "$work/bucket.vars"
	while read -r p; do curl -fsS -o /dev/null -H "Cookie: $COOKIE" "http://127.0.0.1:18091$p"; done < "$work/bucket/pinhole-thumbs.txt"
	bf=0 bb=0
	for _ in $(seq "$ROUNDS"); do
		b=$(wrkrun "thumbnails, bucket" 18091 "$work/bucket.vars" "$work/bucket/pinhole-thumbs.txt")
		f=$(wrkrun "thumbnails, folder" 18090 "$work/folder.vars" "$work/folder/pinhole-thumbs.txt")
		echo "(b) ratio bucket/folder: $(ratio "$b" "$f")" >&2
		bf=$(best "$f" "$bf"); bb=$(best "$b" "$bb")
	done
	echo "(b) best of $ROUNDS: bucket $bb, folder $bf req/s: ratio $(ratio "$bb" "$bf")" >&2
fi

if [[ $PARTS == *c* ]]; then
	source "$work/bucket.vars"
	# The originals' keys, in the ZIP's order.
	"$work/pinhole" --data "$work/bucket" photo list "$SLUG" --json |
		python3 -c 'import json,sys; [print(p["original"].split("s3://bench/web/", 1)[1]) for p in json.load(sys.stdin)]' > "$work/keys.txt"
	echo 5 > /proc/$PID/clear_refs 2>/dev/null || true # the peak from here on
	# CPU seconds of the processes each path runs (the machine is shared,
	# so besides MB/s, what each byte costs): the ZIP is versitygw, serve
	# and fetch; the reference is versitygw and get.
	tck=$(getconf CLK_TCK)
	ticks() { awk '{print $14 + $15}' /proc/$1/stat; }
	timed() { # OUT CMD...: runs CMD, its user+system seconds in OUT
		local out=$1; shift
		/usr/bin/time -f '%U %S' -o "$out" "$@"
	}
	bz=0 bg=0
	for _ in $(seq "$ROUNDS"); do
		v0=$(ticks $VGW) p0=$(ticks $PID)
		z=$(timed "$work/t.zip" "$work/fetch" -cookie "$COOKIE" "http://127.0.0.1:18091/g/$SLUG/zip" | awk '{printf "%.0f", $2 / 1e6}')
		v1=$(ticks $VGW) p1=$(ticks $PID)
		g=$(timed "$work/t.get" "$work/get" -storage s3://bench/web < "$work/keys.txt" | awk '{printf "%.0f", $2 / 1e6}')
		v2=$(ticks $VGW)
		zcpu=$(awk -v v=$((v1 - v0 + p1 - p0)) -v t="$tck" '{printf "%.2f", v / t + $1 + $2}' "$work/t.zip")
		gcpu=$(awk -v v=$((v2 - v1)) -v t="$tck" '{printf "%.2f", v / t + $1 + $2}' "$work/t.get")
		echo "(c) 1 GB: ZIP from the bucket $z MB/s ($zcpu CPU s), GETs straight from versitygw $g MB/s ($gcpu CPU s): ratio $(ratio "$z" "$g") (load $(cut -d' ' -f1 /proc/loadavg))" >&2
		bz=$(best "$z" "$bz"); bg=$(best "$g" "$bg")
	done
	echo "(c) best of $ROUNDS: ZIP $bz MB/s, GETs $bg MB/s: ratio $(ratio "$bz" "$bg")" >&2
	echo "(c) serve's peak RSS during the ZIPs: $(awk '/VmHWM/ {printf "%.1f MB", $2/1024}' /proc/$PID/status)" >&2
fi
echo "== load average $(cut -d' ' -f1-3 /proc/loadavg) at the end" >&2
