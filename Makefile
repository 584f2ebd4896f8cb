# The two commands that matter (see README.md):
#   make serve   build the page and serve it on http://127.0.0.1:8080
#   make test    every test: native (core + CLI), wasm in headless Chromium, end to end
# Each first installs whatever is missing (scripts/setup.sh).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
TOOLS := source scripts/tools.sh
ADDRESS ?= 127.0.0.1
PORT ?= 8080

.PHONY: serve build test test-lint test-native test-wasm test-e2e test-fuzz setup-build setup-test bench clean

serve: setup-build
	$(TOOLS); release_wasm_env; trunk serve --release --address $(ADDRESS) --port $(PORT)

# The release site in dist/: relative URLs, so it works from any static host
# under any sub-path.
build: setup-build
	$(TOOLS); release_wasm_env; trunk build --release
	@scripts/wasm-size.sh dist

test: setup-test test-lint test-native test-wasm test-e2e test-fuzz

# Formatting and lints are part of the test: a warning fails it.
test-lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

# `--all-targets` leaves out the doc examples, which are tests too.
test-native:
	cargo test --workspace --all-targets
	cargo test --workspace --doc

# The Yew components in headless Chromium (tests/web.rs). wasm-pack builds every
# test target for wasm32 (`--tests`), so native-only tests and property-test
# modules are compiled out there with `cfg(not(target_arch = "wasm32"))`.
test-wasm:
	$(TOOLS); wasm_env; wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver --mode no-install -- --features page-engine --test web

# The built site served on 127.0.0.1 and driven through ChromeDriver.
test-e2e: build
	COHORTSCOPE_DIST=$(CURDIR)/dist cargo test --test e2e -- --ignored --test-threads=1

# Each fuzz target (fuzz/fuzz_targets/) for a bounded time; a crash fails the run.
FUZZ_SECONDS ?= 60
test-fuzz:
	$(TOOLS); cd fuzz && for target in $$(cargo fuzz list); do \
	    echo "fuzz: $$target for $(FUZZ_SECONDS) s"; \
	    cargo +nightly fuzz run $$target -- -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 2>&1 \
	        | grep -E 'stat::number_of_executed_units|stat::peak_rss_mb|^==[0-9]+==|SUMMARY|panicked|Test unit written|^Done' ; \
	done

# Criterion benchmarks of the core, then the built page in headless Chromium
# (tests/page_bench.rs: 10^4, 10^5, 10^6 rows; COHORTSCOPE_BENCH_ROWS to choose).
bench: build
	cargo bench
	COHORTSCOPE_DIST=$(CURDIR)/dist cargo test --release --test page_bench -- --ignored --nocapture

setup-build:
	@scripts/setup.sh build

setup-test:
	@scripts/setup.sh test

clean:
	cargo clean
	rm -rf dist
