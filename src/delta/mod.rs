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
//! without `value`/`system`) is left out. Numbers keep their stored text
//! (`DOSE_AMOUNT` is the stored `Decimal`).
//!
//! The stream record's own attributes (`PK` = stream event id, `DateTimeStamp`,
//! `SequenceNumber`, `Source`, `ExpiresAt`) depend on the stream and the deployment;
//! [`DeltaItem::illustrative_json`] shows them computed from the request time, marked as such.

mod extractor;
mod float_repr;
mod py;

use crate::json::{loads, Node, Value};
use crate::store::pydatetime::{from_unix_seconds, Numeric};
use crate::store::pyjson;
use crate::store::EventItem;
use extractor::{ErrorRecord, Extractor, FieldValue};
use py::PyRes;

pub use extractor::ErrorRecord as ConversionError;

/// `PARSING_ERROR`, the code of the converter's records for fields that raised.
const PARSING_ERROR: i64 = 10;

/// The delta-table item for one event-table item.
#[derive(Debug, Clone, PartialEq)]
pub struct DeltaItem {
    pub imms_id: String,
    pub operation: String,
    pub vaccine_type: String,
    pub supplier_system: Option<String>,
    /// The flat record, in layout order (without `CONVERSION_ERRORS`).
    pub imms: Vec<(String, Node)>,
    /// `CONVERSION_ERRORS`.
    pub errors: Vec<ErrorRecord>,
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
/// Operation to convert.
pub fn delta_item(item: &EventItem) -> Option<DeltaItem> {
    let supplier = item.get_s("SupplierSystem").map(str::to_string);
    if matches!(supplier.as_deref(), Some("DPSFULL") | Some("DPSREDUCED")) {
        return None;
    }
    let operation = item
        .get_s("Operation")
        .filter(|o| !o.is_empty())?
        .to_string();
    let resource_text = item.get_s("Resource")?;
    let resource = loads(resource_text).ok()?;
    let (imms, errors) = convert(&resource, action_flag(&operation));
    Some(DeltaItem {
        imms_id: imms_id(item.get_s("PK")),
        operation,
        vaccine_type: vaccine_type(item.get_s("PatientSK")),
        supplier_system: supplier,
        imms,
        errors,
    })
}

/// The conversion layout: flat field names in order.
pub const LAYOUT: &[&str] = &[
    "NHS_NUMBER",
    "PERSON_FORENAME",
    "PERSON_SURNAME",
    "PERSON_DOB",
    "PERSON_GENDER_CODE",
    "PERSON_POSTCODE",
    "DATE_AND_TIME",
    "SITE_CODE",
    "SITE_CODE_TYPE_URI",
    "UNIQUE_ID",
    "UNIQUE_ID_URI",
    "ACTION_FLAG",
    "PERFORMING_PROFESSIONAL_FORENAME",
    "PERFORMING_PROFESSIONAL_SURNAME",
    "RECORDED_DATE",
    "PRIMARY_SOURCE",
    "VACCINATION_PROCEDURE_CODE",
    "VACCINATION_PROCEDURE_TERM",
    "DOSE_SEQUENCE",
    "VACCINE_PRODUCT_CODE",
    "VACCINE_PRODUCT_TERM",
    "VACCINE_MANUFACTURER",
    "BATCH_NUMBER",
    "EXPIRY_DATE",
    "SITE_OF_VACCINATION_CODE",
    "SITE_OF_VACCINATION_TERM",
    "ROUTE_OF_VACCINATION_CODE",
    "ROUTE_OF_VACCINATION_TERM",
    "DOSE_AMOUNT",
    "DOSE_UNIT_CODE",
    "DOSE_UNIT_TERM",
    "INDICATION_CODE",
    "LOCATION_CODE",
    "LOCATION_CODE_TYPE_URI",
];

/// Runs the extraction rule of a layout field (`None`: ACTION_FLAG, set by the converter).
fn extract(ex: &mut Extractor, field: &str) -> Option<PyRes<FieldValue>> {
    Some(match field {
        "NHS_NUMBER" => ex.nhs_number(),
        "PERSON_FORENAME" => ex.person_forename(),
        "PERSON_SURNAME" => ex.person_surname(),
        "PERSON_DOB" => ex.person_dob(),
        "PERSON_GENDER_CODE" => ex.person_gender(),
        "PERSON_POSTCODE" => ex.valid_address(),
        "DATE_AND_TIME" => ex.date_time(),
        "SITE_CODE" => ex.site_code(),
        "SITE_CODE_TYPE_URI" => ex.site_code_type_uri(),
        "UNIQUE_ID" => ex.unique_id(),
        "UNIQUE_ID_URI" => ex.unique_id_uri(),
        "PERFORMING_PROFESSIONAL_FORENAME" => ex.practitioner_forename(),
        "PERFORMING_PROFESSIONAL_SURNAME" => ex.practitioner_surname(),
        "RECORDED_DATE" => ex.recorded_date(),
        "PRIMARY_SOURCE" => ex.primary_source(),
        "VACCINATION_PROCEDURE_CODE" => ex.vaccination_procedure_code(),
        "VACCINATION_PROCEDURE_TERM" => ex.vaccination_procedure_term(),
        "DOSE_SEQUENCE" => ex.dose_sequence(),
        "VACCINE_PRODUCT_CODE" => ex.vaccine_product_code(),
        "VACCINE_PRODUCT_TERM" => ex.vaccine_product_term(),
        "VACCINE_MANUFACTURER" => ex.vaccine_manufacturer(),
        "BATCH_NUMBER" => ex.batch_number(),
        "EXPIRY_DATE" => ex.expiry_date(),
        "SITE_OF_VACCINATION_CODE" => ex.site_of_vaccination_code(),
        "SITE_OF_VACCINATION_TERM" => ex.site_of_vaccination_term(),
        "ROUTE_OF_VACCINATION_CODE" => ex.route_of_vaccination_code(),
        "ROUTE_OF_VACCINATION_TERM" => ex.route_of_vaccination_term(),
        "DOSE_AMOUNT" => ex.dose_amount(),
        "DOSE_UNIT_CODE" => ex.dose_unit_code(),
        "DOSE_UNIT_TERM" => ex.dose_unit_term(),
        "INDICATION_CODE" => ex.indication_code(),
        "LOCATION_CODE" => ex.location_code(),
        "LOCATION_CODE_TYPE_URI" => ex.location_code_type_uri(),
        _ => return None,
    })
}

/// Upstream `Converter.run_conversion`.
fn convert(resource: &Node, flag: &str) -> (Vec<(String, Node)>, Vec<ErrorRecord>) {
    let mut extractor = Extractor::new(resource);
    let mut out = Vec::with_capacity(LAYOUT.len());
    let mut errors = Vec::new();
    for field in LAYOUT {
        let Some(result) = extract(&mut extractor, field) else {
            out.push((field.to_string(), py::str_node(flag)));
            continue;
        };
        match result {
            Ok(Some(v)) => out.push((field.to_string(), v)),
            Ok(None) => {}
            Err(e) => {
                errors.push(ErrorRecord {
                    code: PARSING_ERROR,
                    field: field.to_string(),
                    value: None,
                    message: format!("Conversion error [{}]: {}", e.kind, e.message),
                });
                out.push((field.to_string(), py::str_node("")));
            }
        }
    }
    errors.append(&mut extractor.errors);
    (out, errors)
}

impl DeltaItem {
    /// `{"ImmsID", "Operation", "VaccineType", "SupplierSystem", "Imms"}` as JSON.
    pub fn deterministic_json(&self) -> String {
        let mut members = vec![
            ("ImmsID".to_string(), py::str_node(self.imms_id.clone())),
            (
                "Operation".to_string(),
                py::str_node(self.operation.clone()),
            ),
            (
                "VaccineType".to_string(),
                py::str_node(self.vaccine_type.clone()),
            ),
            (
                "SupplierSystem".to_string(),
                match &self.supplier_system {
                    Some(s) => py::str_node(s.clone()),
                    None => Node::synthetic(Value::Null),
                },
            ),
        ];
        members.push(("Imms".to_string(), self.imms_node()));
        pyjson::dumps(&Node::synthetic(Value::Object(members)), false)
    }

    /// [`DeltaItem::deterministic_json`] as a raw JSON value (for `Outcome::delta`).
    pub fn to_raw_json(&self) -> Option<Box<serde_json::value::RawValue>> {
        serde_json::value::RawValue::from_string(self.deterministic_json()).ok()
    }

    /// The flat record with `CONVERSION_ERRORS`.
    pub fn imms_node(&self) -> Node {
        let mut imms: Vec<(String, Node)> = self
            .imms
            .iter()
            .map(|(name, value)| (name.clone(), as_recorded_number(value)))
            .collect();
        let errors = self
            .errors
            .iter()
            .map(|e| {
                Node::synthetic(Value::Object(vec![
                    (
                        "code".into(),
                        Node::synthetic(Value::Int(e.code.to_string())),
                    ),
                    ("field".into(), py::str_node(e.field.clone())),
                    (
                        "value".into(),
                        e.value
                            .clone()
                            .unwrap_or_else(|| Node::synthetic(Value::Null)),
                    ),
                    ("message".into(), py::str_node(e.message.clone())),
                ]))
            })
            .collect();
        imms.push((
            "CONVERSION_ERRORS".into(),
            Node::synthetic(Value::Array(errors)),
        ));
        Node::synthetic(Value::Object(imms))
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
        let members = vec![
            ("PK".to_string(), py::str_node("<stream event id>")),
            ("DateTimeStamp".to_string(), py::str_node(stamp)),
            (
                "SequenceNumber".to_string(),
                py::str_node("<stream sequence number>"),
            ),
            ("Source".to_string(), py::str_node("IEDS")),
            (
                "ExpiresAt".to_string(),
                Node::synthetic(Value::Int(expires.to_string())),
            ),
            (
                "illustrative".to_string(),
                Node::synthetic(Value::Bool(true)),
            ),
        ];
        pyjson::dumps(&Node::synthetic(Value::Object(members)), false)
    }
}

#[cfg(test)]
mod tests;

/// A `Decimal` in the flat record becomes the float the recorded item holds
/// (`0.50` → `0.5`, `1E+2` → `100.0`); an overflowing one stays as written.
fn as_recorded_number(value: &Node) -> Node {
    match &value.value {
        Value::Decimal(text) => match float_repr::python_float_repr(text) {
            Some(repr) => Node::synthetic(Value::Decimal(repr)),
            None => value.clone(),
        },
        _ => value.clone(),
    }
}
