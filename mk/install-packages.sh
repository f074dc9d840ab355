#!/bin/sh
# Installs the Debian packages named that are missing, when running as root
# with apt-get; otherwise prints the one command to run and fails.
missing=""
for p in "$@"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing:$missing"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
else
  echo "missing Debian packages; run: sudo apt-get install -y$missing" >&2
  exit 1
fi
