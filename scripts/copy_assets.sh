#!/usr/bin/env bash
# Copy the built USWDS files from node_modules into static/vendor (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
src=node_modules/@uswds/uswds/dist
dst=static/vendor/uswds
rm -rf "$dst"
mkdir -p "$dst"
cp -r "$src/css" "$src/js" "$src/fonts" "$src/img" "$dst/"
