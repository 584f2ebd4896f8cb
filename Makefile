# The two commands that matter (see README.md):
#   make serve   build the page and serve it on http://127.0.0.1:8080
#   make test    every test: native (core + CLI), wasm in headless Chromium, end to end
# Each first installs whatever is missing (scripts/setup.sh).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
TOOLS := source scripts/tools.sh
ADDRESS ?= 127.0.0.1
PORT ?= 8080

.PHONY: serve build test test-native test-wasm test-e2e setup-build setup-test bench fuzz clean

serve: setup-build
	$(TOOLS); wasm_env; trunk serve --release --address $(ADDRESS) --port $(PORT)

# The release site in dist/: relative URLs, so it works from any static host
# under any sub-path.
build: setup-build
	$(TOOLS); wasm_env; trunk build --release
	@scripts/wasm-size.sh dist

test: setup-test test-native test-wasm test-e2e

test-native:
	cargo test --all-targets

# Only the browser tests (tests/web.rs): the other test targets are native
# (files, processes, property tests) and their dev-dependencies do not build
# for wasm32.
test-wasm:
	$(TOOLS); wasm_env; wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver --mode no-install -- --test web

# The built site served on 127.0.0.1 and driven through ChromeDriver.
test-e2e: build
	COHORTSCOPE_DIST=$(CURDIR)/dist cargo test --test e2e -- --ignored --test-threads=1

bench:
	cargo bench

setup-build:
	@scripts/setup.sh build

setup-test:
	@scripts/setup.sh test

clean:
	cargo clean
	rm -rf dist
