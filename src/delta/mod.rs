//! The delta-table item the stream handler writes (upstream `lambdas/delta_backend`:
//! `delta.process_create_update_delete`, `Converter`, `Extractor`, `ConversionLayout`)
//! for an event-table item as the service wrote it.
//!
//! # Use
//! ```text
//! let item: store::EventItem = store::create_item(...)?;
//! if let Some(d) = delta::delta_item(&item) {      // None: supplier DPSFULL/DPSREDUCED (skipped)
//!     d.deterministic_json();  // {"ImmsID", "Operation", "VaccineType", "SupplierSystem", "Imms"}
//!     d.illustrative_json(timestamp, 30); // {"PK", "DateTimeStamp", "SequenceNumber", "Source", "ExpiresAt"}
//! }
//! ```
//! `Imms` is the flat record: the 34 fields in layout order (`ACTION_FLAG` NEW for a
//! CREATE item, otherwise the item's Operation: UPDATE / DELETE) and `CONVERSION_ERRORS`.
//! A field whose extraction raises is written as `""` with a code-10 error record
//! (`Conversion error [AttributeError]: 'NoneType' object has no attribute 'get'`);
//! dates the extractor cannot parse are written as `""` with a code-5 record of its own,
//! listed after the converter's. A field whose value is `None` (performer identifier
//! without `value`/`system`) is left out. A number field is written as the recorded item
//! holds it: an `int` as stored, a `Decimal` (`DOSE_AMOUNT`) as `float(Decimal)`.
//!
//! The Resource is read back without building a tree ([`doc::Doc`]), and the record
//! is written straight out as JSON text while the rules run.
//!
//! The stream record's own attributes (`PK` = stream event id, `DateTimeStamp`,
//! `SequenceNumber`, `Source`, `ExpiresAt`) depend on the stream and the deployment;
//! [`DeltaItem::illustrative_json`] shows them computed from the request time, marked as such.

mod doc;
mod extractor;
mod float_repr;
mod py;

use std::fmt::Write as _;

use crate::json::{loads, Node, Value};
use crate::store::pydatetime::{from_unix_seconds, Numeric};
use crate::store::pyjson::write_str;
use crate::store::EventItem;
use doc::{Doc, Kind};
use extractor::{Extractor, FieldRes, Out};
use py::{PyErr, V};

/// The delta-table item for one event-table item.
#[derive(Debug, Clone, PartialEq)]
pub struct DeltaItem {
    pub imms_id: String,
    pub operation: String,
    pub vaccine_type: String,
    pub supplier_system: Option<String>,
    /// `Imms`: the flat record in layout order with `CONVERSION_ERRORS`, as the
    /// delta JSON writes it.
    pub imms_json: String,
}

/// The ACTION_FLAG for an item's Operation.
fn action_flag(operation: &str) -> &str {
    if operation == "CREATE" {
        "NEW"
    } else {
        operation
    }
}

/// Upstream `get_imms_id`: the part of `PK` after the first `#`.
fn imms_id(pk: Option<&str>) -> String {
    match pk {
        Some(pk) if pk.contains('#') => pk.split('#').nth(1).unwrap_or("").to_string(),
        _ => "unknown".into(),
    }
}

/// Upstream `get_vaccine_type`: the `PatientSK` prefix, lower-cased and stripped.
fn vaccine_type(patient_sk: Option<&str>) -> String {
    match patient_sk {
        Some(sk) if !sk.is_empty() => sk
            .split('#')
            .next()
            .unwrap_or("")
            .to_lowercase()
            .trim_matches(crate::store::pynum::is_py_whitespace)
            .to_string(),
        _ => "unknown".into(),
    }
}

/// The delta item the handler writes for `item`; `None` when the handler skips the
/// record (SupplierSystem `DPSFULL` / `DPSREDUCED`) or the item has no Resource or
/// Operation to convert (or a Resource `json.loads` would refuse).
pub fn delta_item(item: &EventItem) -> Option<DeltaItem> {
    let supplier = item.get_s("SupplierSystem");
    if matches!(supplier, Some("DPSFULL") | Some("DPSREDUCED")) {
        return None;
    }
    let operation = item.get_s("Operation").filter(|o| !o.is_empty())?;
    let resource = Doc::parse(item.get_s("Resource")?)?;
    Some(DeltaItem {
        imms_id: imms_id(item.get_s("PK")),
        operation: operation.to_string(),
        vaccine_type: vaccine_type(item.get_s("PatientSK")),
        supplier_system: supplier.map(str::to_string),
        imms_json: convert(&resource, action_flag(operation)),
    })
}

/// How the converter fills a layout field (`None`: ACTION_FLAG, which it sets itself).
type Rule = for<'d> fn(&mut Extractor<'d>) -> FieldRes<'d>;

/// A layout field's rule: the [`Extractor`] method of that name.
macro_rules! rule {
    ($method:ident) => {
        Some((|e: &mut Extractor<'_>| e.$method()) as Rule)
    };
}

/// The conversion layout: flat field names in order, with their extraction rules.
const LAYOUT: [(&str, Option<Rule>); 34] = [
    ("NHS_NUMBER", rule!(nhs_number)),
    ("PERSON_FORENAME", rule!(person_forename)),
    ("PERSON_SURNAME", rule!(person_surname)),
    ("PERSON_DOB", rule!(person_dob)),
    ("PERSON_GENDER_CODE", rule!(person_gender)),
    ("PERSON_POSTCODE", rule!(valid_address)),
    ("DATE_AND_TIME", rule!(date_time)),
    ("SITE_CODE", rule!(site_code)),
    ("SITE_CODE_TYPE_URI", rule!(site_code_type_uri)),
    ("UNIQUE_ID", rule!(unique_id)),
    ("UNIQUE_ID_URI", rule!(unique_id_uri)),
    ("ACTION_FLAG", None),
    (
        "PERFORMING_PROFESSIONAL_FORENAME",
        rule!(practitioner_forename),
    ),
    (
        "PERFORMING_PROFESSIONAL_SURNAME",
        rule!(practitioner_surname),
    ),
    ("RECORDED_DATE", rule!(recorded_date)),
    ("PRIMARY_SOURCE", rule!(primary_source)),
    (
        "VACCINATION_PROCEDURE_CODE",
        rule!(vaccination_procedure_code),
    ),
    (
        "VACCINATION_PROCEDURE_TERM",
        rule!(vaccination_procedure_term),
    ),
    ("DOSE_SEQUENCE", rule!(dose_sequence)),
    ("VACCINE_PRODUCT_CODE", rule!(vaccine_product_code)),
    ("VACCINE_PRODUCT_TERM", rule!(vaccine_product_term)),
    ("VACCINE_MANUFACTURER", rule!(vaccine_manufacturer)),
    ("BATCH_NUMBER", rule!(batch_number)),
    ("EXPIRY_DATE", rule!(expiry_date)),
    ("SITE_OF_VACCINATION_CODE", rule!(site_of_vaccination_code)),
    ("SITE_OF_VACCINATION_TERM", rule!(site_of_vaccination_term)),
    (
        "ROUTE_OF_VACCINATION_CODE",
        rule!(route_of_vaccination_code),
    ),
    (
        "ROUTE_OF_VACCINATION_TERM",
        rule!(route_of_vaccination_term),
    ),
    ("DOSE_AMOUNT", rule!(dose_amount)),
    ("DOSE_UNIT_CODE", rule!(dose_unit_code)),
    ("DOSE_UNIT_TERM", rule!(dose_unit_term)),
    ("INDICATION_CODE", rule!(indication_code)),
    ("LOCATION_CODE", rule!(location_code)),
    ("LOCATION_CODE_TYPE_URI", rule!(location_code_type_uri)),
];

/// `PARSING_ERROR`, the code of the converter's records for fields that raised.
const PARSING_ERROR: u8 = 10;
/// `RECORD_CHECK_FAILED`, the code of the extractor's own records.
const RECORD_CHECK_FAILED: u8 = 5;

/// Upstream `Converter.run_conversion`, written straight out as the `Imms` JSON
/// object: the fields in layout order, then `CONVERSION_ERRORS` (the converter's
/// records for fields that raised, then the extractor's own).
fn convert(resource: &Doc, flag: &str) -> String {
    let mut extractor = Extractor::new(V::root(resource));
    let mut out = String::with_capacity(1024 + resource.text.len() / 2);
    let mut failed: Vec<(&'static str, PyErr)> = Vec::new();
    out.push('{');
    for (field, rule) in LAYOUT {
        let value = match rule {
            Some(rule) => rule(&mut extractor).unwrap_or_else(|e| {
                failed.push((field, e));
                Out::Fixed("")
            }),
            None => Out::Fixed(""),
        };
        if matches!(value, Out::Absent) {
            continue;
        }
        out.push('"');
        out.push_str(field);
        out.push_str("\": ");
        match value {
            Out::Absent => {}
            _ if rule.is_none() => write_str(&mut out, flag, false),
            Out::Value(v) => write_value(&mut out, v, true),
            Out::Text(text) => write_str(&mut out, &text, false),
            Out::Fixed(text) => write_str(&mut out, text, false),
        }
        out.push_str(", ");
    }
    out.push_str("\"CONVERSION_ERRORS\": [");
    let mut records = 0;
    let mut record = |out: &mut String, code: u8, field: &str| {
        if records > 0 {
            out.push_str(", ");
        }
        records += 1;
        let _ = write!(out, "{{\"code\": {code}, \"field\": ");
        write_str(out, field, false);
        out.push_str(", \"value\": ");
    };
    for (field, e) in &failed {
        record(&mut out, PARSING_ERROR, field);
        out.push_str("null, \"message\": ");
        let message = format!("Conversion error [{}]: {}", e.kind, e.message);
        write_str(&mut out, &message, false);
        out.push('}');
    }
    for logged in &extractor.errors {
        record(&mut out, RECORD_CHECK_FAILED, logged.field);
        write_value(&mut out, logged.value, false);
        out.push_str(", \"message\": ");
        write_str(&mut out, &logged.message, false);
        out.push('}');
    }
    out.push_str("]}");
    out
}

/// Writes `v` as `json.dumps` does (`", "` / `": "` separators, non-ASCII kept).
/// With `as_float`, a `Decimal` is written as the float the recorded item holds
/// (`0.50` → `0.5`, `1E+2` → `100.0`); one overflowing to infinity stays as written.
fn write_value(out: &mut String, v: V, as_float: bool) {
    let Some(index) = v.tape_index() else {
        match (v.as_char(), v.as_default_str()) {
            (Some(c), _) => write_str(out, c.encode_utf8(&mut [0u8; 4]), false),
            (None, Some(text)) => write_str(out, text, false),
            (None, None) => out.push_str(&crate::store::pyjson::dumps(&v.to_node(), false)),
        }
        return;
    };
    let doc = v.doc();
    match doc.slot(index).kind {
        Kind::Null => out.push_str("null"),
        Kind::True => out.push_str("true"),
        Kind::False => out.push_str("false"),
        Kind::NaN => out.push_str("NaN"),
        Kind::Infinity => out.push_str("Infinity"),
        Kind::NegInfinity => out.push_str("-Infinity"),
        // Printable ASCII without escapes reads the same in both texts.
        Kind::Int | Kind::PlainStr => out.push_str(doc.raw(index)),
        Kind::Decimal => {
            let text = doc.raw(index);
            match as_float
                .then(|| float_repr::python_float_repr(text))
                .flatten()
            {
                Some(repr) => out.push_str(&repr),
                None => out.push_str(text),
            }
        }
        Kind::RawStr | Kind::EscapedStr => {
            write_str(out, &doc.str_value(index).unwrap_or_default(), false)
        }
        Kind::Array | Kind::Object => {
            out.push_str(&crate::store::pyjson::dumps(&doc.node(index), false))
        }
    }
}

impl DeltaItem {
    /// `{"ImmsID", "Operation", "VaccineType", "SupplierSystem", "Imms"}` as JSON.
    pub fn deterministic_json(&self) -> String {
        let mut out = String::with_capacity(
            self.imms_json.len()
                + self.imms_id.len()
                + self.operation.len()
                + self.vaccine_type.len()
                + self.supplier_system.as_ref().map_or(4, String::len)
                + 96,
        );
        out.push_str("{\"ImmsID\": ");
        write_str(&mut out, &self.imms_id, false);
        out.push_str(", \"Operation\": ");
        write_str(&mut out, &self.operation, false);
        out.push_str(", \"VaccineType\": ");
        write_str(&mut out, &self.vaccine_type, false);
        out.push_str(", \"SupplierSystem\": ");
        match &self.supplier_system {
            Some(s) => write_str(&mut out, s, false),
            None => out.push_str("null"),
        }
        out.push_str(", \"Imms\": ");
        out.push_str(&self.imms_json);
        out.push('}');
        out
    }

    /// [`DeltaItem::deterministic_json`] as a raw JSON value (for `Outcome::delta`).
    pub fn to_raw_json(&self) -> Option<Box<serde_json::value::RawValue>> {
        serde_json::value::RawValue::from_string(self.deterministic_json()).ok()
    }

    /// The flat record with `CONVERSION_ERRORS`, read back from its JSON.
    pub fn imms_node(&self) -> Node {
        loads(&self.imms_json).unwrap_or_else(|_| Node::synthetic(Value::Object(Vec::new())))
    }

    /// ILLUSTRATIVE: the attributes the handler adds from the stream record, computed as if
    /// the stream delivered the item at `timestamp` (epoch seconds) with event id and
    /// sequence number unknown, `Source` "IEDS" and a TTL of `ttl_days`:
    /// `{"PK": "<stream event id>", "DateTimeStamp": "2024-…+00:00", "SequenceNumber": "<…>",
    /// "Source": "IEDS", "ExpiresAt": <timestamp + ttl_days days>, "illustrative": true}`.
    pub fn illustrative_json(&self, timestamp: i64, ttl_days: i64) -> String {
        let stamp = from_unix_seconds(&Numeric::Int(timestamp.to_string()))
            .map(|d| d.datetime_isoformat())
            .unwrap_or_default();
        let expires = timestamp.saturating_add(ttl_days.saturating_mul(86400));
        let mut out = String::with_capacity(192);
        out.push_str("{\"PK\": \"<stream event id>\", \"DateTimeStamp\": ");
        write_str(&mut out, &stamp, false);
        out.push_str(", \"SequenceNumber\": \"<stream sequence number>\", \"Source\": \"IEDS\", ");
        let _ = write!(out, "\"ExpiresAt\": {expires}, \"illustrative\": true}}");
        out
    }
}

#[cfg(test)]
mod tests;
