#!/usr/bin/env bash
# Import benchmark: Pinhole's pipeline (media.AddAll, 2 workers) against
# vipsthumbnail and GraphicsMagick on the same JPEGs, making the same two
# renditions (2048 px preview, then a 400 px thumbnail from it, quality 80),
# with both cores busy (xargs -P2 for the other tools).
#
#   bench/import/run.sh FOLDER [COPIES]
#
# FOLDER holds large camera JPEGs. COPIES (default 1) makes that many copies
# of each file, each made unique by a JPEG comment segment (same picture,
# different bytes: Pinhole would otherwise recognise repeats by their hash
# and skip them). ROUNDS=n (default 1) runs the three tools in turn n times
# and keeps each one's best time, which steadies the figures on a busy
# machine. Needs: go, python3, vipsthumbnail (libvips-tools), gm
# (graphicsmagick), GNU time:
#
#   apt-get install -y libvips-tools graphicsmagick time
#
# Peak RSS is GNU time's: for Pinhole the one process with both workers, for
# the others the largest single process.
set -euo pipefail

src=${1:?usage: run.sh FOLDER [COPIES]}
copies=${2:-1}
rounds=${ROUNDS:-1}
jobs=2
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in vipsthumbnail vipsheader gm /usr/bin/time go python3; do
	command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

# The input set: every distinct JPEG of FOLDER, COPIES times.
mkdir -p "$work/in"
python3 "$here/copies.py" "$src" "$work/in" "$copies"
count=$(ls "$work/in" | wc -l)
mp=$(for f in "$work"/in/*.jpg; do echo "$(vipsheader -f width "$f") $(vipsheader -f height "$f")"; done | awk '{s+=$1*$2} END {printf "%.1f", s/NR/1e6}')
echo "input: $count JPEGs, mean $mp megapixels, $(du -sh "$work/in" | cut -f1); $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)"

(cd "$repo" && go build -o "$work/pinhole-import" ./bench/import)

# Warm the page cache so that every tool reads from memory.
cat "$work"/in/*.jpg >/dev/null

# run NAME CMD...: runs CMD under GNU time; records the best time and the
# largest peak RSS seen.
declare -A secs rss cpu
run() {
	local name=$1; shift
	rm -rf "$work/lib" "$work/out"
	mkdir -p "$work/out"
	sync
	/usr/bin/time -v -o "$work/time.$name" "$@" >/dev/null 2>"$work/err.$name" || { echo "$name failed:"; tail "$work/err.$name"; exit 1; }
	local e m c
	e=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time.$name")
	m=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.$name")
	if [ -z "${secs[$name]:-}" ] || awk -v a="$e" -v b="${secs[$name]}" 'BEGIN {exit !(a < b)}'; then
		secs[$name]=$e
	fi
	c=$(awk -F': ' '/User time|System time/ {s+=$2} END {print s}' "$work/time.$name")
	if [ -z "${cpu[$name]:-}" ] || awk -v a="$c" -v b="${cpu[$name]}" 'BEGIN {exit !(a < b)}'; then
		cpu[$name]=$c
	fi
	if [ -z "${rss[$name]:-}" ] || [ "$m" -gt "${rss[$name]}" ]; then
		rss[$name]=$m
	fi
}

export VIPS_CONCURRENCY=1 OUT="$work/out"
vips_cmd='b=$(basename "$1" .jpg); vipsthumbnail "$1" -s 2048 -o "$OUT/$b.p.jpg[Q=80,strip]" && vipsthumbnail "$OUT/$b.p.jpg" -s 400 -o "$OUT/$b.t.jpg[Q=80,strip]"'
gm_cmd='b=$(basename "$1" .jpg); gm convert -size 2048x2048 "$1" -thumbnail 2048x2048 -quality 80 -strip "$OUT/$b.p.jpg" && gm convert -size 400x400 "$OUT/$b.p.jpg" -thumbnail 400x400 -quality 80 -strip "$OUT/$b.t.jpg"'
for _ in $(seq "$rounds"); do
	run pinhole "$work/pinhole-import" -workers $jobs -lib "$work/lib" "$work/in"
	run vipsthumbnail sh -c 'ls "$0"/*.jpg | xargs -P'$jobs' -n1 sh -c "$1" sh' "$work/in" "$vips_cmd"
	run graphicsmagick sh -c 'ls "$0"/*.jpg | xargs -P'$jobs' -n1 sh -c "$1" sh' "$work/in" "$gm_cmd"
done

echo "best of $rounds round(s):"
for name in pinhole vipsthumbnail graphicsmagick; do
	awk -v n="$name" -v c="$count" -v e="${secs[$name]}" -v m="${rss[$name]}" -v u="${cpu[$name]}" 'BEGIN {printf "%-16s %6.2f photos/s  %6.0f ms/photo  %6.0f CPU ms/photo  peak RSS %4.0f MB\n", n, c/e, e*1000/c, u*1000/c, m/1024}'
done
for ref in vipsthumbnail graphicsmagick; do
	awk -v r="$ref" -v p="${secs[pinhole]}" -v s="${secs[$ref]}" -v pc="${cpu[pinhole]}" -v sc="${cpu[$ref]}" 'BEGIN {printf "pinhole / %-15s %.2fx photos/s (wall), %.2fx by CPU time\n", r, s/p, sc/pc}'
done
echo "(CPU time counts all processes; on a machine shared with other work it is the steadier figure.)"
