//! `imms-check batch FILE.jsonl|-`: one request per line in, one outcome per
//! line out, streaming (one line in memory at a time) and never stopping on a
//! bad line.

use super::CliError;
use crate::api::{Outcome, Request};
use serde::Serialize;
use serde_json::value::RawValue;
use std::io::{BufRead, BufReader, Write};

pub fn run(
    args: &[String],
    stdin: &mut dyn BufRead,
    stdout: &mut dyn Write,
) -> Result<u8, CliError> {
    let [path] = args else {
        return Err(CliError::Usage("batch takes one FILE.jsonl or -".into()));
    };
    if path == "-" {
        process(stdin, stdout)
    } else {
        let file = std::fs::File::open(path)
            .map_err(|e| CliError::Io(format!("cannot read {path}: {e}")))?;
        process(&mut BufReader::with_capacity(1 << 16, file), stdout)
    }
}

fn process(input: &mut dyn BufRead, output: &mut dyn Write) -> Result<u8, CliError> {
    let mut line = Vec::new();
    let mut number = 0usize;
    let write_error = |e: std::io::Error| CliError::Io(format!("cannot write output: {e}"));
    loop {
        line.clear();
        let read = input
            .read_until(b'\n', &mut line)
            .map_err(|e| CliError::Io(format!("cannot read input: {e}")))?;
        if read == 0 {
            break;
        }
        number += 1;
        let text = trim_line_end(&line);
        if text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let result = answer_line(text, number);
        serde_json::to_writer(&mut *output, &result).map_err(|e| CliError::Io(e.to_string()))?;
        output.write_all(b"\n").map_err(write_error)?;
    }
    output.flush().map_err(write_error)?;
    Ok(0)
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// One output line: the outcome's fields after the scenario's name, or an
/// `error` saying why the input line could not be read as a request.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Line {
    name: Option<String>,
    status: Option<u16>,
    code: Option<String>,
    diagnostics: Option<String>,
    issues: Vec<crate::api::Issue>,
    vaccine_type: Option<String>,
    item: Option<Box<RawValue>>,
    delta: Option<Box<RawValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

impl Line {
    fn from_outcome(name: Option<String>, outcome: Outcome) -> Line {
        Line {
            name,
            status: Some(outcome.status),
            code: outcome.code,
            diagnostics: outcome.diagnostics,
            issues: outcome.issues,
            vaccine_type: outcome.vaccine_type,
            item: outcome.item,
            delta: outcome.delta,
            error: None,
        }
    }

    fn unreadable(name: Option<String>, error: String) -> Line {
        Line {
            name,
            status: None,
            code: None,
            diagnostics: None,
            issues: Vec::new(),
            vaccine_type: None,
            item: None,
            delta: None,
            error: Some(error),
        }
    }
}

/// What a line is read for: its `name` and `request`. Other members (a
/// conformance line's `expect`) are only skipped over, so numbers no float can
/// hold there do not make the line unreadable.
#[derive(serde::Deserialize)]
struct Probe<'a> {
    #[serde(default)]
    name: Option<serde_json::Value>,
    #[serde(default, borrow)]
    request: Option<&'a RawValue>,
}

fn answer_line(text: &[u8], number: usize) -> Line {
    let Ok(text) = std::str::from_utf8(text) else {
        return Line::unreadable(None, format!("line {number}: not UTF-8 text"));
    };
    let text = crate::json::map_lone_surrogate_escapes(text);
    let probe: Probe = match serde_json::from_str(&text) {
        Ok(probe) => probe,
        Err(e) => return Line::unreadable(None, format!("line {number}: not JSON: {e}")),
    };
    let name = probe
        .name
        .as_ref()
        .and_then(|n| n.as_str())
        .map(str::to_string);
    // A conformance line carries its request under `request`; otherwise the line is the request.
    let parsed = match probe.request {
        Some(request) => serde_json::from_str::<Request>(request.get()),
        None => serde_json::from_str::<Request>(&text),
    };
    match parsed {
        Ok(request) => match crate::controller::check(&request) {
            Ok(outcome) => Line::from_outcome(name, outcome),
            Err(e) => Line::unreadable(name, format!("line {number}: {e}")),
        },
        Err(e) => Line::unreadable(name, format!("line {number}: not a request: {e}")),
    }
}
