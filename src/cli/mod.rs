//! The command-line shell: argument parsing, `check` and `batch`.
//! Exit codes: 0 accepted (batch: every line processed), 1 rejected, 2 usage or I/O error.

mod batch;
mod check;
mod summary;

use std::io::{BufRead, Write};

pub const USAGE: &str = "\
usage: imms-check check FILE|- [--operation create|update|delete] [--id ID]
                           [--supplier NAME] [--version N] [--timestamp SECONDS] [--json]
       imms-check batch FILE.jsonl|-

check   prints the service's answer to one request body (FILE, or - for standard input):
        status, each issue at its line:column, and the items an accepted request writes.
        --json prints the outcome as JSON instead.
        Exit code 0 accepted, 1 rejected, 2 usage or I/O error.
batch   reads one request per line (a request object, or a conformance line
        {\"name\", \"request\", ...}) and writes one JSON outcome per line.
";

/// Runs the command line `args` (without the program name); returns the exit code.
pub fn run(
    args: &[String],
    stdin: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let result = match args.first().map(String::as_str) {
        Some("check") => check::run(&args[1..], stdin, stdout),
        Some("batch") => batch::run(&args[1..], stdin, stdout),
        Some("-h") | Some("--help") | Some("help") => {
            let _ = stdout.write_all(USAGE.as_bytes());
            return 0;
        }
        Some("--version") | Some("version") => {
            let _ = writeln!(stdout, "imms-check {}", env!("CARGO_PKG_VERSION"));
            return 0;
        }
        _ => Err(CliError::Usage("expected a command: check or batch".into())),
    };
    match result {
        Ok(code) => code,
        Err(CliError::Usage(message)) => {
            let _ = writeln!(stderr, "imms-check: {message}\n\n{USAGE}");
            2
        }
        Err(CliError::Io(message)) => {
            let _ = writeln!(stderr, "imms-check: {message}");
            2
        }
    }
}

#[derive(Debug)]
pub enum CliError {
    Usage(String),
    Io(String),
}

/// Opens FILE, or standard input for `-`, and reads it whole.
fn read_input(path: &str, stdin: &mut dyn BufRead) -> Result<Vec<u8>, CliError> {
    if path == "-" {
        let mut bytes = Vec::new();
        stdin
            .read_to_end(&mut bytes)
            .map_err(|e| CliError::Io(format!("cannot read standard input: {e}")))?;
        Ok(bytes)
    } else {
        std::fs::read(path).map_err(|e| CliError::Io(format!("cannot read {path}: {e}")))
    }
}
