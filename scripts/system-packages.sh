#!/usr/bin/env bash
# Installs the Debian packages the given purpose needs, when they are missing.
# As root it installs them with apt-get; otherwise it says exactly what to install.
#   scripts/system-packages.sh run    -> gettext (compiles translations)
#   scripts/system-packages.sh test   -> gettext, postgresql, redis, chromium, fonts
#   scripts/system-packages.sh bench  -> those of test, and wrk (load generator)
set -eu
purpose=${1:-run}
missing=()
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "$purpose" = test ] || [ "$purpose" = bench ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  fc-list 2>/dev/null | grep -qi "dejavu" || missing+=(fonts-dejavu-core)
fi
if [ "$purpose" = bench ]; then
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
