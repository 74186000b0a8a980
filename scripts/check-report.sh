#!/usr/bin/env bash
# Renders a fleet report in headless Chromium and checks what a person would see: the page loads, every plot
# is drawn, and the summary is there. Needs Debian's chromium package. Usage: scripts/check-report.sh DIR [PNG]
set -euo pipefail
report=${1:?usage: check-report.sh REPORT_DIR [SCREENSHOT.png]}
shot=${2:-}
command -v chromium >/dev/null || { echo "chromium is not installed (apt-get install chromium)" >&2; exit 2; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$profile")
dom=$(chromium "${flags[@]}" --dump-dom "file://$(cd "$report" && pwd)/report.html" 2>/dev/null)
svgs=$(grep -o "<svg" <<<"$dom" | wc -l)
lines=$(grep -o "<polyline" <<<"$dom" | wc -l)
for heading in "Summary" "Response codes" "Latency percentile spectrum" "Latency over time" "Target and achieved rate" "Connected terminals"; do
  grep -q "$heading" <<<"$dom" || { echo "missing: $heading" >&2; exit 1; }
done
[ "$svgs" -ge 5 ] && [ "$lines" -ge 5 ] || { echo "plots missing: $svgs svg, $lines lines" >&2; exit 1; }
if [ -n "$shot" ]; then
  chromium "${flags[@]}" --window-size=900,2400 --screenshot="$shot" "file://$(cd "$report" && pwd)/report.html" 2>/dev/null
fi
echo "report renders: $svgs plots, $lines lines"
