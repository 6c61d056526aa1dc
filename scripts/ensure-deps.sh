#!/usr/bin/env bash
# Installs the one native dependency LowBit has — libpng (Debian: libpng-dev, found
# through pkg-config) — when it is missing. Safe to run every time: it does nothing when
# libpng is already there.
set -euo pipefail
if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libpng; then
    exit 0
fi
echo "LowBit needs libpng-dev and pkg-config; installing them with apt-get…" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq libpng-dev pkg-config >/dev/null
pkg-config --exists libpng || { echo "error: libpng still not found by pkg-config" >&2; exit 1; }
