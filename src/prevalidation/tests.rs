//! Pre-validation of hand-made bodies, with the service's exact answers.

use serde_json::{json, Value as Json};

use super::*;
use crate::json::loads;

const BASE: &str = r##"{"resourceType": "Immunization", "contained": [{"resourceType": "Practitioner", "id": "Pract1", "name": [{"family": "Nightingale", "given": ["Florence"]}]}, {"resourceType": "Patient", "id": "Pat1", "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9000000009"}], "name": [{"family": "Taylor", "given": ["Sarah"]}], "gender": "unknown", "birthDate": "1965-02-28", "address": [{"postalCode": "EC1A 1BB"}]}], "extension": [{"url": "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationProcedure", "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "1324681000000101", "display": "Administration of first dose of severe acute respiratory syndrome coronavirus 2 vaccine (procedure)"}]}}], "identifier": [{"use": "official", "system": "https://supplierABC/identifiers/vacc", "value": "ACME-vacc123456"}], "status": "completed", "vaccineCode": {"coding": [{"system": "http://snomed.info/sct", "code": "39114911000001105", "display": "COVID-19 Vaccine Vaxzevria"}]}, "patient": {"reference": "#Pat1"}, "occurrenceDateTime": "2021-02-07T13:28:17+00:00", "recorded": "2021-02-07T13:28:17+00:00", "primarySource": true, "manufacturer": {"display": "AstraZeneca Ltd"}, "location": {"type": "Location", "identifier": {"value": "X99999", "system": "https://fhir.nhs.uk/Id/ods-organization-code"}}, "lotNumber": "4120Z001", "expirationDate": "2021-07-02", "site": {"coding": [{"system": "http://snomed.info/sct", "code": "368208006", "display": "Left upper arm structure (body structure)"}]}, "route": {"coding": [{"system": "http://snomed.info/sct", "code": "78421000", "display": "Intramuscular route (qualifier value)"}]}, "doseQuantity": {"value": 0.5, "unit": "milliliter", "system": "http://unitsofmeasure.org", "code": "ml"}, "performer": [{"actor": {"reference": "#Pract1"}}, {"actor": {"type": "Organization", "identifier": {"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "B0C4P"}}}], "reasonCode": [{"coding": [{"code": "443684005", "system": "http://snomed.info/sct"}]}], "protocolApplied": [{"targetDisease": [{"coding": [{"system": "http://snomed.info/sct", "code": "840539006", "display": "Disease caused by severe acute respiratory syndrome coronavirus 2"}]}], "doseNumberPositiveInt": 1}]}"##;

/// 2025-06-01T12:00:00Z
fn ctx() -> Context {
    Context::at_epoch_seconds(1_748_779_200)
}

/// The base body after `edit`, as `json.loads` builds it.
fn body(edit: impl FnOnce(&mut Json)) -> Node {
    let mut value: Json = serde_json::from_str(BASE).unwrap();
    edit(&mut value);
    loads(&value.to_string()).unwrap()
}

fn at<'v>(value: &'v mut Json, pointer: &str) -> &'v mut Json {
    value.pointer_mut(pointer).unwrap()
}

fn diagnostics(imms: &Node) -> String {
    match validate(imms, &ctx()) {
        Err(Raised::Invalid { diagnostics, .. }) => diagnostics,
        other => panic!("expected a 400, got {other:?}"),
    }
}

fn message(result: PyResult<()>) -> String {
    result.unwrap_err().message
}

#[test]
fn base_body_passes() {
    assert_eq!(validate(&body(|_| {}), &ctx()), Ok(()));
}

#[test]
fn missing_contained_is_mandatory() {
    let imms = body(|b| {
        b.as_object_mut().unwrap().remove("contained");
    });
    assert_eq!(
        validate(&imms, &ctx()),
        Err(Raised::Invalid {
            diagnostics: "Validation errors: contained is a mandatory field".into(),
            errors: vec![FieldError::new(
                "contained is a mandatory field",
                "contained"
            )],
        })
    );
}

#[test]
fn missing_identifier_discards_errors_collected_before() {
    let imms = body(|b| {
        b.as_object_mut().unwrap().remove("identifier");
        b["status"] = json!("done");
    });
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: identifier is a mandatory field"
    );
}

#[test]
fn contained_failures_answer_alone() {
    let imms = body(|b| {
        at(b, "/contained")
            .as_array_mut()
            .unwrap()
            .push(json!({"resourceType": "Location", "id": "L"}));
        b["status"] = json!("done");
    });
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: contained must contain only Patient and Practitioner resources"
    );
    let imms = body(|b| {
        at(b, "/contained/1")["id"] = json!(1);
        at(b, "/contained/0")["id"] = json!(true);
    });
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: ids must not be duplicated amongst contained resources"
    );
}

#[test]
fn references() {
    let imms = body(|b| at(b, "/contained/0")["id"] = json!(1.50));
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: performer must not contain any internal references other than to the contained Practitioner resource"
    );
    let imms = body(|b| b["patient"]["reference"] = json!("#Pat2"));
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: The reference '#Pat2' does not match the id of the contained Patient resource"
    );
    let imms = body(|b| {
        at(b, "/performer")
            .as_array_mut()
            .unwrap()
            .push(json!({"actor": {"reference": "#Pract1"}}));
    });
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: contained Practitioner resource id 'Pract1' must only be referenced once from performer"
    );
}

#[test]
fn performer_of_wrong_type() {
    let imms = body(|b| b["performer"] = json!(5));
    let c = ctx();
    for validator in [
        contained::pre_validate_practitioner_reference as Validator,
        performer::pre_validate_performer,
        performer::pre_validate_organization_identifier_value,
    ] {
        assert_eq!(
            message(validator(&Lookups::new(&imms), &c)),
            "'int' object is not iterable"
        );
    }
}

#[test]
fn current_name_selection() {
    let imms = body(|b| {
        at(b, "/contained/1")["name"] = json!([
            {"family": "Old", "given": ["A"], "use": "old"},
            {"family": "", "given": ["B"], "use": "official", "period": {"start": "2020-01-01"}}
        ]);
    });
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: contained[?(@.resourceType=='Patient')].name[1].family must be a non-empty string"
    );
    let imms = body(|b| {
        at(b, "/contained/1")["name"] = json!([
            {"family": "A", "given": ["A"], "period": {"start": 5}},
            {"family": "B", "given": ["B"]}
        ]);
    });
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: '<' not supported between instances of 'str' and 'int'; '<' not supported between instances of 'str' and 'int'"
    );
    // Only the practitioner family check lets an AttributeError through.
    let imms = body(|b| {
        at(b, "/contained/0")["name"] = json!([
            {"family": "A", "given": ["A"], "period": "x"},
            {"family": "B", "given": ["B"]}
        ]);
    });
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: 'str' object has no attribute 'get'"
    );
}

#[test]
fn dates_against_the_clock() {
    let imms = body(|b| {
        at(b, "/contained/1")["birthDate"] = json!("2025-06-02");
        b["occurrenceDateTime"] = json!("2021-02-07T13:28:17+02:00");
        b["recorded"] = json!("2021-02-07T13:28:17+02:00");
    });
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: contained[?(@.resourceType=='Patient')].birthDate must not be in the future; \
         occurrenceDateTime must be a valid datetime in one of the following formats:\
         - 'YYYY-MM-DD' — Full date only\
         - 'YYYY-MM-DDThh:mm:ss%z' — Full date and time with timezone (e.g. +00:00 or +01:00)\
         - 'YYYY-MM-DDThh:mm:ss.f%z' — Full date and time with milliseconds and timezone\
         -  Date must not be in the future.\
         Only '+00:00' and '+01:00' are accepted as valid timezone offsets.\n\
         Note that partial dates are not allowed for occurrenceDateTime in this service.\n"
    );
    let imms = body(|b| b["occurrenceDateTime"] = json!("2025-06-01T12:59:59+01:00"));
    assert_eq!(validate(&imms, &ctx()), Ok(()));
    let imms = body(|b| b["occurrenceDateTime"] = json!("2025-06-01T13:00:01+01:00"));
    assert!(diagnostics(&imms)
        .starts_with("Validation errors: occurrenceDateTime must be a valid datetime"));
}

#[test]
fn nhs_numbers() {
    let imms = body(|b| at(b, "/contained/1/identifier/0")["value"] = json!("90000000²9"));
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: invalid literal for int() with base 10: '²'"
    );
    let imms = body(|b| at(b, "/contained/1/identifier/0")["value"] = json!("9000000008"));
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: contained[?(@.resourceType=='Patient')].identifier[?(@.system=='https://fhir.nhs.uk/Id/nhs-number')].value is not a valid NHS number"
    );
}

#[test]
fn unknown_elements_and_postal_codes() {
    let imms = body(|b| {
        b["foo"] = json!(1);
        at(b, "/contained/1")["text"] = json!("x");
        at(b, "/contained/0")["meta"] = json!({});
    });
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: foo is not an allowed element of the Immunization resource for this service; \
         meta is not an allowed element of the Practitioner resource for this service; \
         text is not an allowed element of the Patient resource for this service"
    );
    let imms = body(|b| {
        at(b, "/contained/1")["address"] = json!([{"postalCode": ""}, {"postalCode": " "}]);
    });
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: contained[?(@.resourceType=='Patient')].address[0].postalCode must be a non-empty string"
    );
}

#[test]
fn the_skipped_repeat_is_the_contained_resources_check() {
    let listed = super::VALIDATORS[super::REPEATED_CONTAINED_CHECK] as usize;
    let contained = super::contained::pre_validate_contained_contents as super::Validator as usize;
    assert_eq!(listed, contained);
    assert_eq!(
        super::VALIDATORS
            .iter()
            .filter(|v| **v as usize == contained)
            .count(),
        1
    );
}
