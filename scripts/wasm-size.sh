#!/usr/bin/env bash
# Prints the size of the page's WebAssembly, raw and gzipped, as the README reports it.
set -euo pipefail
for f in "${1:-dist}"/*.wasm; do
    raw=$(stat -c %s "$f")
    gz=$(gzip -9 -c "$f" | wc -c)
    printf 'wasm: %s  %d KB raw, %d KB gzipped\n' "$(basename "$f")" $((raw / 1024)) $((gz / 1024))
done
