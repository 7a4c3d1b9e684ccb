#!/usr/bin/env bash
# PDFs are rendered with the machine's fonts (DejaVu and Liberation cover Spanish); nothing is
# downloaded at run time. WeasyPrint subsets the fonts it embeds with HarfBuzz's subsetter
# (libharfbuzz-subset0); without it, it falls back to fontTools, which tripled the time of a
# case summary. With --test, also poppler's pdftoppm, which the tests use to keep a
# rendered page of each document as a PNG to look at.
set -euo pipefail
packages=()
fc-list 2>/dev/null | grep -q "DejaVu Sans" || packages+=(fonts-dejavu-core)
fc-list 2>/dev/null | grep -q "Liberation Sans" || packages+=(fonts-liberation)
ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset.so.0" || packages+=(libharfbuzz-subset0)
if [ "${1:-}" = "--test" ] && ! command -v pdftoppm >/dev/null; then packages+=(poppler-utils); fi
if [ ${#packages[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "Missing for PDF documents: run 'sudo apt-get install -y ${packages[*]}'" >&2
  exit 1
fi
echo "Installing ${packages[*]} from Debian for PDF documents..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${packages[@]}" >/dev/null
fc-cache -f >/dev/null 2>&1 || true
