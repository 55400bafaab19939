#!/usr/bin/env bash
# Builds the npm package's three WebAssembly flavours into pkg/:
#   pkg/web      ES module for browsers without a bundler (await the default export first)
#   pkg/node     CommonJS module for Node.js (js/node.mjs is its ES module entry)
#   pkg/bundler  ES module for bundlers (webpack, Vite, ...)
#
# One build (profile wasm-release: release, optimised for size), shrunk with wasm-opt (binaryen), then wasm-bindgen once per flavour.
# wasm-opt runs before wasm-bindgen: binaryen 108 (Debian 12) writes the export of
# wasm-bindgen's externref table as the function table, which breaks loading.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir=$(cargo metadata --format-version 1 --no-deps | node -pe 'JSON.parse(require("fs").readFileSync(0)).target_directory')
release=$target_dir/wasm32-unknown-unknown/wasm-release

cargo build --quiet --profile wasm-release --locked --lib --target wasm32-unknown-unknown

# The --enable-* flags are the features rustc enables by default for wasm32-unknown-unknown,
# so wasm-opt keeps them. --low-memory-unused lets wasm-opt fold constant offsets into
# loads and stores: Rust puts its stack first ([0, 1 MiB), growing down) and its data above
# it, so the lowest KiB is only ever touched by a stack about to overflow.
wasm-opt -Oz --low-memory-unused --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$release/imms_check.wasm" -o "$release/imms_check.opt.wasm"

bindgen() { # <wasm-bindgen target> <pkg folder> <module type of its .js files>
  local dir=pkg/$2
  rm -rf "$dir"
  # The name section would only hold wasm-bindgen's shim names ("<unknown> externref shim").
  wasm-bindgen --target "$1" --out-dir "$dir" --out-name imms_check \
    --remove-name-section --remove-producers-section "$release/imms_check.opt.wasm"
  printf '{\n  "type": "%s"\n}\n' "$3" >"$dir/package.json"
}
bindgen web web module
bindgen nodejs node commonjs
bindgen bundler bundler module

wasm=pkg/web/imms_check_bg.wasm
# Measured as tests/node/size-budget.mjs measures it (Node's zlib, level 9), so the two agree.
node -e 'const wasm = require("fs").readFileSync(process.argv[1]);
console.log(`imms_check_bg.wasm: ${wasm.length} bytes raw, ${require("zlib").gzipSync(wasm, { level: 9 }).length} bytes gzip`);' "$wasm"
