//! The human-readable answer `imms-check check` prints.

use crate::api::Outcome;
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, outcome: &Outcome) -> io::Result<()> {
    writeln!(out, "{}", headline(outcome.status))?;
    if let Some(vaccine_type) = &outcome.vaccine_type {
        writeln!(out, "vaccine type: {vaccine_type}")?;
    }
    if let (Some(code), Some(diagnostics)) = (&outcome.code, &outcome.diagnostics) {
        writeln!(out, "code: {code}")?;
        writeln!(out, "diagnostics: {diagnostics}")?;
        writeln!(out, "issues:")?;
        for issue in &outcome.issues {
            let place = match (issue.line, issue.column) {
                (Some(line), Some(column)) => format!("{line}:{column}"),
                _ => "-".to_string(),
            };
            let location = if issue.location.is_empty() {
                String::new()
            } else {
                format!("  [{}]", issue.location)
            };
            writeln!(out, "  {place}  {}{location}", issue.message)?;
        }
    }
    for (label, json) in [
        ("event item", &outcome.item),
        ("delta item", &outcome.delta),
    ] {
        if let Some(json) = json {
            let pretty = serde_json::from_str::<serde_json::Value>(json.get())
                .and_then(|v| serde_json::to_string_pretty(&v))
                .unwrap_or_else(|_| json.get().to_string());
            writeln!(out, "{label}:\n{pretty}")?;
        }
    }
    Ok(())
}

/// "Accepted — 201 Created", "Rejected — 400 Bad Request".
pub fn headline(status: u16) -> String {
    let reason = match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        422 => "Unprocessable Entity",
        500 => "Internal Server Error",
        _ => "",
    };
    let verdict = if status < 300 { "Accepted" } else { "Rejected" };
    format!("{verdict} — {status} {reason}")
}
