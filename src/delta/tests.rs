//! The flat record for hand-made stored resources, checked field by field.

use super::*;
use crate::store::pyjson;
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
    d.imms_node()
        .get(name)
        .map(|v| pyjson::dumps(v, false))
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
    // The stored Decimal `1E+2` is recorded as the float 100.0.
    assert_eq!(field(&r, "DOSE_AMOUNT"), "100.0");
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

/// The `Imms` JSON for a stored resource text of an UPDATE item.
fn record(resource: &str) -> String {
    delta_item(&item("UPDATE", "TPP", resource))
        .expect("delta")
        .imms_json()
        .to_string()
}

fn error_list(record: &str) -> &str {
    record
        .split_once(r#""CONVERSION_ERRORS": "#)
        .map_or("", |(_, errors)| errors.strip_suffix('}').unwrap_or(errors))
}

#[test]
fn repeated_keys_keep_their_last_value_and_escaped_keys_match() {
    let r = record(
        r#"{"resourceType": "Immunization", "contained": [{"resourceType": "Patient", "name": [{"family": "A", "given": ["B"]}], "name": [{"family": "Last", "given": ["Wins"]}], "gender": "female", "gend\u0065r": "male"}], "occurrenceDateTime": "2021-02-07T13:28:17+00:00", "lotNumber": "first", "lotNumber": "second"}"#,
    );
    assert!(r.starts_with(
        r#"{"NHS_NUMBER": "", "PERSON_FORENAME": "Wins", "PERSON_SURNAME": "Last", "PERSON_DOB": "", "PERSON_GENDER_CODE": "1", "PERSON_POSTCODE": "ZZ99 3CZ", "DATE_AND_TIME": "20210207T13281700", "#
    ));
    assert!(r.contains(r#""ACTION_FLAG": "UPDATE", "#));
    assert!(r.contains(r#""BATCH_NUMBER": "second", "#));
    assert_eq!(error_list(&r), "[]");
}

#[test]
fn escaped_and_non_ascii_text_is_decoded_and_written_unescaped() {
    let r = record(
        r#"{"resourceType": "Immunization", "cont\u0061ined": [{"resourceType": "Pati\u0065nt", "name": [{"family": "T\u00e9st \ud800", "given": ["\u00c9mile", "\ud83d\ude00"]}], "address": [{"postalCode": "\u00e9 1"}]}], "occurrenceDateTime": "2021-02-07", "lotNumber": "a\"b\\c\n\u007f\u0001"}"#,
    );
    assert!(r.starts_with(
        "{\"NHS_NUMBER\": \"\", \"PERSON_FORENAME\": \"Émile 😀\", \"PERSON_SURNAME\": \"Tést \\ud800\", \"PERSON_DOB\": \"\", \"PERSON_GENDER_CODE\": \"\", \"PERSON_POSTCODE\": \"é 1\", \"DATE_AND_TIME\": \"20210207T00000000\", "
    ));
    assert!(r.contains("\"BATCH_NUMBER\": \"a\\\"b\\\\c\\n\u{7f}\\u0001\", "));
    // Raw (unescaped) non-ASCII text reads the same.
    let raw = record(
        r#"{"resourceType": "Immunization", "contained": [{"resourceType": "Patient", "name": [{"family": "Tést", "given": ["Émile"]}]}], "occurrenceDateTime": "2021-02-07"}"#,
    );
    assert!(raw.contains(r#""PERSON_FORENAME": "Émile", "PERSON_SURNAME": "Tést", "#));
}

#[test]
fn containers_of_the_wrong_shape_raise_as_python_does() {
    // A dict `contained` is iterated by key: no Patient, and "".get raises.
    let r = record(
        r#"{"resourceType": "Immunization", "contained": {"givenfamily": 1, "resourceType": "Patient"}, "occurrenceDateTime": "2021-02-07T13:28:17+01:00", "performer": [{"actor": {"identifier": {"value": "V1"}}}, {"actor": {"type": "Organization", "identifier": {"system": "https://fhir.nhs.uk/Id/ods-organization-code"}}}]}"#,
    );
    assert!(r.contains(r#""DATE_AND_TIME": "20210207T13281701", "SITE_CODE_TYPE_URI": "https://fhir.nhs.uk/Id/ods-organization-code", "UNIQUE_ID": "", "#));
    assert_eq!(
        error_list(&r),
        r#"[{"code": 10, "field": "PERSON_FORENAME", "value": null, "message": "Conversion error [AttributeError]: 'str' object has no attribute 'get'"}, {"code": 10, "field": "PERSON_SURNAME", "value": null, "message": "Conversion error [AttributeError]: 'str' object has no attribute 'get'"}, {"code": 10, "field": "PERSON_POSTCODE", "value": null, "message": "Conversion error [AttributeError]: 'str' object has no attribute 'get'"}]"#
    );
    // A string `given` is joined character by character; a None in a list is not a str.
    let r = record(
        r#"{"resourceType": "Immunization", "contained": [{"resourceType": "Practitioner", "name": [{"given": "Flo", "family": {"x": [1.50, NaN]}}]}, {"resourceType": "Patient", "name": [{"given": ["x", null], "family": "y"}]}], "occurrenceDateTime": "2021-06-07T13:28:17.5", "doseQuantity": {"value": -0.0}, "protocolApplied": [{"doseNumberPositiveInt": -0}], "location": {"identifier": {"value": Infinity}}}"#,
    );
    assert!(r.contains(r#""PERFORMING_PROFESSIONAL_FORENAME": "F l o", "PERFORMING_PROFESSIONAL_SURNAME": {"x": [1.50, NaN]}, "#));
    assert!(r.contains(r#""DOSE_AMOUNT": -0.0, "#));
    assert!(r.contains(r#""DOSE_SEQUENCE": "", "#));
    assert!(r.contains(r#""LOCATION_CODE": Infinity, "#));
    assert_eq!(
        error_list(&r),
        r#"[{"code": 10, "field": "PERSON_FORENAME", "value": null, "message": "Conversion error [TypeError]: sequence item 1: expected str instance, NoneType found"}, {"code": 10, "field": "PERSON_SURNAME", "value": null, "message": "Conversion error [TypeError]: sequence item 1: expected str instance, NoneType found"}]"#
    );
}

#[test]
fn values_of_the_wrong_type_and_overflowing_decimals() {
    let r = record(
        r#"{"resourceType": "Immunization", "contained": "Patient", "occurrenceDateTime": 20210207, "recorded": "2021-02", "expirationDate": [1, 2.50], "doseQuantity": {"value": 1e400, "system": "http://snomed.info/sct", "code": 0}, "primarySource": 1}"#,
    );
    // 1e400 overflows a float: written as stored.
    assert!(r.contains(r#""PRIMARY_SOURCE": "", "#));
    assert!(r.contains(r#""DOSE_AMOUNT": 1e400, "DOSE_UNIT_CODE": "", "#));
    assert_eq!(
        error_list(&r),
        r#"[{"code": 10, "field": "PERSON_FORENAME", "value": null, "message": "Conversion error [TypeError]: fromisoformat: argument must be str"}, {"code": 10, "field": "PERSON_SURNAME", "value": null, "message": "Conversion error [TypeError]: fromisoformat: argument must be str"}, {"code": 10, "field": "PERSON_POSTCODE", "value": null, "message": "Conversion error [TypeError]: fromisoformat: argument must be str"}, {"code": 10, "field": "PERFORMING_PROFESSIONAL_FORENAME", "value": null, "message": "Conversion error [TypeError]: fromisoformat: argument must be str"}, {"code": 10, "field": "PERFORMING_PROFESSIONAL_SURNAME", "value": null, "message": "Conversion error [TypeError]: fromisoformat: argument must be str"}, {"code": 10, "field": "EXPIRY_DATE", "value": null, "message": "Conversion error [TypeError]: fromisoformat: argument must be str"}, {"code": 5, "field": "DATE_AND_TIME", "value": 20210207, "message": "Unexpected exception [TypeError]: fromisoformat: argument must be str"}, {"code": 5, "field": "RECORDED_DATE", "value": "2021-02", "message": "Unexpected exception [ValueError]: Invalid isoformat string: '2021-02'"}]"#
    );
    let r = record(
        r#"{"resourceType": "Immunization", "contained": [{"resourceType": "Patient", "gender": "\u017fomething", "address": [{"use": "HOME", "type": "postal", "postalCode": "P1"}, {"use": "old", "postalCode": "P2"}, {"use": "H\u00d6ME", "postalCode": "P3", "period": {"start": "2020-01-01", "end": "2021-06-07"}}]}], "occurrenceDateTime": "2021-06-07T23:00:00+00:00", "identifier": [{"value": 12, "system": true}], "reasonCode": [{"coding": "abc"}], "vaccineCode": {"text": "", "coding": [{"system": "http://snomed.info/sct", "extension": [{"url": "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-CodingSCTDescDisplay", "valueString": ""}], "display": ["d"]}]}}"#,
    );
    assert!(r.contains(r#""PERSON_GENDER_CODE": "", "PERSON_POSTCODE": "P3", "#));
    assert!(r.contains(r#""UNIQUE_ID": 12, "UNIQUE_ID_URI": true, "#));
    assert!(r.contains(r#""VACCINE_PRODUCT_TERM": ["d"], "#));
    assert_eq!(
        error_list(&r),
        r#"[{"code": 10, "field": "INDICATION_CODE", "value": null, "message": "Conversion error [AttributeError]: 'str' object has no attribute 'get'"}]"#
    );
}

#[test]
fn a_resource_that_is_not_an_object_fails_every_rule() {
    let r = record("[1, 2, 3]");
    assert!(r.starts_with(r#"{"NHS_NUMBER": "", "PERSON_FORENAME": "", "#));
    assert!(r.contains(r#""LOCATION_CODE": "", "LOCATION_CODE_TYPE_URI": "", "CONVERSION_ERRORS": [{"code": 10, "field": "NHS_NUMBER", "value": null, "message": "Conversion error [AttributeError]: 'list' object has no attribute 'get'"}, "#));
    assert_eq!(
        r.matches("'list' object has no attribute 'get'").count(),
        LAYOUT.len() - 1
    );
    // Whitespace anywhere JSON allows it.
    let spaced = record(
        "  {  \"resourceType\" :\"Immunization\" ,\"occurrenceDateTime\":\"2021-02-07T13:28:17Z\"\t}  \r\n",
    );
    assert!(spaced.contains(r#""DATE_AND_TIME": "20210207T13281700", "#));
}

#[test]
fn unreadable_resources_give_no_delta_item() {
    for text in [
        "",
        "{",
        "{\"a\": 1,}",
        "\u{feff}{}",
        "{\"a\": \"\u{1}\"}",
        "[1e999999999999999999999]",
    ] {
        assert_eq!(delta_item(&item("CREATE", "TPP", text)), None, "{text:?}");
    }
}

mod reading {
    //! The tape reader against `json::loads`: same texts accepted, same values read.

    use super::super::doc::{self, Doc};
    use super::super::py::V;
    use crate::json::{loads, Node, Value};

    fn deep(depth: usize) -> String {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn accepts_exactly_what_json_loads_accepts() {
        let long_int = "7".repeat(4300);
        let longer_int = "7".repeat(4301);
        let mut texts: Vec<String> = [
            "",
            " ",
            "{}",
            "[]",
            " [ ] ",
            "\t\n\r{\"a\" : [ 1 , 2 ] }\r\n",
            "[1,]",
            "{\"a\":1,}",
            "\u{feff}{}",
            "{\"a\" 1}",
            "{\"a\":}",
            "{1:2}",
            "[1 2]",
            "[1]x",
            "[1] ]",
            "{\"a\":[}",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\u12g4\"",
            "\"\\u00E9\"",
            "\"\\ud800\"",
            "\"\\udc00\\ud800\"",
            "\"a\u{1}\"",
            "\"a\u{7f}\"",
            "\"a\tb\"",
            "\"é\"",
            "\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"",
            "\"abc",
            "\"abc\\",
            "\"abc\\\"",
            "01",
            "-",
            "-0",
            "--1",
            "+1",
            "1.",
            "1.e5",
            "1e",
            "1e+",
            ".5",
            "1.5e-3",
            "1E+2",
            "[1e5.5]",
            "NaN",
            "-NaN",
            "Infinity",
            "-Infinity",
            "infinity",
            "nul",
            "null",
            "true ",
            " false",
            "[true,false,null]",
            "[tru]",
            "1e999999999999999999",
            "1e1000000000000000000",
            "1e0000000000000000000000000000000001",
            "0e-1999999999999999998",
            "-1e-99999999999999999999999999999999999999999",
            "{\"\":0}",
            "[\"\"]",
            "[-]",
            "{\"a\":{\"b\":[1,{\"c\":null}]},\"a\":2}",
            "[[[[[]]]], [[]], {}]",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        texts.extend([
            long_int.clone(),
            longer_int.clone(),
            format!("-{long_int}"),
            format!("[{longer_int}]"),
            format!("{long_int}.5"),
            deep(crate::json::MAX_PYTHON_NESTING),
            deep(crate::json::MAX_PYTHON_NESTING + 1),
            format!("{{\"a\": {}}}", deep(crate::json::MAX_PYTHON_NESTING - 1)),
            format!("{{\"a\": {}}}", deep(crate::json::MAX_PYTHON_NESTING)),
        ]);
        for text in &texts {
            assert_eq!(
                doc::read_tape(text).is_some(),
                loads(text).is_ok(),
                "{:?}",
                text.get(..60).unwrap_or(text)
            );
        }
    }

    /// `key in x` and `sep.join(x)` as Python computes them on the loaded value.
    fn contains(n: &Node, key: &str) -> Option<bool> {
        match &n.value {
            Value::Object(m) => Some(m.iter().any(|(k, _)| k == key)),
            Value::Array(items) => Some(items.iter().any(|i| i.as_str() == Some(key))),
            Value::Str(s) => Some(s.contains(key)),
            _ => None,
        }
    }

    fn items(n: &Node) -> Option<Vec<Node>> {
        match &n.value {
            Value::Array(items) => Some(items.clone()),
            Value::Object(m) => Some(
                m.iter()
                    .map(|(k, _)| Node::synthetic(Value::Str(k.as_str().into())))
                    .collect(),
            ),
            Value::Str(s) => Some(
                s.chars()
                    .map(|c| Node::synthetic(Value::Str(c.into())))
                    .collect(),
            ),
            _ => None,
        }
    }

    /// Every value reachable from `v` reads as the same Python value as `n`.
    fn same(v: V, n: &Node) {
        let mut pending = vec![(v, n.clone())];
        while let Some((v, n)) = pending.pop() {
            let at = format!("{:?}", crate::store::pyjson::dumps(&n, false));
            assert_eq!(v.type_name(), n.py_type_name(), "{at}");
            assert_eq!(v.truthy(), n.value.is_truthy(), "{at}");
            assert_eq!(v.as_str().as_deref(), n.as_str(), "{at}");
            assert_eq!(v.list_len(), n.as_array().map(<[Node]>::len), "{at}");
            assert_eq!(v.is_dict(), n.is_object(), "{at}");
            assert_eq!(
                crate::store::pyjson::dumps(&v.to_node(), true),
                crate::store::pyjson::dumps(&n, true),
                "{at}"
            );
            for key in [
                "a",
                "b",
                "",
                "é",
                "given",
                "gaven",
                "gn",
                "x",
                "family name",
            ] {
                assert_eq!(v.contains(key.into()).ok(), contains(&n, key), "{at} {key}");
                match (v.get(key.into()), n.is_object()) {
                    (Ok(found), true) => match (found, n.get(key)) {
                        (Some(fv), Some(fn_)) => pending.push((fv, fn_.clone())),
                        (None, None) => {}
                        _ => panic!("get {key} differs at {at}"),
                    },
                    (Err(e), false) => assert_eq!(
                        e.message,
                        format!("'{}' object has no attribute 'get'", n.py_type_name())
                    ),
                    _ => panic!("get {key} raises differently at {at}"),
                }
            }
            match (v.iter(), items(&n)) {
                (Ok(got), Some(want)) => {
                    let got: Vec<V> = got.collect();
                    assert_eq!(got.len(), want.len(), "{at}");
                    let strs: Option<Vec<&str>> = want.iter().map(Node::as_str).collect();
                    match (v.join("-"), strs) {
                        (Ok(joined), Some(parts)) => assert_eq!(joined, parts.join("-")),
                        (Err(e), None) => assert_eq!(e.kind, "TypeError"),
                        _ => panic!("join differs at {at}"),
                    }
                    if n.is_array() {
                        pending.extend(got.into_iter().zip(want));
                    } else {
                        for (g, w) in got.iter().zip(&want) {
                            assert_eq!(g.as_str().as_deref(), w.as_str(), "{at}");
                        }
                    }
                }
                (Err(e), None) => assert_eq!(
                    e.message,
                    format!("'{}' object is not iterable", n.py_type_name())
                ),
                _ => panic!("iteration differs at {at}"),
            }
        }
    }

    #[test]
    fn reads_the_values_json_loads_builds() {
        let many_keys: Vec<String> = (0..40).map(|i| format!("\"k{}\": {i}", i % 37)).collect();
        let texts = [
            r#"{"a": 1, "b": [1, 2.50, -0, 0.0, 1E+2, true, false, null, NaN, Infinity, -Infinity], "a": {"x": "y"}}"#.to_string(),
            r#"{"\u0061": "first", "a": "second", "b": {"a": ["a", "b", 1]}, "é": "\u00e9", "\u00e9": "e"}"#.to_string(),
            r#"["given", "", "\ud800", "\ud83d\ude00", "a\"b", "\u0000", {"": ""}, [[]], {}]"#.to_string(),
            r#"{"x": "given family", "given": null, "": 0, "b": "abc", "a": [null, "a"]}"#.to_string(),
            format!("{{{}}}", many_keys.join(", ")),
            "\"just a string, é\"".to_string(),
            // Keys of the same length, first and last character.
            r#"{"gaven": 1, "given": [2], "gn": 3, "giv\u0065n": {"given": "g"}, "gaven": "last", "family name": 4, "family_name": 5}"#.to_string(),
            r#"{"given": 1, "gi\u0076en": 2, "g\u00e9n": 3, "g\u00e9n": 4, "gén": 5, "é": 6, "\u00e9": 7}"#.to_string(),
            "0.000".to_string(),
            "-0e5".to_string(),
            // Long keys differing past the tag, in and past the first compared word.
            r#"{"family namf": 1, "family name": 2, "family name and more": 3, "family name and morf": 4, "family name and more": 5, "family namé": 6}"#.to_string(),
        ];
        for text in &texts {
            let tape = doc::read_tape(text).expect("valid");
            let doc = Doc::from_tape(text, &tape);
            let node = loads(text).expect("valid");
            same(V::root(&doc), &node);
        }
    }
}

mod written {
    //! The record's own writers against the general ones.

    use super::super::{write_text, write_utc_stamp};
    use crate::store::pydatetime::{from_unix_seconds, Numeric};
    use crate::store::pyjson::write_str;

    #[test]
    fn utc_stamps_read_as_the_general_path() {
        let mut stamps: Vec<i64> = vec![
            0,
            1,
            -1,
            59,
            60,
            86399,
            86400,
            -86400,
            -86401,
            951_782_400,
            1_712_345_678,
            4_107_542_400,
            20_000_000_000,
            -20_000_000_000,
            20_000_000_001,
            -20_000_000_001,
            253_402_300_799,
            253_402_300_800,
            -62_135_596_800,
            -62_135_596_801,
            i64::MAX,
            i64::MIN,
        ];
        stamps.extend((0..400).map(|i| -20_000_000_000 + i * 100_000_000 + i * 7919));
        for stamp in stamps {
            let expected = from_unix_seconds(&Numeric::Int(stamp.to_string()))
                .map(|d| d.datetime_isoformat())
                .unwrap_or_default();
            let mut out = String::new();
            write_utc_stamp(&mut out, stamp);
            assert_eq!(out, expected, "{stamp}");
        }
    }

    #[test]
    fn texts_read_as_write_str_writes_them() {
        let long = "a".repeat(65);
        for text in [
            "",
            "a",
            "20210207",
            "ZZ99 3CZ",
            "a\"b",
            "a\\b",
            "\u{7f}",
            "\u{1f}",
            "é",
            "\n",
            "\u{10ffff}",
            " ~",
            &long,
        ] {
            let (mut mine, mut general) = (String::new(), String::new());
            write_text(&mut mine, text);
            write_str(&mut general, text, false);
            assert_eq!(mine, general, "{text:?}");
        }
    }
}

mod fast_paths {
    use super::super::doc::{key_tag, Key};
    use crate::json::bytes_eq;

    #[test]
    fn bytes_eq_is_slice_equality() {
        let texts = [
            "",
            "a",
            "b",
            "abcdefg",
            "abcdefh",
            "abcdefgh",
            "abcdefgi",
            "bbcdefgh",
            "http://snomed.info/sct",
            "http://snomed.info/scu",
            "http://snomed.info/sc",
            "https://fhir.nhs.uk/Id/ods-organization-code",
            "é",
            "e\u{301}",
            "日本語のテキスト",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(bytes_eq(a.as_bytes(), b.as_bytes()), a == b, "{a:?} {b:?}");
            }
        }
        let long = "x".repeat(1000);
        let mut other = long.clone();
        other.replace_range(999..1000, "y");
        assert!(bytes_eq(long.as_bytes(), long.clone().as_bytes()));
        assert!(!bytes_eq(long.as_bytes(), other.as_bytes()));
    }
    use super::super::extractor::common_isoformat;
    use crate::store::pydatetime::fromisoformat;

    #[test]
    fn constant_keys_have_the_tags_the_reader_records() {
        for text in [
            "",
            "a",
            "ab",
            "abcdefg",
            "abcdefgh",
            "system",
            "resourceType",
            "é",
            "éééé",
            "日本",
        ] {
            assert_eq!(Key::new(text).tag, key_tag(text.as_bytes()), "{text}");
            assert_eq!(Key::from(text), Key::new(text), "{text}");
        }
        let long = "k".repeat(300);
        assert_eq!(Key::new(&long).tag, key_tag(long.as_bytes()));
    }

    /// The common shapes read as the general parser reads them; anything else is left to it.
    #[test]
    fn common_isoformat_agrees_with_the_general_parser() {
        let bases = [
            "2021-02-07",
            "2021-02-07T13:28:17",
            "2021-02-07T13:28:17Z",
            "2021-02-07T13:28:17+00:00",
            "2021-02-07T13:28:17+01:00",
            "2021-02-07T13:28:17-05:30",
            "2021-02-07T13:28:17-00:00",
            "2024-02-29",
            "2023-02-29",
            "0000-01-01",
            "9999-12-31T23:59:59+23:59",
            "2021-02-07T24:00:00+00:00",
            "2021-02-07T13:28:17+24:00",
            "2021-13-07",
            "2021-00-07",
            "2021-02-00",
            "2021-02-07T13:60:17+00:00",
            "2021-02-07T13:28:60Z",
            "2021-02-07 13:28:17+00:00",
            "2021-02-07T13:28:17.5+00:00",
            "2021-02-07T13:28:17+0000",
            "2021-W05-1",
            "20210207",
            "",
        ];
        let replacements = [
            "0", "9", "-", ":", "T", "Z", "+", " ", ".", "W", "\u{663}", "\u{ff11}", "é", "\0", "",
            "00",
        ];
        let mut texts: Vec<String> = bases.iter().map(|s| s.to_string()).collect();
        for base in bases {
            for at in 0..base.len() {
                for r in replacements {
                    let mut t = base.to_string();
                    t.replace_range(at..at + 1, r);
                    texts.push(t);
                }
            }
            texts.push(format!("{base}0"));
            texts.push(format!("{base}Z"));
            texts.push(format!("{base}\u{d7ff}"));
        }
        texts.push("2021-02-07T13:28:17+00:00".repeat(1000));
        let mut fast = 0;
        for text in &texts {
            if let Some(dt) = common_isoformat(text) {
                fast += 1;
                assert_eq!(Ok(dt), fromisoformat(text), "{text:?}");
            }
        }
        assert!(fast > 100, "{fast}");
        for base in [
            "2021-02-07",
            "2021-02-07T13:28:17Z",
            "2021-02-07T13:28:17-05:30",
        ] {
            assert!(common_isoformat(base).is_some(), "{base}");
        }
    }
}

#[test]
fn integers_are_written_as_str_writes_them() {
    for n in [
        0,
        7,
        -7,
        10,
        99,
        100,
        1_726_000_000,
        i64::MAX,
        i64::MIN,
        i64::MIN + 1,
        -1_000_000,
    ] {
        let mut out = String::new();
        write_int(&mut out, n);
        assert_eq!(out, n.to_string());
    }
}

#[test]
fn vaccine_types_are_lowered_and_stripped() {
    for (sk, want) in [
        (Some("COVID#abc"), "covid"),
        (Some(" Flu \t#x"), "flu"),
        (Some("\u{1c}RSV\u{85}#x"), "rsv"),
        (Some("ÉTÉ #x"), "été"),
        (Some("\u{3000}MMR#x"), "mmr"),
        (Some("#x"), ""),
        (Some(""), "unknown"),
        (None, "unknown"),
    ] {
        assert_eq!(vaccine_type(sk), want, "{sk:?}");
    }
}
