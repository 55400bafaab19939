//! The flat record for hand-made stored resources, checked field by field.

use super::*;
use crate::store::{Attr, EventItem};

fn item(operation: &str, supplier: &str, resource: &str) -> EventItem {
    EventItem {
        attrs: vec![
            ("PK".into(), Attr::S("Immunization#abc-1".into())),
            ("PatientPK".into(), Attr::S("Patient#9000000009".into())),
            ("PatientSK".into(), Attr::S("COVID#abc-1".into())),
            ("Resource".into(), Attr::S(resource.into())),
            ("IdentifierPK".into(), Attr::S("s#v".into())),
            ("Operation".into(), Attr::S(operation.into())),
            ("Version".into(), Attr::N("1".into())),
            ("SupplierSystem".into(), Attr::S(supplier.into())),
        ],
    }
}

/// The Imms record as JSON text (key order kept).
fn imms(resource: &str) -> String {
    let d = delta_item(&item("CREATE", "TPP", resource)).expect("delta");
    pyjson::dumps(&d.imms_node(), false)
}

fn field(resource: &str, name: &str) -> String {
    let d = delta_item(&item("CREATE", "TPP", resource)).expect("delta");
    d.imms
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| pyjson::dumps(v, false))
        .unwrap_or_else(|| "<absent>".into())
}

fn errors(resource: &str) -> String {
    let d = delta_item(&item("CREATE", "TPP", resource)).expect("delta");
    let node = d.imms_node();
    node.get("CONVERSION_ERRORS")
        .map(|v| pyjson::dumps(v, false))
        .unwrap_or_default()
}

const PATIENT: &str = r#"{"resourceType": "Patient", "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9000000009"}], "name": [{"family": "Taylor", "given": ["Sarah"]}], "gender": "female", "birthDate": "1965-02-28", "address": [{"postalCode": "EC1A 1BB"}]}"#;

fn with(extra: &str) -> String {
    format!(
        r#"{{"resourceType": "Immunization", "contained": [{PATIENT}], "occurrenceDateTime": "2021-02-07T13:28:17+00:00"{extra}}}"#
    )
}

#[test]
fn empty_resource_gives_defaults_in_layout_order() {
    let text = imms(&with(""));
    assert_eq!(
        text,
        r#"{"NHS_NUMBER": "9000000009", "PERSON_FORENAME": "Sarah", "PERSON_SURNAME": "Taylor", "PERSON_DOB": "19650228", "PERSON_GENDER_CODE": "2", "PERSON_POSTCODE": "EC1A 1BB", "DATE_AND_TIME": "20210207T13281700", "SITE_CODE": "", "SITE_CODE_TYPE_URI": "", "UNIQUE_ID": "", "UNIQUE_ID_URI": "", "ACTION_FLAG": "NEW", "PERFORMING_PROFESSIONAL_FORENAME": "", "PERFORMING_PROFESSIONAL_SURNAME": "", "RECORDED_DATE": "", "PRIMARY_SOURCE": "", "VACCINATION_PROCEDURE_CODE": "", "VACCINATION_PROCEDURE_TERM": "", "DOSE_SEQUENCE": "", "VACCINE_PRODUCT_CODE": "", "VACCINE_PRODUCT_TERM": "", "VACCINE_MANUFACTURER": "", "BATCH_NUMBER": "", "EXPIRY_DATE": "", "SITE_OF_VACCINATION_CODE": "", "SITE_OF_VACCINATION_TERM": "", "ROUTE_OF_VACCINATION_CODE": "", "ROUTE_OF_VACCINATION_TERM": "", "DOSE_AMOUNT": "", "DOSE_UNIT_CODE": "", "DOSE_UNIT_TERM": "", "INDICATION_CODE": "", "LOCATION_CODE": "X99999", "LOCATION_CODE_TYPE_URI": "https://fhir.nhs.uk/Id/ods-organization-code", "CONVERSION_ERRORS": []}"#
    );
}

#[test]
fn occurrence_in_bst_and_unsupported_offsets() {
    let at = |occurrence: &str| with("").replace("2021-02-07T13:28:17+00:00", occurrence);
    let bst = at("2021-06-07T13:28:17.500000+01:00");
    assert_eq!(field(&bst, "DATE_AND_TIME"), r#""20210607T13281701""#);
    let est = at("2021-06-07T13:28:17-05:00");
    assert_eq!(field(&est, "DATE_AND_TIME"), r#""""#);
    assert_eq!(
        errors(&est),
        r#"[{"code": 5, "field": "DATE_AND_TIME", "value": "2021-06-07T13:28:17-05:00", "message": "Unsupported Format or offset"}]"#
    );
    let date_only = at("2021-06-07");
    assert_eq!(field(&date_only, "DATE_AND_TIME"), r#""20210607T00000000""#);
    // Without a contained Patient, the name and address rules fail on `"".get`.
    let no_patient = r#"{"resourceType": "Immunization", "occurrenceDateTime": "2021-06-07"}"#;
    assert_eq!(field(no_patient, "PERSON_FORENAME"), r#""""#);
    assert!(errors(no_patient).starts_with(
        r#"[{"code": 10, "field": "PERSON_FORENAME", "value": null, "message": "Conversion error [AttributeError]: 'str' object has no attribute 'get'"}"#
    ));
}

#[test]
fn partial_dates_are_recorded_and_break_period_checks() {
    let partial = r#"{"resourceType": "Immunization", "contained": [{"resourceType": "Patient", "birthDate": "1965"}], "occurrenceDateTime": "2021", "recorded": "2021-02"}"#;
    assert_eq!(field(partial, "PERSON_DOB"), r#""""#);
    assert_eq!(field(partial, "RECORDED_DATE"), r#""""#);
    assert_eq!(
        errors(partial),
        concat!(
            r#"[{"code": 10, "field": "PERSON_FORENAME", "value": null, "message": "Conversion error [ValueError]: Invalid isoformat string: '2021'"}, "#,
            r#"{"code": 10, "field": "PERSON_SURNAME", "value": null, "message": "Conversion error [ValueError]: Invalid isoformat string: '2021'"}, "#,
            r#"{"code": 10, "field": "PERSON_POSTCODE", "value": null, "message": "Conversion error [ValueError]: Invalid isoformat string: '2021'"}, "#,
            r#"{"code": 10, "field": "PERFORMING_PROFESSIONAL_FORENAME", "value": null, "message": "Conversion error [ValueError]: Invalid isoformat string: '2021'"}, "#,
            r#"{"code": 10, "field": "PERFORMING_PROFESSIONAL_SURNAME", "value": null, "message": "Conversion error [ValueError]: Invalid isoformat string: '2021'"}, "#,
            r#"{"code": 5, "field": "PERSON_DOB", "value": "1965", "message": "Unexpected exception [ValueError]: Invalid isoformat string: '1965'"}, "#,
            r#"{"code": 5, "field": "DATE_AND_TIME", "value": "2021", "message": "Unexpected exception [ValueError]: Invalid isoformat string: '2021'"}, "#,
            r#"{"code": 5, "field": "RECORDED_DATE", "value": "2021-02", "message": "Unexpected exception [ValueError]: Invalid isoformat string: '2021-02'"}]"#
        )
    );
}

#[test]
fn names_follow_use_and_period_at_the_occurrence() {
    let names = r#", "contained": [{"resourceType": "Patient", "name": [{"use": "old", "family": "Old", "given": ["A"]}, {"use": "official", "family": "Off", "given": ["B", "C"], "period": {"start": "2000-01-01", "end": "2010-01-01"}}, {"use": "usual", "family": "Usual", "given": ["D", "E"], "period": {"end": "2021-02-07"}}]}]"#;
    let r = with("").replace(&format!(r#", "contained": [{PATIENT}]"#), names);
    assert_eq!(field(&r, "PERSON_FORENAME"), r#""D E""#);
    assert_eq!(field(&r, "PERSON_SURNAME"), r#""Usual""#);
    // A name without a given part is not a candidate; with none left both are empty.
    let r2 = with("").replace(
        &format!(r#", "contained": [{PATIENT}]"#),
        r#", "contained": [{"resourceType": "Patient", "name": [{"family": "Solo"}]}]"#,
    );
    assert_eq!(field(&r2, "PERSON_SURNAME"), r#""""#);
}

#[test]
fn address_selection_prefers_current_home_not_postal() {
    let r = with("").replace(
        r#""address": [{"postalCode": "EC1A 1BB"}]"#,
        r#""address": [{"use": "old", "postalCode": "OLD 1"}, {"use": "home", "type": "postal", "postalCode": "POST 1"}, {"use": "HOME", "type": "both", "postalCode": "HOME 1", "period": {"start": "2020-01-01", "end": "2022-01-01"}}]"#,
    );
    assert_eq!(field(&r, "PERSON_POSTCODE"), r#""HOME 1""#);
    let none = with("").replace(
        r#""address": [{"postalCode": "EC1A 1BB"}]"#,
        r#""address": []"#,
    );
    assert_eq!(field(&none, "PERSON_POSTCODE"), r#""ZZ99 3CZ""#);
}

#[test]
fn performers_codes_and_amounts() {
    let r = with(
        r##", "performer": [{"actor": {"reference": "#P"}}, {"actor": {"type": "Organization", "identifier": {"system": "https://fhir.nhs.uk/Id/ods-organization-code"}}}], "doseQuantity": {"value": 1E+2, "system": "http://snomed.info/sct", "code": "258773002", "unit": "ml"}, "reasonCode": [null, {"coding": [{"system": "http://snomed.info/sct", "code": "1"}]}], "site": {"text": "Arm", "coding": [{"system": "http://snomed.info/sct", "code": "2", "display": "d"}]}, "vaccineCode": {"coding": [{"system": "http://snomed.info/sct", "code": "3", "display": "x", "extension": [{"url": "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-CodingSCTDescDisplay", "valueString": "desc"}]}]}, "protocolApplied": [{"doseNumberPositiveInt": 2}], "primarySource": false"##,
    );
    // The performer's identifier has no value: SITE_CODE is left out.
    assert_eq!(field(&r, "SITE_CODE"), "<absent>");
    assert_eq!(
        field(&r, "SITE_CODE_TYPE_URI"),
        r#""https://fhir.nhs.uk/Id/ods-organization-code""#
    );
    assert_eq!(field(&r, "DOSE_AMOUNT"), "1E+2");
    assert_eq!(field(&r, "DOSE_UNIT_CODE"), r#""258773002""#);
    assert_eq!(field(&r, "INDICATION_CODE"), r#""""#);
    assert_eq!(field(&r, "SITE_OF_VACCINATION_TERM"), r#""Arm""#);
    assert_eq!(field(&r, "VACCINE_PRODUCT_TERM"), r#""desc""#);
    assert_eq!(field(&r, "DOSE_SEQUENCE"), r#""2""#);
    assert_eq!(field(&r, "PRIMARY_SOURCE"), r#""FALSE""#);
    assert_eq!(
        errors(&r),
        r#"[{"code": 10, "field": "INDICATION_CODE", "value": null, "message": "Conversion error [AttributeError]: 'NoneType' object has no attribute 'get'"}]"#
    );
}

#[test]
fn item_attributes_and_skipped_suppliers() {
    let d = delta_item(&item("DELETE", "EMIS", &with(""))).expect("delta");
    assert_eq!(d.imms_id, "abc-1");
    assert_eq!(d.vaccine_type, "covid");
    assert!(d.deterministic_json().starts_with(
        r#"{"ImmsID": "abc-1", "Operation": "DELETE", "VaccineType": "covid", "SupplierSystem": "EMIS", "Imms": {"#
    ));
    assert!(d
        .deterministic_json()
        .contains(r#""ACTION_FLAG": "DELETE""#));
    assert_eq!(
        d.illustrative_json(1712345678, 30),
        r#"{"PK": "<stream event id>", "DateTimeStamp": "2024-04-05T19:34:38+00:00", "SequenceNumber": "<stream sequence number>", "Source": "IEDS", "ExpiresAt": 1714937678, "illustrative": true}"#
    );
    assert_eq!(delta_item(&item("CREATE", "DPSFULL", &with(""))), None);
}
