#!/usr/bin/env bash
# Renders build/icon.svg into the PNGs electron-builder packs: build/icon.png (1024 px, from which
# it makes the Windows .ico and macOS .icns) and build/icons/NxN.png (the Linux icon set).
# Needs rsvg-convert (Debian: apt-get install librsvg2-bin). Commit the PNGs it writes.
set -euo pipefail
cd "$(dirname "$0")/../build"
rsvg-convert -w 1024 -h 1024 icon.svg -o icon.png
for size in 16 24 32 48 64 128 256 512; do
  rsvg-convert -w "$size" -h "$size" icon.svg -o "icons/${size}x${size}.png"
done
echo "icons written: build/icon.png, build/icons/{16..512}.png"
