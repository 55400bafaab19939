//! The extension, protocolApplied, product, site/route, doseQuantity, reasonCode,
//! organization and location rules on hand-made bodies, with the exact texts
//! the service answers.

use serde_json::{json, Value as Json};

use super::*;
use crate::json::loads;

const BASE: &str = r##"{"resourceType": "Immunization", "contained": [{"resourceType": "Practitioner", "id": "Pract1", "name": [{"family": "Nightingale", "given": ["Florence"]}]}, {"resourceType": "Patient", "id": "Pat1", "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9000000009"}], "name": [{"family": "Taylor", "given": ["Sarah"]}], "gender": "unknown", "birthDate": "1965-02-28", "address": [{"postalCode": "EC1A 1BB"}]}], "extension": [{"url": "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationProcedure", "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "1324681000000101", "display": "Administration of first dose of severe acute respiratory syndrome coronavirus 2 vaccine (procedure)"}]}}], "identifier": [{"use": "official", "system": "https://supplierABC/identifiers/vacc", "value": "ACME-vacc123456"}], "status": "completed", "vaccineCode": {"coding": [{"system": "http://snomed.info/sct", "code": "39114911000001105", "display": "COVID-19 Vaccine Vaxzevria"}]}, "patient": {"reference": "#Pat1"}, "occurrenceDateTime": "2021-02-07T13:28:17+00:00", "recorded": "2021-02-07T13:28:17+00:00", "primarySource": true, "manufacturer": {"display": "AstraZeneca Ltd"}, "location": {"type": "Location", "identifier": {"value": "X99999", "system": "https://fhir.nhs.uk/Id/ods-organization-code"}}, "lotNumber": "4120Z001", "expirationDate": "2021-07-02", "site": {"coding": [{"system": "http://snomed.info/sct", "code": "368208006", "display": "Left upper arm structure (body structure)"}]}, "route": {"coding": [{"system": "http://snomed.info/sct", "code": "78421000", "display": "Intramuscular route (qualifier value)"}]}, "doseQuantity": {"value": 0.5, "unit": "milliliter", "system": "http://unitsofmeasure.org", "code": "ml"}, "performer": [{"actor": {"reference": "#Pract1"}}, {"actor": {"type": "Organization", "identifier": {"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "B0C4P"}}}], "reasonCode": [{"coding": [{"code": "443684005", "system": "http://snomed.info/sct"}]}], "protocolApplied": [{"targetDisease": [{"coding": [{"system": "http://snomed.info/sct", "code": "840539006", "display": "Disease caused by severe acute respiratory syndrome coronavirus 2"}]}], "doseNumberPositiveInt": 1}]}"##;

const PROCEDURE: &str =
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationProcedure";
const SITUATION: &str =
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationSituation";

/// 2025-06-01T12:00:00Z
fn ctx() -> Context {
    Context::at_epoch_seconds(1_748_779_200)
}

/// The base body with the value at each JSON pointer replaced by raw JSON text
/// (so `NaN`, `1E2` or `0.50` reach `json.loads` exactly as written); a `None`
/// text removes the member.
fn body(edits: &[(&str, Option<&str>)]) -> Node {
    let mut value: Json = serde_json::from_str(BASE).unwrap();
    for (index, (pointer, raw)) in edits.iter().enumerate() {
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let parent = if parent.is_empty() {
            &mut value
        } else {
            value.pointer_mut(parent).unwrap()
        };
        match (parent, raw) {
            (Json::Object(members), None) => {
                members.remove(key);
            }
            (Json::Array(items), None) => {
                items.remove(key.parse::<usize>().unwrap());
            }
            (Json::Object(members), Some(_)) => {
                members.insert(key.to_string(), json!(format!("@@{index}@@")));
            }
            (Json::Array(items), Some(_)) => {
                items[key.parse::<usize>().unwrap()] = json!(format!("@@{index}@@"));
            }
            _ => panic!("no container at {pointer}"),
        }
    }
    let mut text = value.to_string();
    for (index, (_, raw)) in edits.iter().enumerate() {
        if let Some(raw) = raw {
            text = text.replace(&format!("\"@@{index}@@\""), raw);
        }
    }
    loads(&text).unwrap()
}

fn set(pointer: &'static str, raw: &'static str) -> (&'static str, Option<&'static str>) {
    (pointer, Some(raw))
}

fn del(pointer: &'static str) -> (&'static str, Option<&'static str>) {
    (pointer, None)
}

/// The whole pre-validation's answer.
fn answer(edits: &[(&str, Option<&str>)]) -> Result<(), Raised> {
    validate(&body(edits), &ctx())
}

/// The diagnostics of a 400 answer.
fn diagnostics(edits: &[(&str, Option<&str>)]) -> String {
    match answer(edits) {
        Err(Raised::Invalid { diagnostics, .. }) => diagnostics,
        other => panic!("expected a 400, got {other:?}"),
    }
}

fn errors(list: &[&str]) -> String {
    format!("Validation errors: {}", list.join("; "))
}

#[test]
fn the_base_body_passes() {
    assert_eq!(answer(&[]), Ok(()));
}

#[test]
fn extension_must_be_present_with_value_codeable_concept_and_coding() {
    // The MandatoryError replaces the errors collected before it.
    assert_eq!(
        diagnostics(&[del("/extension"), set("/lotNumber", "1")]),
        "Validation errors: extension is a mandatory field"
    );
    let missing_concept = format!(
        "Validation errors: extension[?(@.url=='{PROCEDURE}')].valueCodeableConcept is a mandatory field"
    );
    assert_eq!(
        diagnostics(&[del("/extension/0/valueCodeableConcept")]),
        missing_concept
    );
    // `in` on a str item tests for a substring; iterating a str gives characters.
    assert_eq!(
        diagnostics(&[set("/extension", "\"abc\"")]),
        missing_concept
    );
    assert_eq!(
        diagnostics(&[set("/extension/0/valueCodeableConcept", "{\"text\": 1}")]),
        format!(
            "Validation errors: extension[?(@.url=='{PROCEDURE}')].valueCodeableConcept.coding is a mandatory field"
        )
    );
    // An empty list or str has no item to check.
    assert_eq!(
        diagnostics(&[set("/extension", "[]")]),
        errors(&["extension must be an array of length 1"])
    );
    assert_eq!(
        diagnostics(&[set("/extension", "\"\"")]),
        errors(&["extension must be an array"])
    );
}

#[test]
fn extension_items_of_other_types_leak_python_errors() {
    assert_eq!(
        diagnostics(&[set("/extension", "5")]),
        errors(&[
            "'int' object is not iterable",
            "'int' object is not iterable",
            "'int' object is not iterable",
            "extension must be an array",
            "'int' object is not iterable",
            "'int' object is not iterable",
        ])
    );
    assert_eq!(
        diagnostics(&[set("/extension/0", "7")]),
        errors(&[
            "'int' object has no attribute 'get'",
            "'int' object has no attribute 'get'",
            "argument of type 'int' is not iterable",
            "'int' object is not subscriptable",
            "'int' object has no attribute 'get'",
            "'int' object has no attribute 'get'",
        ])
    );
    // A list holding the key passes `in` and then cannot be indexed by a str.
    assert_eq!(
        diagnostics(&[set("/extension/0", "[\"valueCodeableConcept\"]")]),
        errors(&[
            "'list' object has no attribute 'get'",
            "'list' object has no attribute 'get'",
            "list indices must be integers or slices, not str",
            "list indices must be integers or slices, not str",
            "'list' object has no attribute 'get'",
            "'list' object has no attribute 'get'",
        ])
    );
    assert_eq!(
        diagnostics(&[set("/extension/0/valueCodeableConcept", "null")]),
        errors(&[
            "argument of type 'NoneType' is not iterable",
            "'NoneType' object is not subscriptable",
            "'NoneType' object is not subscriptable",
        ])
    );
}

#[test]
fn extension_url_and_procedure_coding() {
    assert_eq!(
        diagnostics(&[set("/extension/0/url", "\"https://example.org/ext\"")]),
        errors(&[&format!(
            "extension[0].url must be one of the following: {PROCEDURE}"
        )])
    );
    assert_eq!(
        diagnostics(&[set("/extension/0/url", "1.0")]),
        errors(&["extension[0].url must be a string"])
    );
    // Without a url the procedure extension is not found: nothing to check.
    assert_eq!(answer(&[del("/extension/0/url")]), Ok(()));
    let code = format!(
        "extension[?(@.url=='{PROCEDURE}')].valueCodeableConcept.coding[?(@.system=='http://snomed.info/sct')].code"
    );
    for (raw, failure) in [
        ("\"1324681000000102\"", "is not a valid snomed code"),
        ("\"01324681000000101\"", "is not a valid snomed code"),
        ("\"²324681000000101\"", "is not a valid snomed code"),
        ("\"   \"", "must be a non-empty string"),
        ("\"\"", "must be a non-empty string"),
        ("false", "must be a string"),
    ] {
        assert_eq!(
            diagnostics(&[set("/extension/0/valueCodeableConcept/coding/0/code", raw)]),
            errors(&[&format!("{code} {failure}")]),
            "code {raw}"
        );
    }
    // Digits of another script pass the SNOMED check as upstream's do.
    assert_eq!(
        answer(&[set(
            "/extension/0/valueCodeableConcept/coding/0/code",
            "\"١٣٢٤٦٨١٠٠٠٠٠٠101\""
        )]),
        Ok(())
    );
    assert_eq!(
        diagnostics(&[set(
            "/extension/0/valueCodeableConcept/coding/0/display",
            "[]"
        )]),
        errors(&[&format!(
            "extension[?(@.url=='{PROCEDURE}')].valueCodeableConcept.coding[?(@.system=='http://snomed.info/sct')].display must be a string"
        )])
    );
}

#[test]
fn vaccination_situation_is_checked_early_and_without_snomed_rules() {
    let situation = format!(
        "{{\"url\": \"{SITUATION}\", \"valueCodeableConcept\": {{\"coding\": [{{\"system\": \"http://snomed.info/sct\", \"code\": \"123\", \"display\": \" \"}}]}}}}"
    );
    let extension = format!(
        "[{{\"url\": \"{PROCEDURE}\", \"valueCodeableConcept\": {{\"coding\": []}}}}, {situation}]"
    );
    let extension: &'static str = Box::leak(extension.into_boxed_str());
    assert_eq!(
        diagnostics(&[set("/extension", extension), set("/lotNumber", "\"\"")]),
        errors(&[
            &format!(
                "extension[?(@.url=='{SITUATION}')].valueCodeableConcept.coding[?(@.system=='http://snomed.info/sct')].display must be a non-empty string"
            ),
            "lotNumber must be a non-empty string",
            "extension must be an array of length 1",
        ])
    );
}

#[test]
fn protocol_applied_and_dose_numbers() {
    assert_eq!(
        diagnostics(&[set("/protocolApplied", "\"\"")]),
        errors(&[
            "protocolApplied must be an array",
            "protocolApplied[0].targetDisease is a mandatory field",
            "string index out of range",
            "string index out of range",
        ])
    );
    assert_eq!(
        diagnostics(&[set("/protocolApplied", "[]")]),
        errors(&[
            "protocolApplied must be an array of length 1",
            "protocolApplied[0].targetDisease is a mandatory field",
            "list index out of range",
            "list index out of range",
        ])
    );
    // A dict indexed by 0 raises KeyError: a missing field everywhere.
    assert_eq!(
        diagnostics(&[set("/protocolApplied", "{\"a\": 1}")]),
        errors(&[
            "protocolApplied must be an array",
            "protocolApplied[0].targetDisease is a mandatory field",
        ])
    );
    let dose = "protocolApplied[0].doseNumberPositiveInt";
    for (raw, failure) in [
        ("true", "must be a positive integer"),
        ("1.0", "must be a positive integer"),
        ("0", "must be a positive integer"),
        ("-3", "must be a positive integer"),
        ("10", "must be an integer in the range 1 to 9"),
        (
            "123456789012345678901234567890",
            "must be an integer in the range 1 to 9",
        ),
        ("\"1\"", "must be a positive integer"),
    ] {
        assert_eq!(
            diagnostics(&[set("/protocolApplied/0/doseNumberPositiveInt", raw)]),
            errors(&[&format!("{dose} {failure}")]),
            "dose {raw}"
        );
    }
    assert_eq!(
        answer(&[set("/protocolApplied/0/doseNumberPositiveInt", "9")]),
        Ok(())
    );
    assert_eq!(
        diagnostics(&[set("/protocolApplied/0/doseNumberString", "\" \"")]),
        errors(&["protocolApplied[0].doseNumberString must be a non-empty string"])
    );
}

#[test]
fn target_disease_rules() {
    assert_eq!(
        diagnostics(&[del("/protocolApplied/0/targetDisease")]),
        errors(&["protocolApplied[0].targetDisease is a mandatory field"])
    );
    assert_eq!(
        diagnostics(&[set(
            "/protocolApplied/0/targetDisease",
            "[{\"text\": \"x\"}]"
        )]),
        errors(&["Every element of protocolApplied[0].targetDisease must have 'coding' property"])
    );
    assert_eq!(
        diagnostics(&[set("/protocolApplied/0/targetDisease", "7")]),
        errors(&[
            "'int' object is not iterable",
            "object of type 'int' has no len()",
            "object of type 'int' has no len()",
        ])
    );
    assert_eq!(
        diagnostics(&[set(
            "/protocolApplied/0/targetDisease",
            "[{\"coding\": [{\"system\": \"http://snomed.info/sct\", \"code\": \"840539006\"}]}, {\"coding\": [{\"system\": \"x\"}]}, {\"coding\": [{\"system\": \"http://snomed.info/sct\", \"code\": 5}, {\"system\": \"http://snomed.info/sct\"}]}]"
        )]),
        errors(&[
            "protocolApplied[0].targetDisease[1].coding must contain exactly one element with a system of http://snomed.info/sct",
            "protocolApplied[0].targetDisease[2].coding[?(@.system=='http://snomed.info/sct')].code must be a string",
        ])
    );
    // A str of targetDisease: `"coding" in "xcodingx"` holds, then each character is indexed.
    assert_eq!(
        diagnostics(&[set("/protocolApplied/0/targetDisease", "[\"xcodingx\"]")]),
        errors(&[
            "string indices must be integers, not 'str'",
            "string indices must be integers, not 'str'",
        ])
    );
    assert_eq!(
        diagnostics(&[set(
            "/protocolApplied/0/targetDisease/0/coding",
            "[{\"system\": \"http://snomed.info/sct\", \"code\": \"840539006\"}, \"x\"]"
        )]),
        errors(&[
            "'str' object has no attribute 'get'",
            "'str' object has no attribute 'get'",
        ])
    );
}

#[test]
fn product_fields() {
    assert_eq!(
        diagnostics(&[
            set("/manufacturer", "[\"display\"]"),
            set("/lotNumber", "0.5"),
            set("/expirationDate", "\"2021-02-30\"")
        ]),
        errors(&[
            "list indices must be integers or slices, not str",
            "lotNumber must be a string",
            "expirationDate must be a valid date string in the format \"YYYY-MM-DD\"",
        ])
    );
    // strptime's leniency: one-digit month and day, a space before the day,
    // digits of any script; a future expiry is fine.
    for raw in [
        "\"2021-7-2\"",
        "\"2021-07- 2\"",
        "\"٢٠٢١-07-02\"",
        "\"2999-12-31\"",
    ] {
        assert_eq!(answer(&[set("/expirationDate", raw)]), Ok(()), "{raw}");
    }
    assert_eq!(
        diagnostics(&[set("/expirationDate", "\"2021-07-02T00:00:00+00:00\"")]),
        errors(&["expirationDate must be a valid date string in the format \"YYYY-MM-DD\""])
    );
    assert_eq!(
        diagnostics(&[set("/expirationDate", "null")]),
        errors(&["expirationDate must be a string"])
    );
    let code = "vaccineCode.coding[?(@.system=='http://snomed.info/sct')].code";
    assert_eq!(
        diagnostics(&[set("/vaccineCode/coding/0/code", "\"39114911000001106\"")]),
        errors(&[&format!("{code} is not a valid snomed code")])
    );
    assert_eq!(
        diagnostics(&[set("/vaccineCode/coding/0/display", "\"\"")]),
        errors(&["vaccineCode.coding[?(@.system=='http://snomed.info/sct')].display must be a non-empty string"])
    );
    // No SNOMED coding: nothing to check.
    assert_eq!(
        answer(&[set("/vaccineCode/coding/0/system", "\"x\"")]),
        Ok(())
    );
}

#[test]
fn site_and_route_codings() {
    assert_eq!(
        diagnostics(&[set(
            "/site/coding",
            "[{\"system\": \"a\", \"code\": \"1\"}, {\"system\": \"a\"}]"
        )]),
        errors(&["site.coding[?(@.system=='a')] must be unique"])
    );
    // Systems equal under Python's `==` that are not str fail the message's `replace`.
    assert_eq!(
        diagnostics(&[set(
            "/route/coding",
            "[{\"system\": 1}, {\"system\": true}]"
        )]),
        errors(&["replace() argument 2 must be str, not bool"])
    );
    assert_eq!(
        diagnostics(&[set(
            "/route/coding",
            "[{\"system\": null}, {\"system\": null}]"
        )]),
        errors(&["replace() argument 2 must be str, not None"])
    );
    assert_eq!(
        diagnostics(&[set(
            "/site/coding",
            "[{\"system\": NaN}, {\"system\": NaN}]"
        )]),
        errors(&["replace() argument 2 must be str, not float"])
    );
    // An item without `system` ends the uniqueness check.
    assert_eq!(
        answer(&[set(
            "/site/coding",
            "[{\"code\": \"1\"}, {\"system\": \"a\"}, {\"system\": \"a\"}]"
        )]),
        Ok(())
    );
    assert_eq!(
        diagnostics(&[set("/site/coding/0/code", "5"), set("/route/coding/0/display", "\"\"")]),
        errors(&[
            "site.coding[?(@.system=='http://snomed.info/sct')].code must be a string",
            "route.coding[?(@.system=='http://snomed.info/sct')].display must be a non-empty string",
        ])
    );
    assert_eq!(
        diagnostics(&[set("/site/coding/0", "\"x\"")]),
        errors(&[
            "string indices must be integers, not 'str'",
            "'str' object has no attribute 'get'",
            "'str' object has no attribute 'get'",
        ])
    );
}

#[test]
fn dose_quantity_fields() {
    for raw in ["1", "0.50", "1E2", "-1"] {
        assert_eq!(answer(&[set("/doseQuantity/value", raw)]), Ok(()), "{raw}");
    }
    for raw in ["NaN", "Infinity", "true", "\"0.5\"", "null"] {
        assert_eq!(
            diagnostics(&[set("/doseQuantity/value", raw)]),
            errors(&["doseQuantity.value must be a number"]),
            "{raw}"
        );
    }
    assert_eq!(
        diagnostics(&[del("/doseQuantity/system")]),
        errors(&["If doseQuantity.code is present, doseQuantity.system must also be present"])
    );
    assert_eq!(
        diagnostics(&[
            set("/doseQuantity/system", "null"),
            set("/doseQuantity/unit", "1")
        ]),
        errors(&[
            "doseQuantity.system must be a string",
            "If doseQuantity.code is present, doseQuantity.system must also be present",
            "doseQuantity.unit must be a string",
        ])
    );
    // A null code needs no system (only its own string check fails).
    assert_eq!(
        diagnostics(&[
            set("/doseQuantity/code", "null"),
            del("/doseQuantity/system")
        ]),
        errors(&["doseQuantity.code must be a string"])
    );
    assert_eq!(
        diagnostics(&[set("/doseQuantity", "\"ml\"")]),
        errors(&[
            "string indices must be integers, not 'str'",
            "string indices must be integers, not 'str'",
            "string indices must be integers, not 'str'",
            "'str' object has no attribute 'get'",
            "string indices must be integers, not 'str'",
        ])
    );
}

#[test]
fn reason_codes() {
    assert_eq!(
        diagnostics(&[set("/reasonCode", "[{\"coding\": []}, {\"coding\": {}}]")]),
        errors(&[
            "reasonCode[0].coding must be a non-empty array",
            "list index out of range",
        ])
    );
    assert_eq!(
        diagnostics(&[set(
            "/reasonCode",
            "[{\"text\": \"x\"}, {\"coding\": [{\"code\": \"\"}]}]"
        )]),
        errors(&["reasonCode[1].coding[0].code must be a non-empty string"])
    );
    assert_eq!(
        diagnostics(&[set("/reasonCode", "{\"coding\": 1}")]),
        errors(&[
            "string indices must be integers, not 'str'",
            "string indices must be integers, not 'str'",
        ])
    );
    assert_eq!(
        diagnostics(&[set("/reasonCode/0/coding", "\"\"")]),
        errors(&[
            "reasonCode[0].coding must be an array",
            "string index out of range"
        ])
    );
}

#[test]
fn organization_and_location_identifiers() {
    assert_eq!(
        diagnostics(&[set("/performer/1/actor/identifier/system", "\" \"")]),
        errors(&["performer[?(@.actor.type=='Organization')].actor.identifier.system must be a non-empty string"])
    );
    assert_eq!(
        diagnostics(&[set("/performer/1/actor/identifier", "[]")]),
        errors(&[
            "list indices must be integers or slices, not str",
            "list indices must be integers or slices, not str",
        ])
    );
    assert_eq!(
        diagnostics(&[set("/location/identifier", "\"X99999\"")]),
        errors(&[
            "string indices must be integers, not 'str'",
            "string indices must be integers, not 'str'",
        ])
    );
    assert_eq!(
        diagnostics(&[
            set("/location/identifier/value", "[]"),
            set("/location/identifier/system", "\"\"")
        ]),
        errors(&[
            "location.identifier.value must be a string",
            "location.identifier.system must be a non-empty string",
        ])
    );
}

#[test]
fn failures_carry_their_field_location() {
    let imms = body(&[set("/doseQuantity/value", "true"), set("/lotNumber", "[]")]);
    match validate(&imms, &ctx()) {
        Err(Raised::Invalid { errors, .. }) => assert_eq!(
            errors,
            vec![
                FieldError::new("lotNumber must be a string", "lotNumber"),
                FieldError::new("doseQuantity.value must be a number", "doseQuantity.value"),
            ]
        ),
        other => panic!("expected a 400, got {other:?}"),
    }
}
