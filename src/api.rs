//! The public request and outcome types, shared by the CLI, the Wasm module and the page.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

/// What the caller asks the service to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Operation {
    /// `POST /Immunization`
    #[default]
    Create,
    /// `PUT /Immunization/{id}`
    Update,
    /// `DELETE /Immunization/{id}`
    Delete,
}

/// One request, as recorded in the conformance corpus's `request` field.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    pub operation: Operation,
    /// The HTTP body exactly as sent.
    #[serde(default)]
    pub body: String,
    /// Create: the id the service would assign. Update/delete: the `{id}` path parameter.
    #[serde(default)]
    pub id: Option<String>,
    /// The `SupplierSystem` header; absent means the header was not sent (the service answers 403).
    #[serde(default)]
    pub supplier_system: Option<String>,
    /// Update: the `E-Tag` header, which is also the stored version before the update.
    /// Accepts a number or the raw header text.
    #[serde(default, deserialize_with = "header_text")]
    pub version: Option<String>,
    /// The service clock in epoch seconds (update: becomes `UpdatedAt`; delete: `DeletedAt`).
    #[serde(default)]
    pub timestamp: Option<i64>,
    /// The record the table already holds, as an event-table item (`PK`, `Resource`
    /// (text or object), `Version`, `IdentifierPK`, `DeletedAt`, ...).
    /// Update: absent means the stored record is the request body itself with
    /// `Version` = `version` (the conformance corpus's convention); `null` means no
    /// record (404). Create: a record whose `IdentifierPK` equals the body's
    /// identifier (422 duplicate, or reinstatement when logically deleted).
    /// Delete: the record to delete; absent means the request body is its resource;
    /// `null` means no record (404).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub stored: Option<serde_json::Value>,
    /// Supplier authorisation: absent (off: every supplier may do everything),
    /// an environment name (`"dev"`, `"preprod"`, `"prod"`: the service's embedded
    /// configuration) or a configuration in the service's JSON shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<serde_json::Value>,
    /// A disease → vaccine type mapping in the shape of the service's
    /// `disease_mapping.json`, replacing the embedded one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disease_mapping: Option<serde_json::Value>,
    /// `DELTA_TTL_DAYS` for the illustrative delta attributes (the service's: 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delta_ttl_days: Option<i64>,
}

/// Keeps an explicit JSON `null` as `Some(Null)`, so that absent and `null` differ.
fn present<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<serde_json::Value>, D::Error> {
    serde_json::Value::deserialize(deserializer).map(Some)
}

/// Reads a header that JSON may give as a number or as text.
fn header_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumberOrText {
        Number(serde_json::Number),
        Text(String),
    }
    Ok(
        Option::<NumberOrText>::deserialize(deserializer)?.map(|value| match value {
            NumberOrText::Number(n) => n.to_string(),
            NumberOrText::Text(t) => t,
        }),
    )
}

/// One rule failure, placed in the body where possible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// `error` for every failure the service reports.
    pub severity: String,
    /// The failure's own text, as it stands inside `diagnostics`.
    pub message: String,
    /// The upstream field location (`contained[?(@.resourceType=='Patient')].birthDate`),
    /// or empty where the failure names no field.
    pub location: String,
    /// JSON Pointer to the value in the body, where it resolves.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub pointer: Option<String>,
    /// 1-based line of the value in the body text.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<usize>,
    /// 1-based column (in characters) of the value in the body text.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub column: Option<usize>,
}

/// What the service would answer, and what it would write.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// HTTP status code.
    pub status: u16,
    /// `issue[0].code` of the OperationOutcome (absent when accepted).
    pub code: Option<String>,
    /// `issue[0].diagnostics` of the OperationOutcome (absent when accepted).
    pub diagnostics: Option<String>,
    /// The diagnostics split into one entry per rule failure.
    pub issues: Vec<Issue>,
    /// The vaccine type the target diseases map to, where it was determined.
    pub vaccine_type: Option<String>,
    /// The event-table item written (accepted requests only), as JSON.
    pub item: Option<Box<RawValue>>,
    /// The delta-table item the stream handler writes (accepted requests only), as JSON:
    /// `ImmsID`, `Operation`, `VaccineType`, `SupplierSystem`, `Imms`.
    pub delta: Option<Box<RawValue>>,
    /// ILLUSTRATIVE attributes the stream handler adds to the delta item (stream event
    /// id, `DateTimeStamp`, `SequenceNumber`, `Source`, `ExpiresAt`), computed from the
    /// request timestamp; they depend on the stream and cannot be known in advance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delta_illustrative: Option<Box<RawValue>>,
    /// The event item in DynamoDB attribute-value JSON (`{"PK": {"S": ...}}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_dynamodb: Option<Box<RawValue>>,
    /// The stored Resource's text and where its escaped text sits in `item` and in
    /// `item_dynamodb`, so that a reader of both texts need not unescape it. Not
    /// serialised.
    #[serde(skip)]
    pub item_resource: Option<ItemResource>,
}

/// The stored Resource of an outcome's items: its text, and the byte ranges of its
/// escaped text (the contents of its JSON string, the same bytes in both) in the
/// item's JSON text and in its DynamoDB JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemResource {
    pub text: String,
    pub in_json: std::ops::Range<usize>,
    pub in_dynamodb: std::ops::Range<usize>,
}

impl Outcome {
    /// A rejection with the given status, `issue[0].code` and diagnostics.
    pub fn rejected(status: u16, code: &str, diagnostics: impl Into<String>) -> Self {
        Outcome {
            status,
            code: Some(code.to_string()),
            diagnostics: Some(diagnostics.into()),
            issues: Vec::new(),
            vaccine_type: None,
            item: None,
            delta: None,
            delta_illustrative: None,
            item_dynamodb: None,
            item_resource: None,
        }
    }

    pub fn is_accepted(&self) -> bool {
        self.status < 300
    }
}
