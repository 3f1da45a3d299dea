#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for development and tests: the Debian packages the tests
# run for real (BIND 9, OpenLDAP slapd, openssl, faketime, Pebble as the ACME CA) and the npm
# packages (Node 24 comes from the npm package `node`). apt-get runs only when something is missing, so it needs root
# (or sudo) only the first time.
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

npm ci --no-audit --no-fund
npm ci --prefix tools/eslint --no-audit --no-fund
