#!/usr/bin/env bash
# Installs what building, serving and testing cohortscope needs, from the package
# registries only (Debian, crates.io, npm), skipping everything already present.
#
#   scripts/setup.sh build   # wasm toolchain, wasm-bindgen, trunk, wasm-opt
#   scripts/setup.sh test    # the above + Chromium, ChromeDriver, wasm-pack
#
# Cold on 2 cores this takes about 15 minutes (trunk alone about 7); warm, a
# few seconds. Tools go to ~/.cargo/bin and $COHORTSCOPE_TOOLS (npm packages).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
what="${1:-test}"
# shellcheck source=scripts/tools.sh
source "$here/scripts/tools.sh"

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=no
apt_need() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing Debian packages: ${missing[*]}"
    if [ "$apt_updated" = no ]; then as_root apt-get update -qq; apt_updated=yes; fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# `cargo install` runs outside the crate so that no project setting leaks in.
cargo_need() { # binary version crate [cargo install args...]
    local bin="$1" version="$2" crate="$3"; shift 3
    if command -v "$bin" >/dev/null 2>&1 && "$bin" --version 2>/dev/null | grep -qF "$version"; then
        return 0
    fi
    say "cargo install $crate $version ($*) — $bin is missing or not $version"
    (cd /tmp && cargo install "$crate" --version "$version" "$@")
}

lock_version() { # crate name -> its version in Cargo.lock
    awk -v n="$1" '$0 == "name = \"" n "\"" { getline; gsub(/version = |"/, ""); print; exit }' "$here/Cargo.lock"
}

# 1. The wasm32 standard library. rustup's toolchains here have none and rustup
#    cannot download one; Debian's rustc-web ships its source, from which cargo
#    builds std for wasm32 (see scripts/tools.sh). lld-22 provides rust-lld.
say "wasm32 toolchain: Debian rustc-web, rust-web-src, rust-web-llvm, lld-22"
apt_need rustc-web rust-web-src rust-web-llvm lld-22

# 2. wasm-bindgen's command-line tools, exactly the version of the library in
#    Cargo.lock (a mismatch is a hard error at build time). Not --locked: its
#    lock file asks for a crate version the registry no longer has.
bindgen="$(lock_version wasm-bindgen)"
say "wasm-bindgen-cli $bindgen (matches Cargo.lock)"
cargo_need wasm-bindgen "$bindgen" wasm-bindgen-cli

# 3. Trunk, the page's bundler. 0.21.14 is the newest that builds with rustc 1.95.
say "trunk 0.21.14"
cargo_need trunk 0.21.14 trunk --locked

# 4. wasm-opt from npm's binaryen: Debian's (108) and crates.io's (116) cannot
#    read what wasm-bindgen 0.2.130 emits.
say "wasm-opt (binaryen $BINARYEN_VERSION from npm) in $COHORTSCOPE_TOOLS"
if ! "$COHORTSCOPE_TOOLS/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
    command -v npm >/dev/null || apt_need npm
    mkdir -p "$COHORTSCOPE_TOOLS"
    npm install --silent --no-audit --no-fund --prefix "$COHORTSCOPE_TOOLS" "binaryen@$BINARYEN_VERSION"
fi

# 5. The crates of the page and of the std it builds (std's own dependencies
#    among them): Trunk runs cargo offline (Trunk.toml), so on a fresh machine
#    `make build` finds none of them unless they are fetched here first.
say "crates of the wasm build (the page's and std's)"
(cd "$here" && wasm_env && cargo fetch --quiet --target wasm32-unknown-unknown)

if [ "$what" = test ]; then
    # 6. A browser for the wasm-bindgen tests and the end-to-end test.
    say "browser: Debian chromium and chromium-driver"
    apt_need chromium chromium-driver
    # 7. wasm-pack, the test runner Rust web developers expect.
    say "wasm-pack"
    cargo_need wasm-pack 0.15.1 wasm-pack --locked
fi
if [ "$what" = test ]; then
    # 8. rustfmt and clippy, which `make test` runs first (components of the
    #    machine's rustup toolchain).
    for tool in fmt clippy; do
        cargo "$tool" --version >/dev/null 2>&1 \
            || { say "cargo $tool is missing from the rustup toolchain: make test runs it"; exit 1; }
    done
    # 9. cargo-fuzz, for the bounded fuzzing runs (nightly is the machine's own rustup toolchain).
    say "cargo-fuzz"
    cargo_need cargo-fuzz 0.13.2 cargo-fuzz --locked
    rustup run nightly rustc --version >/dev/null 2>&1 \
        || { say "the rustup nightly toolchain is missing: fuzzing needs it"; exit 1; }
    # 10. R with survival: tests/r_snippet.rs runs the page's R snippet and compares its numbers.
    say "R and its survival package"
    apt_need r-base-core r-cran-survival
fi
say "ready ($what)"
