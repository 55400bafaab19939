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

/// The [`doc::Key`] of a literal key text, computed at compile time.
macro_rules! key {
    ($text:literal) => {{
        const KEY: $crate::delta::doc::Key<'static> = $crate::delta::doc::Key::new($text);
        KEY
    }};
}

pub(crate) mod doc;
mod extractor;
mod float_repr;
mod py;

use std::fmt::Write as _;
use std::ops::Range;

use crate::json::{loads, Node, Value};
use crate::store::pydatetime::{from_unix_seconds, Numeric};
use crate::store::pyjson::{write_str, write_str_body};
use crate::store::{EventItem, StoredResource};
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
    /// [`DeltaItem::deterministic_json`], written once.
    json: String,
    /// Where `Imms` is in `json`.
    imms: Range<usize>,
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
        Some(sk) if !sk.is_empty() => {
            let prefix = sk.split('#').next().unwrap_or("");
            if prefix.is_ascii() {
                // Lower-casing ASCII keeps whitespace where it is.
                prefix
                    .trim_matches(crate::store::pynum::is_py_whitespace)
                    .to_ascii_lowercase()
            } else {
                prefix
                    .to_lowercase()
                    .trim_matches(crate::store::pynum::is_py_whitespace)
                    .to_string()
            }
        }
        _ => "unknown".into(),
    }
}

/// The delta item the handler writes for `item`; `None` when the handler skips the
/// record (SupplierSystem `DPSFULL` / `DPSREDUCED`) or the item has no Resource or
/// Operation to convert (or a Resource `json.loads` would refuse).
pub fn delta_item(item: &EventItem) -> Option<DeltaItem> {
    delta_item_of(item, None)
}

/// [`delta_item`] for an item whose Resource is `stored`'s text (when given): its
/// tape, recorded while the text was written, spares reading the text again.
#[inline(never)]
pub fn delta_item_of(item: &EventItem, stored: Option<&StoredResource>) -> Option<DeltaItem> {
    let supplier = item.get_s("SupplierSystem");
    if matches!(supplier, Some("DPSFULL") | Some("DPSREDUCED")) {
        return None;
    }
    let operation = item.get_s("Operation").filter(|o| !o.is_empty())?;
    let text = item.get_s("Resource")?;
    let read;
    let tape = match stored.and_then(|stored| stored.tape_of(text)) {
        Some(tape) => tape,
        None => {
            read = doc::read_tape(text)?;
            &read
        }
    };
    let resource = Doc::from_tape(text, tape);
    let imms_id = imms_id(item.get_s("PK"));
    let vaccine_type = vaccine_type(item.get_s("PatientSK"));
    let mut json = String::with_capacity(1280 + resource.text.len() / 2);
    json.push_str("{\"ImmsID\": ");
    write_str(&mut json, &imms_id, false);
    json.push_str(", \"Operation\": ");
    write_str(&mut json, operation, false);
    json.push_str(", \"VaccineType\": ");
    write_str(&mut json, &vaccine_type, false);
    json.push_str(", \"SupplierSystem\": ");
    match supplier {
        Some(s) => write_str(&mut json, s, false),
        None => json.push_str("null"),
    }
    json.push_str(", \"Imms\": ");
    let start = json.len();
    convert(&resource, action_flag(operation), &mut json);
    let imms = start..json.len();
    json.push('}');
    Some(DeltaItem {
        imms_id,
        operation: operation.to_string(),
        vaccine_type,
        supplier_system: supplier.map(str::to_string),
        json,
        imms,
    })
}

/// How the converter fills a layout field (`None`: ACTION_FLAG, which it sets itself).
type Rule = for<'d> fn(&mut Extractor<'d>) -> FieldRes<'d>;

/// A layout field: its name, its name as the record's JSON writes it before the
/// value, and its rule (the [`Extractor`] method of that name).
macro_rules! field {
    ($name:literal, $method:ident) => {
        (
            $name,
            concat!("\"", $name, "\": "),
            Some((|e: &mut Extractor<'_>| e.$method()) as Rule),
        )
    };
    ($name:literal) => {
        ($name, concat!("\"", $name, "\": "), None)
    };
}

/// The conversion layout: flat field names in order, with their extraction rules.
#[rustfmt::skip]
const LAYOUT: [(&str, &str, Option<Rule>); 34] = [
    field!("NHS_NUMBER", nhs_number),
    field!("PERSON_FORENAME", person_forename),
    field!("PERSON_SURNAME", person_surname),
    field!("PERSON_DOB", person_dob),
    field!("PERSON_GENDER_CODE", person_gender),
    field!("PERSON_POSTCODE", valid_address),
    field!("DATE_AND_TIME", date_time),
    field!("SITE_CODE", site_code),
    field!("SITE_CODE_TYPE_URI", site_code_type_uri),
    field!("UNIQUE_ID", unique_id),
    field!("UNIQUE_ID_URI", unique_id_uri),
    field!("ACTION_FLAG"),
    field!("PERFORMING_PROFESSIONAL_FORENAME", practitioner_forename),
    field!("PERFORMING_PROFESSIONAL_SURNAME", practitioner_surname),
    field!("RECORDED_DATE", recorded_date),
    field!("PRIMARY_SOURCE", primary_source),
    field!("VACCINATION_PROCEDURE_CODE", vaccination_procedure_code),
    field!("VACCINATION_PROCEDURE_TERM", vaccination_procedure_term),
    field!("DOSE_SEQUENCE", dose_sequence),
    field!("VACCINE_PRODUCT_CODE", vaccine_product_code),
    field!("VACCINE_PRODUCT_TERM", vaccine_product_term),
    field!("VACCINE_MANUFACTURER", vaccine_manufacturer),
    field!("BATCH_NUMBER", batch_number),
    field!("EXPIRY_DATE", expiry_date),
    field!("SITE_OF_VACCINATION_CODE", site_of_vaccination_code),
    field!("SITE_OF_VACCINATION_TERM", site_of_vaccination_term),
    field!("ROUTE_OF_VACCINATION_CODE", route_of_vaccination_code),
    field!("ROUTE_OF_VACCINATION_TERM", route_of_vaccination_term),
    field!("DOSE_AMOUNT", dose_amount),
    field!("DOSE_UNIT_CODE", dose_unit_code),
    field!("DOSE_UNIT_TERM", dose_unit_term),
    field!("INDICATION_CODE", indication_code),
    field!("LOCATION_CODE", location_code),
    field!("LOCATION_CODE_TYPE_URI", location_code_type_uri),
];

/// `PARSING_ERROR`, the code of the converter's records for fields that raised.
const PARSING_ERROR: u8 = 10;
/// `RECORD_CHECK_FAILED`, the code of the extractor's own records.
const RECORD_CHECK_FAILED: u8 = 5;

/// Upstream `Converter.run_conversion`, written straight out onto `out` as the
/// `Imms` JSON object: the fields in layout order, then `CONVERSION_ERRORS` (the
/// converter's records for fields that raised, then the extractor's own).
fn convert(resource: &Doc, flag: &str, out: &mut String) {
    let mut extractor = Extractor::new(V::root(resource));
    let mut failed: Vec<(&'static str, PyErr)> = Vec::new();
    out.push('{');
    for (field, prefix, rule) in LAYOUT {
        let Some(rule) = rule else {
            out.push_str(prefix);
            write_str(out, flag, false);
            out.push_str(", ");
            continue;
        };
        let value = rule(&mut extractor).unwrap_or_else(|e| {
            failed.push((field, e));
            Out::Fixed("")
        });
        match value {
            Out::Absent => continue,
            Out::Value(v) => {
                out.push_str(prefix);
                write_value(out, v, true);
            }
            Out::Text(text) => {
                out.push_str(prefix);
                write_text(out, &text);
            }
            Out::Raw(text) => {
                out.push_str(prefix);
                write_text(out, text);
            }
            Out::Fixed(text) => {
                out.push_str(prefix);
                write_text(out, text);
            }
            // Digits (and `T`): the JSON string is the text in quotes.
            Out::Date(dt) => {
                out.push_str(prefix);
                out.push('"');
                extractor::write_compact_date(out, &dt);
                out.push('"');
            }
            Out::Stamp(dt) => {
                out.push_str(prefix);
                out.push('"');
                extractor::write_stamp(out, &dt);
                out.push('"');
            }
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
        record(out, PARSING_ERROR, field);
        out.push_str("null, \"message\": ");
        let message = format!("Conversion error [{}]: {}", e.kind, e.message);
        write_str(out, &message, false);
        out.push('}');
    }
    for logged in &extractor.errors {
        record(out, RECORD_CHECK_FAILED, logged.field);
        write_value(out, logged.value, false);
        out.push_str(", \"message\": ");
        write_str(out, &logged.message, false);
        out.push('}');
    }
    out.push_str("]}");
}

/// `s` as a JSON string: short printable-ASCII text without quotes or backslashes
/// (dates, codes, the converter's defaults) is copied as it is, anything else
/// goes through [`write_str`].
fn write_text(out: &mut String, s: &str) {
    if s.len() <= 64
        && s.bytes()
            .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
    {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        write_str(out, s, false);
    }
}

/// Writes `v` as `json.dumps` does (`", "` / `": "` separators, non-ASCII kept).
/// With `as_float`, a `Decimal` is written as the float the recorded item holds
/// (`0.50` → `0.5`, `1E+2` → `100.0`); one overflowing to infinity stays as written.
#[inline]
fn write_value(out: &mut String, v: V, as_float: bool) {
    if let Some(index) = v.tape_index() {
        let doc = v.doc();
        if matches!(doc.slot(index).kind, Kind::Int | Kind::PlainStr) {
            // Printable ASCII without escapes reads the same in both texts.
            out.push_str(doc.raw(index));
            return;
        }
    }
    write_other_value(out, v, as_float);
}

/// [`write_value`] of anything but an `int` or a plain string of the Resource.
#[inline(never)]
fn write_other_value(out: &mut String, v: V, as_float: bool) {
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
            if !as_float || !float_repr::write_short_decimal(out, text) {
                match as_float
                    .then(|| float_repr::python_float_repr(text))
                    .flatten()
                {
                    Some(repr) => out.push_str(&repr),
                    None => out.push_str(text),
                }
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
        self.json.clone()
    }

    /// [`DeltaItem::deterministic_json`], without copying it.
    pub fn into_deterministic_json(self) -> String {
        self.json
    }

    /// `Imms`: the flat record in layout order with `CONVERSION_ERRORS`, as the
    /// delta JSON writes it.
    pub fn imms_json(&self) -> &str {
        self.json.get(self.imms.clone()).unwrap_or("")
    }

    /// [`DeltaItem::deterministic_json`] as a raw JSON value (for `Outcome::delta`).
    pub fn to_raw_json(&self) -> Option<Box<serde_json::value::RawValue>> {
        serde_json::value::RawValue::from_string(self.deterministic_json()).ok()
    }

    /// The flat record with `CONVERSION_ERRORS`, read back from its JSON.
    pub fn imms_node(&self) -> Node {
        loads(self.imms_json()).unwrap_or_else(|_| Node::synthetic(Value::Object(Vec::new())))
    }

    /// ILLUSTRATIVE: the attributes the handler adds from the stream record, computed as if
    /// the stream delivered the item at `timestamp` (epoch seconds) with event id and
    /// sequence number unknown, `Source` "IEDS" and a TTL of `ttl_days`:
    /// `{"PK": "<stream event id>", "DateTimeStamp": "2024-…+00:00", "SequenceNumber": "<…>",
    /// "Source": "IEDS", "ExpiresAt": <timestamp + ttl_days days>, "illustrative": true}`.
    #[inline(never)]
    pub fn illustrative_json(&self, timestamp: i64, ttl_days: i64) -> String {
        let expires = timestamp.saturating_add(ttl_days.saturating_mul(86400));
        let mut out = String::with_capacity(192);
        out.push_str("{\"PK\": \"<stream event id>\", \"DateTimeStamp\": \"");
        write_utc_stamp(&mut out, timestamp);
        out.push_str(
            "\", \"SequenceNumber\": \"<stream sequence number>\", \"Source\": \"IEDS\", ",
        );
        out.push_str("\"ExpiresAt\": ");
        write_int(&mut out, expires);
        out.push_str(", \"illustrative\": true}");
        out
    }
}

/// `str(n)`.
fn write_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n.unsigned_abs();
    loop {
        at -= 1;
        if let Some(d) = digits.get_mut(at) {
            *d = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        if rest == 0 || at == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(digits.get(at..).unwrap_or_default()).unwrap_or_default());
}

/// Seconds of the timestamps [`write_utc_stamp`] writes itself (years 1336 to 2603).
const PLAIN_TIMESTAMP: u64 = 20_000_000_000;

/// `str(datetime.fromtimestamp(timestamp, timezone.utc))` with `T` for the space
/// (`""` where Python raises), without the quotes.
fn write_utc_stamp(out: &mut String, timestamp: i64) {
    if timestamp.unsigned_abs() > PLAIN_TIMESTAMP {
        let stamp = from_unix_seconds(&Numeric::Int(timestamp.to_string()))
            .map(|d| d.datetime_isoformat())
            .unwrap_or_default();
        write_str_body(out, &stamp, false);
        return;
    }
    let (year, month, day) = crate::calendar::civil_from_days(timestamp.div_euclid(86400));
    let seconds = timestamp.rem_euclid(86400);
    let two = |out: &mut String, n: i64| {
        out.push(char::from(b'0' + (n / 10 % 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    };
    two(out, year / 100);
    two(out, year % 100);
    out.push('-');
    two(out, month);
    out.push('-');
    two(out, day);
    out.push('T');
    two(out, seconds / 3600);
    out.push(':');
    two(out, seconds / 60 % 60);
    out.push(':');
    two(out, seconds % 60);
    out.push_str("+00:00");
}

#[cfg(test)]
mod tests;
