#!/usr/bin/env bash
# Playwright cannot download its own browser here: use Debian's Chromium, installed on first use. Also poppler-utils,
# whose pdftoppm renders the report PDF's first page for the e2e check of its layout (that check is skipped without it).
set -euo pipefail
packages=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || packages+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || packages+=(poppler-utils)
if [ ${#packages[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
	if [[ " ${packages[*]} " == *" chromium "* ]]; then
		echo "Chromium is missing: run 'sudo apt-get install -y ${packages[*]}' (Debian) or set CHROMIUM_PATH." >&2
		exit 1
	fi
	echo "pdftoppm is missing: the report PDF's rendering check will be skipped ('sudo apt-get install -y poppler-utils')." >&2
	exit 0
fi
echo "Installing Debian's ${packages[*]} for the end-to-end tests (about 30 s)…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${packages[@]}" >/dev/null
