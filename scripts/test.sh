#!/usr/bin/env bash
# The whole test suite: formatting, lints, native tests (with the conformance corpus), the
# WebAssembly build, its Node tests and type checks, the browser tests in headless Chromium,
# the page's end-to-end tests when present, and the Wasm size ceiling.
# Needs the tools .ci/run installs (wasm-bindgen-cli, binaryen, chromium, chromedriver).
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
section() { printf '\n=== %s (at %ds) ===\n' "$*" "$((SECONDS - started))"; }

section "cargo fmt --check"
cargo fmt --all -- --check

section "cargo clippy (native and wasm32)"
cargo clippy --all-targets --locked -- -D warnings
cargo clippy --lib --test web --locked --target wasm32-unknown-unknown -- -D warnings

section "cargo test (native, with the conformance corpus)"
cargo test --locked

section "npm dependencies"
if [ ! -x node_modules/.bin/tsc ]; then npm ci --no-audit --no-fund; fi

section "WebAssembly build (web, node, bundler)"
npm run --silent build

section "Node tests (conformance corpus, API, package)"
npm test

section "TypeScript declarations"
npm run --silent test:types

section "Browser tests (headless Chromium)"
export CHROMEDRIVER=${CHROMEDRIVER:-$(command -v chromedriver)}
npm run --silent test:browser

if node -e 'process.exit(require("./package.json").scripts["test:e2e"] ? 0 : 1)'; then
  section "Page end-to-end tests"
  npm run --silent test:e2e
fi

section "Wasm size (ceiling and goal)"
npm run --silent test:size

section "all tests passed in $((SECONDS - started))s"
