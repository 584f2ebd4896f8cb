# Sourced by the Makefile's recipes and scripts/setup.sh: where the tools live
# and, for wasm builds only, the variables that make cargo build std for wasm32
# from Debian's rust-web-src with Debian's rustc (rustup's stays first on PATH
# for native builds, which are twice as fast). Not in .cargo/config.toml:
# `[unstable] build-std` there would break native builds.
export COHORTSCOPE_TOOLS="${COHORTSCOPE_TOOLS:-$HOME/.cache/cohortscope/tools}"
export BINARYEN_VERSION=132.0.0
export PATH="$COHORTSCOPE_TOOLS/node_modules/.bin:$HOME/.cargo/bin:$PATH"

wasm_env() {
    export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1
    export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
    export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
    export CHROMEDRIVER=/usr/bin/chromedriver
    # The browser tests read whole ADaM studies (2.5 MB of XPT) in an
    # unoptimised build: more than the runner's default 20 s in all.
    export WASM_BINDGEN_TEST_TIMEOUT=300
}

# The page's release build (make build, make serve): a panic traps at once,
# without the code that formats its message, which no one would read (the
# page reports the worker's stop instead): about 30 KB gzipped less.
release_wasm_env() {
    wasm_env
    export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort"
}
