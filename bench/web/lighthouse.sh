#!/usr/bin/env bash
# Lighthouse on a 240-photo public gallery at phone size (Lighthouse's
# mobile emulation, simulated slow 4G and a 4× slower CPU), against
# pinhole serve on loopback, with the system Chromium. Prints the
# performance and accessibility scores and the page's metrics.
# Needs chromium, node and npm; Lighthouse is installed pinned into the
# user's cache, outside the clone. Not a CI test: a benchmark.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-240}
LH_VERSION=12.2.3 # 13 wants Node 22
lh_dir="${XDG_CACHE_HOME:-$HOME/.cache}/pinhole-lighthouse"
if ! grep -qs "\"version\": \"$LH_VERSION\"" "$lh_dir/node_modules/lighthouse/package.json"; then
	npm install --prefix "$lh_dir" --no-audit --no-fund --silent -E "lighthouse@$LH_VERSION"
fi
work=$(mktemp -d)
cleanup() {
	kill $(jobs -p) 2>/dev/null || true
	sleep 0.2
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/pinhole" ./cmd/pinhole
go run ./bench/web/photos -dir "$work/photos" -n "$N"
p() { "$work/pinhole" --data "$work/data" "$@"; }
p config set studio-name "Lumen Studio" >/dev/null
slug=$(p --json gallery create --title "Anna & Ben — Wedding" --access public --date 2026-06-14 \
	--description "A summer day by the lake." | sed -n 's/.*"slug": *"\([^"]*\)".*/\1/p')
p import "$slug" "$work/photos" >/dev/null
p serve --ssh "" --http 127.0.0.1:18090 >/dev/null 2>"$work/serve.log" &
for _ in $(seq 50); do curl -fs http://127.0.0.1:18090/healthz >/dev/null && break; sleep 0.1; done

url="http://127.0.0.1:18090/g/$slug"
for run in 1 2 3; do
	CHROME_PATH=$(command -v chromium) "$lh_dir/node_modules/.bin/lighthouse" "$url" \
		--only-categories=performance,accessibility --output=json --output-path="$work/lh-$run.json" \
		--chrome-flags="--headless=new --no-sandbox --disable-gpu" --quiet
	node -e '
		const r = require(process.argv[1]), a = r.audits;
		const ms = k => Math.round(a[k].numericValue);
		console.log(`run ${process.argv[2]}: performance ${Math.round(r.categories.performance.score*100)}, accessibility ${Math.round(r.categories.accessibility.score*100)}; ` +
			`FCP ${ms("first-contentful-paint")} ms, LCP ${ms("largest-contentful-paint")} ms, TBT ${ms("total-blocking-time")} ms, ` +
			`CLS ${a["cumulative-layout-shift"].numericValue.toFixed(3)}, SI ${ms("speed-index")} ms, ` +
			`bytes ${Math.round(a["total-byte-weight"].numericValue/1024)} kB`);
		for (const [id, au] of Object.entries(a)) if (au.score !== null && au.score < 0.9 && au.scoreDisplayMode !== "informative" && au.scoreDisplayMode !== "notApplicable") console.log(`  ${id}: ${au.score} ${au.displayValue || ""}`);
	' "$work/lh-$run.json" "$run"
done
