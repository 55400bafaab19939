//! `imms-check`: the service's answer to Immunization requests, from the command line.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    let code = imms_check::cli::run(
        &args,
        &mut std::io::stdin().lock(),
        &mut stdout,
        &mut stderr,
    );
    std::process::ExitCode::from(code)
}

/// The command line is native only; on wasm32 (built alongside the browser tests)
/// the library's Wasm interface (`src/wasm.rs`) is the product.
#[cfg(target_arch = "wasm32")]
fn main() {}
