#!/usr/bin/env bash
# Builds the npm package's three WebAssembly flavours into pkg/:
#   pkg/web      ES module for browsers without a bundler (await the default export first)
#   pkg/node     CommonJS module for Node.js (js/node.mjs is its ES module entry)
#   pkg/bundler  ES module for bundlers (webpack, Vite, ...)
#
# Two builds, each shrunk or sped up with wasm-opt (binaryen), then wasm-bindgen per flavour:
#   profile wasm-release (optimised for size)  -> web, bundler: downloaded by browsers
#   profile wasm-speed   (optimised for speed) -> node: runs supplier pipelines from disk
# Both compile the same source with the same features; only the optimiser settings differ.
# wasm-opt runs before wasm-bindgen: binaryen 108 (Debian 12) writes the export of
# wasm-bindgen's externref table as the function table, which breaks loading.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir=$(cargo metadata --format-version 1 --no-deps | node -pe 'JSON.parse(require("fs").readFileSync(0)).target_directory')

# The --enable-* flags are the features rustc enables by default for wasm32-unknown-unknown,
# so wasm-opt keeps them. --low-memory-unused lets wasm-opt fold constant offsets into
# loads and stores: Rust puts its stack first ([0, 1 MiB), growing down) and its data above
# it, so the lowest KiB is only ever touched by a stack about to overflow.
optimised() { # <cargo profile> <wasm-opt level>: builds, optimises, prints the optimised file
  local out=$target_dir/wasm32-unknown-unknown/$1
  cargo build --quiet --profile "$1" --locked --lib --target wasm32-unknown-unknown
  wasm-opt "$2" --low-memory-unused --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/imms_check.wasm" -o "$out/imms_check.opt.wasm"
  echo "$out/imms_check.opt.wasm"
}

bindgen() { # <optimised wasm> <wasm-bindgen target> <pkg folder> <module type of its .js files>
  local dir=pkg/$3
  rm -rf "$dir"
  # The name section would only hold wasm-bindgen's shim names ("<unknown> externref shim").
  wasm-bindgen --target "$2" --out-dir "$dir" --out-name imms_check \
    --remove-name-section --remove-producers-section "$1"
  printf '{\n  "type": "%s"\n}\n' "$4" >"$dir/package.json"
}

small=$(optimised wasm-release -Oz)
bindgen "$small" web web module
bindgen "$small" bundler bundler module
# -O2, not -O3, after LLVM's opt-level 3: binaryen's -O3 inlines further, and V8 runs the
# larger functions 2-4% slower (bench/wasm.mjs), besides a module about 10% larger.
fast=$(optimised wasm-speed -O2)
bindgen "$fast" nodejs node commonjs

# Measured as tests/node/size-budget.mjs measures it (Node's zlib, level 9), so the two agree.
for flavour in web node; do
  node -e 'const wasm = require("fs").readFileSync(process.argv[1]);
console.log(`${process.argv[2]}/imms_check_bg.wasm: ${wasm.length} bytes raw, ${require("zlib").gzipSync(wasm, { level: 9 }).length} bytes gzip`);' \
    "pkg/$flavour/imms_check_bg.wasm" "$flavour"
done
