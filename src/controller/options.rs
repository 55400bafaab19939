//! The caller's options beside the HTTP request itself: the stored record,
//! supplier permissions, the disease mapping and the delta TTL, checked once
//! before the request is answered.

use crate::api::Request;
use crate::json::{self, Node, Value};
use crate::permissions::{Environment, SupplierPermissions};
use crate::store::{pyjson, Attr, EventItem};
use crate::vaccine_type::DiseaseMapping;
use std::borrow::Cow;
use std::fmt;

/// `DELTA_TTL_DAYS` in the service's deployment.
pub const DEFAULT_DELTA_TTL_DAYS: i64 = 30;

/// An option the caller gave that cannot be used; the request is not answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestError(pub String);

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RequestError {}

/// What the table holds for the request, as the caller described it.
#[derive(Debug, Clone)]
pub enum Stored {
    /// Not said: the operation's default (see [`Request::stored`]).
    Unspecified,
    /// `null`: the table holds no such record.
    Nothing,
    /// This item.
    Record(EventItem),
}

pub struct Options<'a> {
    pub stored: Stored,
    pub permissions: Option<SupplierPermissions>,
    pub mapping: Cow<'a, DiseaseMapping>,
    pub delta_ttl_days: i64,
}

impl<'a> Options<'a> {
    pub fn from_request(
        request: &Request,
        default_mapping: &'a DiseaseMapping,
    ) -> Result<Self, RequestError> {
        Ok(Options {
            stored: stored(request.stored.as_ref())?,
            permissions: request.permissions.as_ref().map(permissions).transpose()?,
            mapping: match &request.disease_mapping {
                None => Cow::Borrowed(default_mapping),
                Some(mapping) => Cow::Owned(
                    DiseaseMapping::from_json(&mapping.to_string())
                        .map_err(|e| RequestError(format!("diseaseMapping: {e}")))?,
                ),
            },
            delta_ttl_days: request.delta_ttl_days.unwrap_or(DEFAULT_DELTA_TTL_DAYS),
        })
    }
}

fn permissions(value: &serde_json::Value) -> Result<SupplierPermissions, RequestError> {
    match value {
        serde_json::Value::String(name) => {
            let environment = match name.as_str() {
                "dev" => Environment::Dev,
                "preprod" => Environment::Preprod,
                "prod" => Environment::Prod,
                other => {
                    return Err(RequestError(format!(
                        "permissions: unknown environment {other:?} (dev, preprod or prod)"
                    )))
                }
            };
            Ok(SupplierPermissions::embedded(environment))
        }
        config => SupplierPermissions::from_json(&config.to_string())
            .map_err(|e| RequestError(format!("permissions: {e}"))),
    }
}

/// Reads the stored item: string attributes as `S`, numbers as `N`, `Resource`
/// given as an object is written the way the repository writes it.
fn stored(value: Option<&serde_json::Value>) -> Result<Stored, RequestError> {
    let object = match value {
        None => return Ok(Stored::Unspecified),
        Some(serde_json::Value::Null) => return Ok(Stored::Nothing),
        Some(serde_json::Value::Object(object)) => object,
        Some(_) => {
            return Err(RequestError(
                "stored: expected an event-table item object or null".into(),
            ))
        }
    };
    let mut item = EventItem::default();
    for (name, value) in object {
        let attr = match (name.as_str(), value) {
            (_, serde_json::Value::String(text)) => Attr::S(text.clone()),
            (_, serde_json::Value::Number(number)) => Attr::N(number.to_string()),
            (
                "Resource",
                resource @ (serde_json::Value::Object(_) | serde_json::Value::Array(_)),
            ) => {
                let node = json::loads(&resource.to_string())
                    .map_err(|_| RequestError("stored.Resource: not JSON".into()))?;
                Attr::S(pyjson::dumps(&node, true))
            }
            (_, serde_json::Value::Null) => continue,
            (name, _) => {
                return Err(RequestError(format!(
                    "stored.{name}: expected a string or a number"
                )))
            }
        };
        item.set(name, attr);
    }
    Ok(Stored::Record(item))
}

/// The stored record's resource as the service reads it back (`json.loads(item["Resource"])`).
pub fn stored_resource_tree(item: &EventItem) -> Option<Node> {
    item.get_s("Resource")
        .and_then(|text| json::loads(text).ok())
}

/// A string node, for setting `id`.
pub fn text(value: &str) -> Node {
    Node::synthetic(Value::Str(value.into()))
}
