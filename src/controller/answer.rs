//! An answer in the making: either accepted with its items, or an
//! OperationOutcome with status, code and diagnostics; and how it becomes the
//! public [`Outcome`], with every failure placed in the body.

use crate::api::{Issue, Outcome};
use crate::json::{self, Node};
use crate::locate::{locate, Located};
use crate::raised::{FieldError, Raised};
use crate::store::ItemTexts;
use serde_json::value::RawValue;

/// `GENERIC_SERVER_ERROR_DIAGNOSTICS_MESSAGE`: the global handler's 500 text.
pub const SERVER_ERROR_DIAGNOSTICS: &str = "Unable to process request. Issue may be transient.";

/// Where the failures of a rejection point in the body.
#[derive(Debug, Clone, Default)]
pub enum Placement {
    /// Each failure with its field location resolved against the parsed body
    /// (resolved when raised, so that the body need not be kept).
    Fields(Vec<(FieldError, Option<Located>)>),
    /// A position in the body text (JSON syntax errors), in bytes.
    Offset(usize),
    /// Nothing to point at.
    #[default]
    Nowhere,
}

#[derive(Debug, Clone)]
pub enum Answer {
    Accepted {
        status: u16,
        vaccine_type: Option<String>,
        /// The event item's JSON and DynamoDB JSON.
        item: Option<Box<ItemTexts>>,
        delta: Option<String>,
        delta_illustrative: Option<String>,
    },
    Rejected {
        status: u16,
        code: &'static str,
        diagnostics: String,
        vaccine_type: Option<String>,
        placement: Box<Placement>,
    },
}

impl Answer {
    pub fn rejected(status: u16, code: &'static str, diagnostics: impl Into<String>) -> Self {
        Answer::Rejected {
            status,
            code,
            diagnostics: diagnostics.into(),
            vaccine_type: None,
            placement: Box::new(Placement::Nowhere),
        }
    }

    /// The global exception handler's answer to an exception nothing else caught.
    pub fn server_error() -> Self {
        Answer::rejected(500, "exception", SERVER_ERROR_DIAGNOSTICS)
    }

    /// `CustomValidationError` (400 invariant) or the 500 of an uncaught
    /// exception, from what a validation stage raised.
    pub fn from_raised(raised: Raised, body: &Node) -> Self {
        match raised {
            Raised::Invalid {
                diagnostics,
                errors,
            } => Answer::Rejected {
                status: 400,
                code: "invariant",
                diagnostics,
                vaccine_type: None,
                placement: Box::new(Placement::Fields(
                    errors
                        .into_iter()
                        .map(|error| {
                            let found = locate(body, &error.location);
                            (error, found)
                        })
                        .collect(),
                )),
            },
            Raised::Unhandled { .. } => Answer::server_error(),
        }
    }

    pub fn with_vaccine_type(mut self, vaccine: Option<String>) -> Self {
        match &mut self {
            Answer::Accepted { vaccine_type, .. } | Answer::Rejected { vaccine_type, .. } => {
                *vaccine_type = vaccine
            }
        }
        self
    }

    pub fn into_outcome(self, body_text: &str) -> Outcome {
        match self {
            Answer::Accepted {
                status,
                vaccine_type,
                item,
                delta,
                delta_illustrative,
            } => {
                let (item, item_dynamodb, item_resource) = match item {
                    Some(texts) => {
                        let ItemTexts {
                            json,
                            dynamodb,
                            resource,
                        } = *texts;
                        let (json, dynamodb) = (raw_json(json), raw_json(dynamodb));
                        // The ranges hold only for the texts they were measured in.
                        let resource = resource.filter(|_| json.is_some() && dynamodb.is_some());
                        (json, dynamodb, resource)
                    }
                    None => (None, None, None),
                };
                Outcome {
                    status,
                    code: None,
                    diagnostics: None,
                    issues: Vec::new(),
                    vaccine_type,
                    item,
                    delta: delta.and_then(raw_json),
                    delta_illustrative: delta_illustrative.and_then(raw_json),
                    item_dynamodb,
                    item_resource,
                }
            }
            Answer::Rejected {
                status,
                code,
                diagnostics,
                vaccine_type,
                placement,
            } => {
                let issues = issues_for(&diagnostics, *placement, body_text);
                Outcome {
                    status,
                    code: Some(code.to_string()),
                    diagnostics: Some(diagnostics),
                    issues,
                    vaccine_type,
                    item: None,
                    delta: None,
                    delta_illustrative: None,
                    item_dynamodb: None,
                    item_resource: None,
                }
            }
        }
    }
}

/// The key `serde_json` reads a [`RawValue`] under when one is deserialised
/// from something other than JSON text.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// A JSON text this crate wrote itself (the items' JSON writers), as a
/// [`RawValue`] without parsing or copying it again: `serde_json` builds a raw
/// value from the one-entry map `{RAW_VALUE_TOKEN: text}` as it stands. Should
/// this `serde_json` refuse that (checked once), texts are validated the
/// ordinary way.
pub fn raw_json(json_text: String) -> Option<Box<RawValue>> {
    static MAP_ACCEPTED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if *MAP_ACCEPTED.get_or_init(|| raw_from_map("null".to_string()).is_some()) {
        raw_from_map(json_text)
    } else {
        RawValue::from_string(json_text).ok()
    }
}

fn raw_from_map(json_text: String) -> Option<Box<RawValue>> {
    use serde::de::value::{Error, MapDeserializer};
    use serde::Deserialize;
    let entry = std::iter::once((RAW_VALUE_TOKEN, json_text));
    Box::<RawValue>::deserialize(MapDeserializer::<_, Error>::new(entry)).ok()
}

fn issues_for(diagnostics: &str, placement: Placement, body_text: &str) -> Vec<Issue> {
    match placement {
        Placement::Fields(errors) if !errors.is_empty() => errors
            .into_iter()
            .map(|(error, found)| {
                let mut issue = issue(error.message, error.location);
                if let Some(found) = found {
                    place(&mut issue, body_text, found.offset);
                    issue.pointer = Some(found.pointer);
                }
                issue
            })
            .collect(),
        Placement::Offset(offset) => {
            let mut single = issue(diagnostics.to_string(), String::new());
            place(&mut single, body_text, offset);
            vec![single]
        }
        _ => vec![issue(diagnostics.to_string(), String::new())],
    }
}

fn issue(message: String, location: String) -> Issue {
    Issue {
        severity: "error".to_string(),
        message,
        location,
        pointer: None,
        line: None,
        column: None,
    }
}

fn place(issue: &mut Issue, body_text: &str, offset: usize) {
    let (line, column) = json::line_column(body_text, offset);
    issue.line = Some(line);
    issue.column = Some(column);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_values_keep_the_text_exactly() {
        // This serde_json takes a raw value from the token map (no second parse).
        assert_eq!(
            raw_from_map("[1]".to_string()).map(|v| v.get().to_string()),
            Some("[1]".to_string())
        );
        for text in [
            r#"{"PK": "Immunization#1", "Resource": "{\"a\": [1, 2.50, \"\\ud800\"]}"}"#,
            r#"{"x": {"y": [true, false, null, -0.0, 1e5]}, "\u00e9": "\u00e9é😀"}"#,
            "[]",
            "{\"spaced\" : 1 }",
        ] {
            let fast = raw_json(text.to_string()).map(|v| v.get().to_string());
            let checked = RawValue::from_string(text.to_string())
                .ok()
                .map(|v| v.get().to_string());
            assert_eq!(fast.as_deref(), Some(text));
            assert_eq!(fast, checked);
            let written = serde_json::to_string(&raw_json(text.to_string())).ok();
            assert_eq!(written.as_deref(), Some(text));
        }
    }
}
