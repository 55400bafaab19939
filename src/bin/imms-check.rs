//! `imms-check`: the service's answer to Immunization requests, from the command line.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    let code = imms_check::cli::run(
        &args,
        &mut std::io::stdin().lock(),
        &mut stdout,
        &mut stderr,
    );
    ExitCode::from(code)
}
