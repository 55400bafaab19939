//! The event-table item as upstream `ImmunizationRepository` leaves it after a create
//! (`put_item`), an update or reinstatement (`update_item` SET …) and a logical delete.

use super::keys::{self, Uncaught};
use super::limits;
use super::pyjson;
use super::resource::StoredResource;
use crate::json::Node;

/// One DynamoDB attribute value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attr {
    /// A string (`{"S": ...}`).
    S(String),
    /// A number, as its digits (`{"N": "1"}`).
    N(String),
}

/// `DeletedAt` of a stored record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeletedAt {
    /// Logically deleted at this epoch second.
    At(i64),
    /// `"reinstated"`: deleted once, then brought back by a create or update.
    Reinstated,
}

/// An event-table item. Attributes are kept in the order they were first written
/// (an update sets existing attributes in place and appends new ones).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventItem {
    pub attrs: Vec<(String, Attr)>,
}

impl EventItem {
    pub fn get(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// The value of a string attribute.
    pub fn get_s(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Some(Attr::S(s)) => Some(s),
            _ => None,
        }
    }

    /// Sets an attribute in place, or appends it.
    pub fn set(&mut self, name: &str, value: Attr) {
        if let Some(slot) = self.attrs.iter_mut().find(|(k, _)| k == name) {
            slot.1 = value;
        } else {
            self.attrs.push((name.to_string(), value));
        }
    }

    /// The stored `Version`.
    pub fn version(&self) -> Option<u64> {
        match self.get("Version") {
            Some(Attr::N(n)) => n.parse().ok(),
            _ => None,
        }
    }

    /// `DeletedAt`, if the record has one.
    pub fn deleted_at(&self) -> Option<DeletedAt> {
        match self.get("DeletedAt") {
            Some(Attr::S(s)) if s == "reinstated" => Some(DeletedAt::Reinstated),
            Some(Attr::S(_)) => None,
            Some(Attr::N(n)) => n.parse().ok().map(DeletedAt::At),
            None => None,
        }
    }

    /// Upstream `_is_logically_deleted_item`: `DeletedAt` present and not `"reinstated"`.
    pub fn is_deleted(&self) -> bool {
        self.get("DeletedAt").is_some() && self.deleted_at() != Some(DeletedAt::Reinstated)
    }

    /// Upstream `_is_reinstated_item`.
    pub fn is_reinstated(&self) -> bool {
        self.deleted_at() == Some(DeletedAt::Reinstated)
    }

    /// The item as plain JSON (`{"PK": "Immunization#…", "Version": 1, …}`).
    pub fn to_json(&self) -> String {
        self.render(|out, v| match v {
            Attr::S(s) => pyjson::write_str(out, s, false),
            Attr::N(n) => out.push_str(n),
        })
    }

    /// [`EventItem::to_json`] as a raw JSON value (for `Outcome::item`).
    pub fn to_raw_json(&self) -> Option<Box<serde_json::value::RawValue>> {
        serde_json::value::RawValue::from_string(self.to_json()).ok()
    }

    /// The item in DynamoDB's attribute-value form (`{"PK": {"S": "…"}, "Version": {"N": "1"}}`).
    pub fn to_dynamodb_json(&self) -> String {
        self.render(|out, v| {
            let (tag, text) = match v {
                Attr::S(s) => ("S", s),
                Attr::N(n) => ("N", n),
            };
            out.push_str("{\"");
            out.push_str(tag);
            out.push_str("\": ");
            pyjson::write_str(out, text, false);
            out.push('}');
        })
    }

    fn render(&self, value: impl Fn(&mut String, &Attr)) -> String {
        let mut out = String::from("{");
        for (i, (k, v)) in self.attrs.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            pyjson::write_str(&mut out, k, false);
            out.push_str(": ");
            value(&mut out, v);
        }
        out.push('}');
        out
    }
}

fn s(v: impl Into<String>) -> Attr {
    Attr::S(v.into())
}

fn n(v: impl ToString) -> Attr {
    Attr::N(v.to_string())
}

/// The keys `RecordAttributes.from_immunization` computes, in its order (the contained
/// Patient is looked up first and must exist; then the NHS number; then the first identifier).
struct RecordKeys {
    patient_pk: String,
    patient_sk: String,
    identifier_pk: String,
}

fn record_keys(
    resource: &StoredResource,
    id: &str,
    vaccine_type: &str,
) -> Result<RecordKeys, Uncaught> {
    keys::contained_patient(&resource.tree)?;
    let nhs = keys::nhs_number(&resource.tree)?;
    let identifier_pk = keys::identifier_pk(&resource.tree)?;
    Ok(RecordKeys {
        patient_pk: keys::patient_pk(&nhs),
        patient_sk: keys::patient_sk(vaccine_type, id),
        identifier_pk,
    })
}

/// The item `create_immunization` puts: Version 1, Operation CREATE.
/// `resource` is the body with `id` set, re-serialised ([`super::stored_resource`]).
pub fn create_item(
    resource: &StoredResource,
    id: &str,
    vaccine_type: &str,
    supplier_system: &str,
) -> Result<EventItem, Uncaught> {
    let k = record_keys(resource, id, vaccine_type)?;
    let item = EventItem {
        attrs: vec![
            ("PK".into(), s(keys::immunization_pk(id))),
            ("PatientPK".into(), s(k.patient_pk)),
            ("PatientSK".into(), s(k.patient_sk)),
            ("Resource".into(), s(resource.text.clone())),
            ("IdentifierPK".into(), s(k.identifier_pk)),
            ("Operation".into(), s("CREATE")),
            ("Version".into(), n(1)),
            ("SupplierSystem".into(), s(supplier_system)),
        ],
    };
    limits::check_put(&item)?;
    Ok(item)
}

/// The item after `update_immunization` on `stored` (an update, or a create whose
/// identifier matches a logically deleted record): `UpdatedAt` = `timestamp`,
/// `PatientPK`, `PatientSK`, `Resource` replaced, Operation UPDATE, Version = stored + 1,
/// SupplierSystem; when `stored` is logically deleted, `DeletedAt = "reinstated"`.
/// `IdentifierPK` and any other attribute keep their stored values.
pub fn update_item(
    resource: &StoredResource,
    id: &str,
    vaccine_type: &str,
    supplier_system: &str,
    timestamp: i64,
    stored: &EventItem,
) -> Result<EventItem, Uncaught> {
    let k = record_keys(resource, id, vaccine_type)?;
    let reinstate = stored.is_deleted();
    let version = stored.version().unwrap_or(0) + 1;
    let mut item = stored.clone();
    item.set("PK", s(keys::immunization_pk(id)));
    item.set("PatientPK", s(k.patient_pk));
    item.set("PatientSK", s(k.patient_sk));
    if item.get("IdentifierPK").is_none() {
        item.set("IdentifierPK", s(k.identifier_pk));
    }
    item.set("Resource", s(resource.text.clone()));
    item.set("Operation", s("UPDATE"));
    item.set("Version", n(version));
    item.set("SupplierSystem", s(supplier_system));
    item.set("UpdatedAt", n(timestamp));
    if reinstate {
        item.set("DeletedAt", s("reinstated"));
    }
    // The table applies the update expression's SET clauses in this order.
    let order: &[&str] = if reinstate {
        &[
            "UpdatedAt",
            "PatientPK",
            "PatientSK",
            "Resource",
            "Operation",
            "Version",
            "DeletedAt",
            "SupplierSystem",
        ]
    } else {
        &[
            "UpdatedAt",
            "PatientPK",
            "PatientSK",
            "Resource",
            "Operation",
            "Version",
            "SupplierSystem",
        ]
    };
    let sets: Vec<(&str, &Attr)> = order
        .iter()
        .filter_map(|name| item.get(name).map(|value| (*name, value)))
        .collect();
    limits::check_update(stored, &sets)?;
    Ok(item)
}

/// The item after `delete_immunization`: `DeletedAt` = `timestamp`, Operation DELETE,
/// SupplierSystem; Resource and Version unchanged. `None` when the record is already
/// logically deleted (the service answers 404).
pub fn delete_item(stored: &EventItem, supplier_system: &str, timestamp: i64) -> Option<EventItem> {
    if stored.is_deleted() {
        return None;
    }
    let mut item = stored.clone();
    item.set("DeletedAt", n(timestamp));
    item.set("Operation", s("DELETE"));
    item.set("SupplierSystem", s(supplier_system));
    Some(item)
}

/// The stored record an update is checked against when only its body is known (the
/// conformance corpus's convention): `Resource` = the body with `id` set, written by
/// `simplejson.dumps`; `IdentifierPK` from the body's `identifier[0]` (absent when that
/// cannot be read); Version = `version`.
pub fn seeded_record(
    id: &str,
    body_with_id: &Node,
    version: u64,
    supplier_system: &str,
) -> EventItem {
    let mut attrs = vec![
        ("PK".into(), s(keys::immunization_pk(id))),
        ("PatientPK".into(), s("Patient#seed")),
        ("PatientSK".into(), s(format!("seed#{id}"))),
    ];
    let identifier_pk = body_with_id
        .get("identifier")
        .and_then(Node::as_array)
        .and_then(|items| items.first())
        .filter(|first| first.is_object())
        .map(|first| {
            format!(
                "{}#{}",
                keys::py_str(first.get("system")),
                keys::py_str(first.get("value"))
            )
        });
    if let Some(pk) = identifier_pk {
        attrs.push(("IdentifierPK".into(), s(pk)));
    }
    attrs.push(("Resource".into(), s(pyjson::dumps(body_with_id, true))));
    attrs.push(("Operation".into(), s("CREATE")));
    attrs.push(("Version".into(), n(version)));
    attrs.push(("SupplierSystem".into(), s(supplier_system)));
    EventItem { attrs }
}

/// The `id` of the stored resource (`resource["id"]`), which a create reinstating a
/// logically deleted record keeps.
pub fn stored_resource_id(stored: &EventItem) -> Option<String> {
    let tree = crate::json::loads(stored.get_s("Resource")?).ok()?;
    tree.get("id").and_then(Node::as_str).map(str::to_string)
}

/// The stored identifier (`system`, `value`) from `IdentifierPK` split at its first `#`
/// (upstream `get_fhir_identifier_from_identifier_pk`); `None` when it has no `#`.
pub fn stored_identifier(stored: &EventItem) -> Option<(String, String)> {
    let pk = stored.get_s("IdentifierPK")?;
    let (system, value) = pk.split_once('#')?;
    Some((system.to_string(), value.to_string()))
}

#[cfg(test)]
#[path = "lifecycle_tests.rs"]
mod lifecycle_tests;
