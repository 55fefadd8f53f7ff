#!/usr/bin/env bash
# Playwright cannot download its own browser here: use Debian's Chromium, installed on first use.
set -euo pipefail
if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
	echo "Chromium is missing: run 'sudo apt-get install -y chromium' (Debian) or set CHROMIUM_PATH." >&2
	exit 1
fi
echo "Installing Debian's chromium for the end-to-end tests (about 30 s)…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
