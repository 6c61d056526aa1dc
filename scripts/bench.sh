#!/usr/bin/env bash
# Benchmarks, never tests: builds lowbit for this CPU (.build-native), sets up the peers in
# a virtual environment (.venv-bench: numpy, ml_dtypes, threadpoolctl; torch and
# bitsandbytes for nf4), and prints LowBit's kernels beside theirs, measured in the same run.
# Usage: scripts/bench.sh [formats|int8|nf4|train ...]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
swift build -c release --scratch-path .build-native -Xswiftc -target-cpu -Xswiftc native \
    -Xswiftc -DLOWBIT_NATIVE --product lowbit
if [ ! -x .venv-bench/bin/python ]; then
    python3 -m venv .venv-bench
    .venv-bench/bin/pip install -q numpy ml_dtypes threadpoolctl
fi
if [[ " ${*:-formats int8 nf4 train} " == *" nf4 "* || " ${*:-formats int8 nf4 train} " == *" train "* ]] && ! .venv-bench/bin/python -c "import bitsandbytes" 2>/dev/null; then
    .venv-bench/bin/pip install -q torch bitsandbytes
fi
LOWBIT=.build-native/release/lowbit
for mode in "${@:-formats int8 nf4 train}"; do
    for m in $mode; do
        echo "== bench $m =="
        "$LOWBIT" bench "$m" | head -1
        .venv-bench/bin/python scripts/bench/compare.py "$LOWBIT" .venv-bench/bin/python "$m"
        echo
    done
done
