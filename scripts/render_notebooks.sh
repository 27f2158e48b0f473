#!/usr/bin/env bash
# Renders every bundled notebook the way a reader sees it: executes it headlessly with our runner
# (simulate mode, small parameters), converts the executed notebook to HTML with nbconvert, and
# screenshots the whole page in headless Chromium.
#
#   scripts/render_notebooks.sh [OUT_DIR] [NOTEBOOK…]     (default: out/rendered, every notebooks/*.ipynb)
#
# Writes OUT_DIR/NAME.ipynb, NAME.html and NAME.png per notebook. Environment: SWIFT_GRPO_BIN
# (default .build/release/swift-grpo), CHROMIUM (default chromium), WIDTH (default 1100).
# Look at the PNGs: raw escape codes, broken charts, empty or huge outputs and errors show there.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SWIFT_GRPO_BIN:-$root/.build/release/swift-grpo}
chromium=${CHROMIUM:-chromium}
width=${WIDTH:-1100}
out=$(mkdir -p "${1:-$root/out/rendered}" && cd "${1:-$root/out/rendered}" && pwd)
shift || true
notebooks=("$@")
[ ${#notebooks[@]} -gt 0 ] || notebooks=("$root"/notebooks/*.ipynb)
export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-Haswell}

[ -x "$bin" ] || { echo "render: $bin is missing; run 'make build' first" >&2; exit 1; }
command -v "$chromium" >/dev/null || { echo "render: '$chromium' not found; install chromium or set CHROMIUM" >&2; exit 1; }

# Small parameters where a notebook's defaults take long; every notebook simulates by default.
parameters() {
  case "$1" in
    starter) echo "-p evaluationCount=1 -p outputDir=$out/starter-exports" ;;
    medcalc) echo "-p outputDir=$out/medcalc-run" ;;
    *) echo "" ;;
  esac
}

# The page height in CSS pixels, measured by Chromium itself on a copy that records it in the DOM.
page_height() {
  local html=$1 probe="${1%.html}.probe.html"
  sed 's#</body>#<script>window.addEventListener("load",()=>document.body.setAttribute("data-page-height",document.documentElement.scrollHeight))</script></body>#' \
    "$html" > "$probe"
  "$chromium" --headless --no-sandbox --disable-gpu --window-size="$width",1000 --virtual-time-budget=5000 \
    --dump-dom "file://$probe" 2>/dev/null | grep -o 'data-page-height="[0-9]*"' | grep -o '[0-9]*' || echo 8000
  rm -f "$probe"
}

cd "$root"
for notebook in "${notebooks[@]}"; do
  name=$(basename "$notebook" .ipynb)
  echo "render: $name"
  # shellcheck disable=SC2046
  "$bin" run "$notebook" -o "$out/$name.ipynb" $(parameters "$name") > "$out/$name.log" 2>&1 \
    || { echo "render: $name failed; see $out/$name.log" >&2; tail -5 "$out/$name.log" >&2; }
  "$root/.venv/bin/jupyter" nbconvert --to html --log-level=WARN "$out/$name.ipynb" --output-dir "$out"
  height=$(page_height "$out/$name.html")
  height=$(( height > 30000 ? 30000 : height + 40 ))
  "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=5000 \
    --window-size="$width,$height" --screenshot="$out/$name.png" "file://$out/$name.html" 2>/dev/null
  echo "render: $out/$name.png (${width}×${height})"
done
