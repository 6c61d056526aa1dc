#!/usr/bin/env bash
# Benchmarks, never tests: builds lowbit for this CPU (.build-native), sets up the peers in
# a virtual environment (.venv-bench: numpy, ml_dtypes, threadpoolctl), and prints LowBit's
# kernels beside theirs, measured in the same run. Usage: scripts/bench.sh [formats|int8 ...]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
swift build -c release --scratch-path .build-native -Xswiftc -target-cpu -Xswiftc native \
    -Xswiftc -DLOWBIT_NATIVE --product lowbit
if [ ! -x .venv-bench/bin/python ]; then
    python3 -m venv .venv-bench
    .venv-bench/bin/pip install -q numpy ml_dtypes threadpoolctl
fi
LOWBIT=.build-native/release/lowbit
for mode in "${@:-formats int8}"; do
    for m in $mode; do
        echo "== bench $m =="
        "$LOWBIT" bench "$m" | head -1
        .venv-bench/bin/python scripts/bench/compare.py "$LOWBIT" .venv-bench/bin/python "$m"
        echo
    done
done
