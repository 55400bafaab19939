use super::test_support::{at, node, remove, valid_with, VALID};
use super::validate;
use crate::json::{Node, Value};
use crate::raised::Raised;

fn diagnostics(imms: &Node) -> String {
    match validate(imms, "COVID") {
        Err(Raised::Invalid { diagnostics, .. }) => diagnostics,
        other => panic!("expected a validation failure, got {other:?}"),
    }
}

fn set(imms: &mut Node, path: &str, json: &str) {
    *at(imms, path) = node(json);
}

#[test]
fn complete_resource_passes() {
    assert_eq!(validate(&node(VALID), "COVID"), Ok(()));
    assert_eq!(validate(&node(VALID), "FLU"), Ok(()));
}

#[test]
fn missing_mandatory_fields_are_reported_in_field_order() {
    let imms = valid_with(|imms| {
        remove(imms, "", "recorded");
        remove(imms, "", "location");
        remove(imms, "contained/1", "gender");
        remove(imms, "identifier/0", "value");
    });
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: contained[?(@.resourceType=='Patient')].gender is a mandatory field; \
         identifier[0].value is a mandatory field; recorded is a mandatory field; \
         location.identifier.value is a mandatory field; location.identifier.system is a mandatory field"
    );
    match validate(&imms, "COVID") {
        Err(Raised::Invalid { errors, .. }) => {
            let locations: Vec<&str> = errors.iter().map(|e| e.location.as_str()).collect();
            assert_eq!(
                locations,
                vec![
                    "contained[?(@.resourceType=='Patient')].gender",
                    "identifier[0].value",
                    "recorded",
                    "location.identifier.value",
                    "location.identifier.system",
                ]
            );
            assert_eq!(errors[2].message, "recorded is a mandatory field");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn required_and_optional_fields_may_be_absent() {
    let imms = valid_with(|imms| {
        remove(imms, "", "lotNumber");
        remove(imms, "", "manufacturer");
        remove(imms, "", "doseQuantity");
        remove(imms, "protocolApplied/0", "doseNumberPositiveInt");
        remove(imms, "contained/1", "identifier");
        remove(imms, "contained/0/name/0", "given");
    });
    assert_eq!(validate(&imms, "COVID"), Ok(()));
}

#[test]
fn vaccination_procedure_code_needs_a_snomed_coding() {
    let imms = valid_with(|imms| {
        set(
            imms,
            "extension/0/valueCodeableConcept/coding/0/system",
            r#""http://example.org""#,
        )
    });
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: extension[?(@.url=='https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationProcedure')].valueCodeableConcept.coding[?(@.system=='http://snomed.info/sct')].code is a mandatory field"
    );
}

#[test]
fn postal_code_is_taken_from_the_first_address_that_has_one() {
    let imms = valid_with(|imms| {
        set(
            imms,
            "contained/1/address",
            r#"[{"city": "X"}, {"postalCode": "EC1A 1BB"}]"#,
        )
    });
    assert_eq!(validate(&imms, "COVID"), Ok(()));
    // A null postal code is measured with len() and so hides every address.
    let imms = valid_with(|imms| {
        set(
            imms,
            "contained/1/address",
            r#"[{"postalCode": null}, {"postalCode": "EC1A 1BB"}]"#,
        )
    });
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: contained[?(@.resourceType=='Patient')].address[0].postalCode is a mandatory field"
    );
}

#[test]
fn organisation_identifier_is_read_from_the_organisation_performer() {
    let imms = valid_with(|imms| remove(imms, "performer/1/actor", "identifier"));
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: performer[?(@.actor.type=='Organization')].actor.identifier.value is a mandatory field; \
         performer[?(@.actor.type=='Organization')].actor.identifier.system is a mandatory field"
    );
}

#[test]
fn name_location_follows_the_current_name() {
    // Two names: the one with both parts, current and official, is chosen — index 1.
    let imms = valid_with(|imms| {
        set(
            imms,
            "contained/1/name",
            r#"[{"family": "A", "given": ["B"], "use": "old"},
                {"family": "C", "given": null, "use": "official"}]"#,
        )
    });
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: contained[?(@.resourceType=='Patient')].name[1].given is a mandatory field"
    );
    // A name whose period starts after the vaccination is not current.
    let imms = valid_with(|imms| {
        set(
            imms,
            "contained/1/name",
            r#"[{"family": null, "given": ["B"], "period": {"start": "2022-01-01"}},
                {"family": null, "given": ["D"], "period": {"end": "2021-12-31"}}]"#,
        )
    });
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: contained[?(@.resourceType=='Patient')].name[1].family is a mandatory field"
    );
    // No name has both parts: the first name is used.
    let imms = valid_with(|imms| {
        set(
            imms,
            "contained/1/name",
            r#"[{"given": ["B"]}, {"family": "C"}]"#,
        )
    });
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: contained[?(@.resourceType=='Patient')].name[0].family is a mandatory field"
    );
}

#[test]
fn name_period_compared_with_a_number_is_unhandled() {
    let imms = valid_with(|imms| {
        set(
            imms,
            "contained/1/name",
            r#"[{"family": "A", "given": ["B"], "period": {"start": 2020}},
                {"family": "C", "given": ["D"]}]"#,
        )
    });
    assert_eq!(
        validate(&imms, "COVID"),
        Err(Raised::Unhandled {
            python: "TypeError: '<' not supported between instances of 'str' and 'int'".to_string()
        })
    );
}

#[test]
fn non_object_contained_element_is_unhandled() {
    let imms = valid_with(|imms| {
        if let Value::Array(items) = &mut at(imms, "contained").value {
            items.push(node("7"));
        }
    });
    assert_eq!(
        validate(&imms, "COVID"),
        Err(Raised::Unhandled {
            python: "AttributeError: 'int' object has no attribute 'get'".to_string()
        })
    );
}

#[test]
fn wrongly_typed_containers_read_as_absent() {
    let imms = valid_with(|imms| {
        set(imms, "location", r#""X99999""#);
        set(imms, "identifier", r#"{"value": "x"}"#);
    });
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: identifier[0].value is a mandatory field; identifier[0].system is a mandatory field; \
         location.identifier.value is a mandatory field; location.identifier.system is a mandatory field"
    );
}

#[test]
fn vaccine_type_named_like_a_class_attribute_is_unhandled() {
    assert!(matches!(
        validate(&node(VALID), "__DOC__"),
        Err(Raised::Unhandled { .. })
    ));
    assert_eq!(validate(&node(VALID), "vaccine_type_agnostic"), Ok(()));
}

/// Every path of keys and indices to a value of `node` ("" is the root).
fn value_paths(node: &Node, prefix: &str, paths: &mut Vec<String>) {
    paths.push(prefix.to_string());
    let child = |step: String| {
        if prefix.is_empty() {
            step
        } else {
            format!("{prefix}/{step}")
        }
    };
    match &node.value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                value_paths(item, &child(i.to_string()), paths);
            }
        }
        Value::Object(members) => {
            for (k, v) in members {
                value_paths(v, &child(k.to_string()), paths);
            }
        }
        _ => {}
    }
}

/// Reading only the fields whose value or exception can matter answers what
/// reading every field does, with any value of any type anywhere in the body.
#[test]
fn fields_left_unread_change_nothing() {
    use super::{mandatory_failures, mandatory_failures_reading_every_field};
    use crate::prevalidation::Lookups;
    let mut paths = Vec::new();
    value_paths(&node(VALID), "", &mut paths);
    let replacements = [
        "null",
        "1",
        "1.5",
        "true",
        "\"x\"",
        "\"\"",
        "[]",
        "{}",
        "[1]",
        "[\"x\"]",
        "[null]",
        "[{}]",
        "[[]]",
        "{\"a\": 1}",
        "{\"type\": \"Organization\"}",
    ];
    let mut bodies = vec![node(VALID), node("[]"), node("\"x\""), node("null")];
    for path in &paths {
        if path.is_empty() {
            continue;
        }
        for replacement in replacements {
            bodies.push(valid_with(|imms| set(imms, path, replacement)));
        }
        let (parent, key) = path.rsplit_once('/').unwrap_or(("", path));
        bodies.push(valid_with(|imms| remove(imms, parent, key)));
    }
    let mut failures = 0;
    for body in &bodies {
        let lookups = Lookups::new(body);
        for vaccine_type in ["COVID", "__doc__"] {
            let fast = mandatory_failures(&lookups, vaccine_type);
            assert_eq!(
                fast,
                mandatory_failures_reading_every_field(&lookups, vaccine_type),
                "{vaccine_type} {:?}",
                crate::python::PyVal::Node(body).py_repr()
            );
            failures += usize::from(fast.is_err());
        }
    }
    assert!(bodies.len() > 500 && failures > bodies.len());
}
