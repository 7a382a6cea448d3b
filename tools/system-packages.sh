#!/usr/bin/env bash
# The Debian packages the suite uses as real parts and independent cross-checks.
# Installs them when it may (root with apt-get); otherwise stops at once naming the command to run.
set -euo pipefail
PKGS="softhsm2 opensc xmlsec1 poppler-utils libengine-pkcs11-openssl libnss3-tools chromium chromium-driver gettext"
# one probe per package: the file it puts on the machine
PROBES="/usr/bin/softhsm2-util /usr/bin/pkcs11-tool /usr/bin/xmlsec1 /usr/bin/pdfsig /usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so /usr/bin/certutil /usr/bin/chromium /usr/bin/chromedriver /usr/bin/msgfmt"
# `tools/system-packages.sh bench`: also what `make bench` drives its peers with (ApacheBench for OCSP over HTTP)
if [ "${1:-}" = bench ]; then
  PKGS="$PKGS apache2-utils"
  PROBES="$PROBES /usr/bin/ab"
fi
missing=""
set -- $PROBES
for pkg in $PKGS; do
  probe=$1; shift
  case "$probe" in
    */engines-3/pkcs11.so) ls /usr/lib/*/engines-3/pkcs11.so >/dev/null 2>&1 || missing="$missing $pkg" ;;
    *) [ -e "$probe" ] || missing="$missing $pkg" ;;
  esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends $missing >/dev/null 2>&1 || \
    { apt-get update >/dev/null && apt-get install -y --no-install-recommends $missing >/dev/null; }
  exit 0
fi
echo "missing Debian packages; run: sudo apt-get install -y --no-install-recommends$missing" >&2
exit 1
