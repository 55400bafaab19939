//! The event-table item as upstream `ImmunizationRepository` leaves it after a create
//! (`put_item`), an update or reinstatement (`update_item` SET …) and a logical delete.

use super::keys::{self, Uncaught};
use super::limits;
use super::pyjson;
use super::resource::StoredResource;
use crate::api::ItemResource;
use crate::json::Node;
use std::borrow::Cow;
use std::ops::Range;

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
/// (an update sets existing attributes in place and appends new ones). The names the
/// repository writes are kept as they are in the program, not copied per item.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventItem {
    pub attrs: Vec<(Cow<'static, str>, Attr)>,
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
            self.attrs.push((Cow::Owned(name.to_string()), value));
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
        self.to_json_pair().0
    }

    /// [`EventItem::to_json`] as a raw JSON value (for `Outcome::item`).
    pub fn to_raw_json(&self) -> Option<Box<serde_json::value::RawValue>> {
        serde_json::value::RawValue::from_string(self.to_json()).ok()
    }

    /// The item in DynamoDB's attribute-value form (`{"PK": {"S": "…"}, "Version": {"N": "1"}}`).
    pub fn to_dynamodb_json(&self) -> String {
        self.to_json_pair().1
    }

    /// [`EventItem::to_json`] and [`EventItem::to_dynamodb_json`] written together,
    /// each name and value escaped once.
    pub fn to_json_pair(&self) -> (String, String) {
        let (json, dynamodb, _) = self.write_texts();
        (json, dynamodb)
    }

    /// [`EventItem::to_json_pair`], with the stored Resource's text (moved out of the
    /// item, which is used up) and where its escaped text sits in both texts.
    pub fn into_json_texts(mut self) -> ItemTexts {
        let (json, dynamodb, places) = self.write_texts();
        let resource =
            places.and_then(
                |(index, in_json, in_dynamodb)| match self.attrs.get_mut(index) {
                    Some((_, Attr::S(text))) => Some(ItemResource {
                        text: std::mem::take(text),
                        in_json,
                        in_dynamodb,
                    }),
                    _ => None,
                },
            );
        ItemTexts {
            json,
            dynamodb,
            resource,
        }
    }

    /// The item's JSON and DynamoDB JSON, and, when it has a `Resource`, that
    /// attribute's index and the byte ranges of its escaped text (the contents of its
    /// JSON string) in each.
    fn write_texts(&self) -> (String, String, Option<ResourcePlaces>) {
        let size: usize = self
            .attrs
            .iter()
            .map(|(k, v)| {
                let (Attr::S(text) | Attr::N(text)) = v;
                k.len() + text.len() + 16
            })
            .sum();
        // Room for escapes: a stored Resource has one quote in every few characters.
        let capacity = size + size / 4 + 2;
        let mut json = String::with_capacity(capacity);
        let mut dynamodb = String::with_capacity(capacity + 8 * self.attrs.len());
        let mut resource = None;
        json.push('{');
        dynamodb.push('{');
        for (i, (k, v)) in self.attrs.iter().enumerate() {
            if i > 0 {
                json.push_str(", ");
                dynamodb.push_str(", ");
            }
            // Each name and string value is escaped once, into `json`, and copied.
            let start = json.len();
            pyjson::write_str(&mut json, k, false);
            json.push_str(": ");
            dynamodb.push_str(json.get(start..).unwrap_or(""));
            match v {
                Attr::S(text) => {
                    dynamodb.push_str("{\"S\": ");
                    let start = json.len();
                    pyjson::write_str(&mut json, text, false);
                    let written = dynamodb.len();
                    dynamodb.push_str(json.get(start..).unwrap_or(""));
                    if k == "Resource" {
                        // Inside the quotes `write_str` puts around the text.
                        resource = Some((
                            i,
                            start + 1..json.len() - 1,
                            written + 1..dynamodb.len() - 1,
                        ));
                    }
                }
                Attr::N(text) => {
                    dynamodb.push_str("{\"N\": ");
                    json.push_str(text);
                    pyjson::write_str(&mut dynamodb, text, false);
                }
            }
            dynamodb.push('}');
        }
        json.push('}');
        dynamodb.push('}');
        (json, dynamodb, resource)
    }
}

/// A `Resource` attribute's index and the byte ranges of its escaped text in the
/// item's JSON and DynamoDB JSON.
type ResourcePlaces = (usize, Range<usize>, Range<usize>);

/// An event item's JSON and DynamoDB JSON ([`EventItem::into_json_texts`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemTexts {
    pub json: String,
    pub dynamodb: String,
    /// The stored Resource's text and where it sits in both texts; `None` without a
    /// `Resource` attribute.
    pub resource: Option<ItemResource>,
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
    let facts = &resource.facts;
    facts.contained_patient.clone()?;
    let nhs = facts.nhs_number.as_ref().map_err(Uncaught::clone)?;
    let identifier_pk = facts.identifier_pk.clone()?;
    Ok(RecordKeys {
        patient_pk: keys::patient_pk(nhs),
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
    create_item_of(k, resource.text.clone(), id, supplier_system)
}

/// [`create_item`], the item taking `resource`'s text rather than a copy of it (what
/// stays of `resource` is its tape and keys, as the item's delta reads them).
pub fn create_item_taking(
    resource: &mut StoredResource,
    id: &str,
    vaccine_type: &str,
    supplier_system: &str,
) -> Result<EventItem, Uncaught> {
    let k = record_keys(resource, id, vaccine_type)?;
    create_item_of(k, resource.take_text(), id, supplier_system)
}

/// The created item of these keys and Resource `text`.
fn create_item_of(
    k: RecordKeys,
    text: String,
    id: &str,
    supplier_system: &str,
) -> Result<EventItem, Uncaught> {
    let item = EventItem {
        attrs: vec![
            ("PK".into(), s(keys::immunization_pk(id))),
            ("PatientPK".into(), s(k.patient_pk)),
            ("PatientSK".into(), s(k.patient_sk)),
            ("Resource".into(), s(text)),
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

#[cfg(test)]
mod json_tests {
    use super::*;
    use crate::json::{lone_surrogate_char, Value};

    /// The item as a tree, written by the general encoder.
    fn reference(item: &EventItem) -> (String, String) {
        let plain = |v: &Attr| match v {
            Attr::S(s) => Node::synthetic(Value::Str(s.into())),
            Attr::N(n) => Node::synthetic(Value::Int(n.into())),
        };
        let tagged = |v: &Attr| {
            let (tag, text) = match v {
                Attr::S(s) => ("S", s),
                Attr::N(n) => ("N", n),
            };
            Node::synthetic(Value::Object(vec![(
                tag.into(),
                Node::synthetic(Value::Str(text.into())),
            )]))
        };
        let tree = |f: &dyn Fn(&Attr) -> Node| {
            Node::synthetic(Value::Object(
                item.attrs
                    .iter()
                    .map(|(k, v)| ((**k).into(), f(v)))
                    .collect(),
            ))
        };
        (
            pyjson::dumps(&tree(&plain), false),
            pyjson::dumps(&tree(&tagged), false),
        )
    }

    /// The values of a tree, without where they were written.
    fn values(node: &Node) -> Value {
        match &node.value {
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| Node::synthetic(values(item)))
                    .collect(),
            ),
            Value::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), Node::synthetic(values(v))))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// An update checks the seeded record's Resource by reading the body itself:
    /// the Resource read back holds exactly the body's values.
    #[test]
    fn seeded_resource_reads_back_as_the_body() {
        let bodies = [
            r#"{"id": "1", "resourceType": "Immunization"}"#,
            r#"{"id": "1", "a": [1, -0, 0.50, 1E+2, 1e-7, 12345678901234567890123, NaN, -Infinity, Infinity]}"#,
            r#"{"id": "1", "s": ["", "\ud800", "\udfff\ud800", "\ud83d\ude00", "é😀\u0000\u007f", "\"\\/\b\f\n\r\t"]}"#,
            r#"{"id": "1", "dup": 1, "dup": {"dup": [], "x": {}}, "": null, "t": true, "f": false}"#,
            r#"{"id": "1", "deep": [[[[{"a": [{"b": [[]]}]}]]]], "n": -1.0E-0, "m": 10.000}"#,
        ];
        for text in bodies {
            let body = crate::json::loads(text).expect("body");
            let record = seeded_record("1", &body, 1, "TPP");
            let back =
                crate::json::loads(record.get_s("Resource").expect("Resource")).expect("read back");
            assert_eq!(values(&back), values(&body), "{text}");
        }
    }

    #[test]
    fn both_renderings_match_the_general_encoder() {
        let odd: String = [
            '"',
            '\\',
            '\u{1}',
            'é',
            '\u{7f}',
            '😀',
            lone_surrogate_char(0xDC00),
        ]
        .iter()
        .collect();
        let items = [
            EventItem::default(),
            EventItem {
                attrs: vec![
                    ("PK".into(), s("Immunization#1")),
                    ("Resource".into(), s(r#"{"a": "b\"c", "d": [1, 2.5]}"#)),
                    ("Version".into(), n(12)),
                    ("Odd\"Name".into(), s(odd.clone())),
                    ("".into(), s("")),
                    ("DeletedAt".into(), n(-5)),
                ],
            },
        ];
        for item in &items {
            let pair = item.to_json_pair();
            assert_eq!(pair, reference(item));
            assert_eq!(item.to_json(), pair.0);
            assert_eq!(item.to_dynamodb_json(), pair.1);
            resource_range_holds(item);
        }
    }

    /// `into_json_texts` reports the Resource's text and where its escaped text sits in
    /// both texts: the same bytes in each, unescaping to the Resource.
    fn resource_range_holds(item: &EventItem) {
        let texts = item.clone().into_json_texts();
        let resource = item.attrs.iter().find(|(k, _)| k == "Resource");
        let (Some(places), Some((_, Attr::S(text)))) = (&texts.resource, resource) else {
            assert_eq!(texts.resource, None, "no Resource, no places");
            return;
        };
        assert_eq!(&places.text, text);
        let escaped = &texts.dynamodb[places.in_dynamodb.clone()];
        assert_eq!(&texts.json[places.in_json.clone()], escaped);
        assert!(texts.dynamodb[..places.in_dynamodb.start].ends_with("\"Resource\": {\"S\": \""));
        assert!(texts.dynamodb[places.in_dynamodb.end..].starts_with("\"}"));
        assert!(texts.json[..places.in_json.start].ends_with("\"Resource\": \""));
        assert!(texts.json[places.in_json.end..].starts_with('"'));
        let unescaped: String = serde_json::from_str(&format!("\"{escaped}\"")).unwrap();
        assert_eq!(&unescaped, text);
    }

    #[test]
    fn the_resource_range_of_an_accepted_create() {
        let request = crate::api::Request {
            operation: crate::api::Operation::Create,
            body: include_str!("../../www/samples/completed_covid_immunization_event.json").into(),
            supplier_system: Some("TPP".into()),
            ..Default::default()
        };
        let outcome = crate::controller::check_at(&request, 1_700_000_000).unwrap();
        assert_eq!(outcome.status, 201);
        let (item, dynamodb) = (outcome.item.unwrap(), outcome.item_dynamodb.unwrap());
        let places = outcome.item_resource.unwrap();
        assert!(places.text.len() > 1000, "the whole stored Resource");
        let escaped = &dynamodb.get()[places.in_dynamodb];
        assert_eq!(&item.get()[places.in_json], escaped);
        assert!(places
            .text
            .starts_with("{\"resourceType\": \"Immunization\""));
    }
}
