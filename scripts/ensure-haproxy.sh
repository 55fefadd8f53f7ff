#!/usr/bin/env bash
# The cluster bench and tests (scripts/bench/cluster.ts, tests/cluster/) put the app behind a real load balancer:
# Debian's HAProxy, installed on first use (as scripts/ensure-chromium.sh does for the browser). Prints its path.
set -euo pipefail
found="${HAPROXY_PATH:-$(command -v haproxy || true)}"
if [ -z "$found" ] && [ -x /usr/sbin/haproxy ]; then found=/usr/sbin/haproxy; fi
if [ -n "$found" ] && [ -x "$found" ]; then echo "$found"; exit 0; fi
if [ "$(id -u)" != "0" ]; then
	echo "HAProxy is missing: run 'sudo apt-get install -y haproxy' (Debian) or set HAPROXY_PATH." >&2
	exit 1
fi
echo "Installing Debian's haproxy for the cluster bench and tests…" >&2
export DEBIAN_FRONTEND=noninteractive
# Only the binary is wanted: the package's own service must not start (policy-rc.d 101 = "not now").
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; made_policy=1; fi
trap 'if [ "$made_policy" = 1 ]; then rm -f "$policy"; fi' EXIT
apt-get update -qq >&2
apt-get install -y -qq haproxy >/dev/null
command -v haproxy || echo /usr/sbin/haproxy
