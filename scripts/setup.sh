#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for development and tests: the Debian packages the tests
# run for real (BIND 9, OpenLDAP slapd, openssl, faketime) and the npm packages (Node 24 comes
# from the npm package `node`). apt-get runs only when something is missing, so it needs root
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
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Installing slapd or bind9 may start their system services; the tests start their own servers on
# loopback addresses and need none of them.
pkill -x slapd 2>/dev/null || true
pkill -x named 2>/dev/null || true

npm ci --no-audit --no-fund
npm ci --prefix tools/eslint --no-audit --no-fund
