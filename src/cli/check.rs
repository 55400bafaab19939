//! `imms-check check FILE|-`.

use super::{read_input, summary, CliError};
use crate::api::{Operation, Request};
use std::io::{BufRead, Write};

pub fn run(
    args: &[String],
    stdin: &mut dyn BufRead,
    stdout: &mut dyn Write,
) -> Result<u8, CliError> {
    let options = Options::parse(args)?;
    let bytes = read_input(&options.path, stdin)?;
    let body = String::from_utf8(bytes).map_err(|e| {
        CliError::Io(format!(
            "{} is not UTF-8 text (invalid byte at offset {}); the service only receives text bodies",
            options.path,
            e.utf8_error().valid_up_to()
        ))
    })?;
    let request = Request {
        operation: options.operation,
        body,
        id: options.id,
        supplier_system: Some(options.supplier),
        version: options.version,
        timestamp: options.timestamp,
        ..Request::default()
    };
    let outcome = crate::controller::check(&request).map_err(|e| CliError::Usage(e.to_string()))?;
    let written = if options.json {
        serde_json::to_string_pretty(&outcome)
            .map_err(|e| CliError::Io(e.to_string()))
            .map(|text| writeln!(stdout, "{text}"))
    } else {
        Ok(summary::write(stdout, &outcome))
    };
    written?.map_err(|e| CliError::Io(format!("cannot write output: {e}")))?;
    Ok(if outcome.is_accepted() { 0 } else { 1 })
}

struct Options {
    path: String,
    operation: Operation,
    id: Option<String>,
    supplier: String,
    version: Option<String>,
    timestamp: Option<i64>,
    json: bool,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options, CliError> {
        let mut options = Options {
            path: String::new(),
            operation: Operation::Create,
            id: None,
            supplier: "TPP".to_string(),
            version: None,
            timestamp: None,
            json: false,
        };
        let mut path = None;
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            let mut value = |name: &str| {
                rest.next()
                    .cloned()
                    .ok_or_else(|| CliError::Usage(format!("{name} needs a value")))
            };
            match arg.as_str() {
                "--operation" => {
                    options.operation = match value("--operation")?.as_str() {
                        "create" => Operation::Create,
                        "update" => Operation::Update,
                        "delete" => Operation::Delete,
                        other => {
                            return Err(CliError::Usage(format!(
                                "--operation must be create, update or delete, not {other:?}"
                            )))
                        }
                    }
                }
                "--id" => options.id = Some(value("--id")?),
                "--supplier" => options.supplier = value("--supplier")?,
                "--version" => options.version = Some(value("--version")?),
                "--timestamp" => {
                    let text = value("--timestamp")?;
                    options.timestamp = Some(text.parse().map_err(|_| {
                        CliError::Usage(format!("--timestamp must be epoch seconds, not {text:?}"))
                    })?)
                }
                "--json" => options.json = true,
                other if other.starts_with("--") => {
                    return Err(CliError::Usage(format!("unknown option {other}")))
                }
                other => {
                    if path.replace(other.to_string()).is_some() {
                        return Err(CliError::Usage("check takes one FILE".into()));
                    }
                }
            }
        }
        options.path = path.ok_or_else(|| CliError::Usage("check needs a FILE or -".into()))?;
        Ok(options)
    }
}
