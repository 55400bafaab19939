use super::{vaccine_type, vaccine_types, DiseaseMapping};
use crate::json::Node;
use crate::postvalidation::test_support::{at, node, remove, valid_with, VALID};
use crate::raised::Raised;

fn with_target_disease(json: &str) -> Node {
    valid_with(|imms| *at(imms, "protocolApplied/0/targetDisease") = node(json))
}

fn diagnostics(imms: &Node) -> String {
    match vaccine_type(imms, &DiseaseMapping::default()) {
        Err(Raised::Invalid { diagnostics, .. }) => diagnostics,
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn known_combinations_map_to_their_vaccine_type() {
    let mapping = DiseaseMapping::default();
    assert_eq!(vaccine_type(&node(VALID), &mapping).as_deref(), Ok("COVID"));
    let mmr = with_target_disease(
        r#"[{"coding": [{"system": "http://snomed.info/sct", "code": "36653000"}]},
            {"coding": [{"system": "http://example.org", "code": "1"},
                        {"system": "http://snomed.info/sct", "code": "14189004"}]},
            {"coding": [{"system": "http://snomed.info/sct", "code": "36989005"}]}]"#,
    );
    assert_eq!(vaccine_type(&mmr, &mapping).as_deref(), Ok("MMR"));
}

#[test]
fn unknown_combination_lists_the_codes_as_sent() {
    let imms = with_target_disease(
        r#"[{"coding": [{"system": "http://snomed.info/sct", "code": "6142004"}]},
            {"coding": [{"system": "http://snomed.info/sct", "code": "it's"}]}]"#,
    );
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: protocolApplied[0].targetDisease[*].coding[?(@.system=='http://snomed.info/sct')].code - ['6142004', \"it's\"] is not a valid combination of disease codes for this service"
    );
}

#[test]
fn missing_codes_name_the_target_disease_without_prefix() {
    let imms = with_target_disease(
        r#"[{"coding": [{"system": "http://snomed.info/sct", "code": "840539006"}]},
            {"coding": [{"system": "http://snomed.info/sct", "display": "x"}]}]"#,
    );
    assert_eq!(
        diagnostics(&imms),
        "protocolApplied[0].targetDisease[1].coding[?(@.system=='http://snomed.info/sct')].code is a mandatory field"
    );
    let no_snomed = with_target_disease(r#"[{"coding": [{"system": "x", "code": "1"}]}]"#);
    assert_eq!(
        diagnostics(&no_snomed),
        "protocolApplied[0].targetDisease[0].coding[?(@.system=='http://snomed.info/sct')].code is a mandatory field"
    );
    let no_coding = with_target_disease(
        r#"[{"coding": [{"system": "http://snomed.info/sct", "code": "840539006"}]}, {"text": "x"}]"#,
    );
    assert_eq!(
        diagnostics(&no_coding),
        "protocolApplied[0].targetDisease[1].coding[?(@.system=='http://snomed.info/sct')].code is a mandatory field"
    );
}

#[test]
fn empty_target_disease_and_null_code_name_index_zero_without_prefix() {
    let expected = "protocolApplied[0].targetDisease[0].coding[?(@.system=='http://snomed.info/sct')].code is a mandatory field";
    assert_eq!(diagnostics(&with_target_disease("[]")), expected);
    let null_code = with_target_disease(
        r#"[{"coding": [{"system": "http://snomed.info/sct", "code": "840539006"}]},
            {"coding": [{"system": "http://snomed.info/sct", "code": null}]}]"#,
    );
    assert_eq!(diagnostics(&null_code), expected);
}

#[test]
fn unreachable_target_disease_is_prefixed() {
    let imms = valid_with(|imms| remove(imms, "protocolApplied/0", "targetDisease"));
    assert_eq!(
        diagnostics(&imms),
        "Validation errors: protocolApplied[0].targetDisease[0].coding[?(@.system=='http://snomed.info/sct')].code is a mandatory field"
    );
    let empty = valid_with(|imms| *at(imms, "protocolApplied") = node("[]"));
    assert_eq!(diagnostics(&empty), diagnostics(&imms));
}

#[test]
fn wrongly_typed_values_are_unhandled() {
    let mapping = DiseaseMapping::default();
    let null = with_target_disease("null");
    assert_eq!(
        vaccine_type(&null, &mapping),
        Err(Raised::Unhandled {
            python: "TypeError: 'NoneType' object is not iterable".to_string()
        })
    );
    let int_code =
        with_target_disease(r#"[{"coding": [{"system": "http://snomed.info/sct", "code": 5}]}]"#);
    assert!(matches!(
        vaccine_type(&int_code, &mapping),
        Err(Raised::Unhandled { .. })
    ));
    let text_coding = with_target_disease(r#"[{"coding": "abc"}]"#);
    assert_eq!(
        vaccine_type(&text_coding, &mapping),
        Err(Raised::Unhandled {
            python: "AttributeError: 'str' object has no attribute 'get'".to_string()
        })
    );
}

#[test]
fn embedded_mapping_lists_the_services_vaccine_types() {
    let types = vaccine_types(&DiseaseMapping::default());
    assert_eq!(types.len(), 19);
    for expected in ["COVID", "FLU", "MMR", "RSV", "HPV", "3IN1", "SHINGLES"] {
        assert!(types.iter().any(|t| t == expected), "{expected}");
    }
}

#[test]
fn caller_mapping_replaces_the_embedded_one() {
    let mapping = DiseaseMapping::from_json(
        r#"[{"vacc_type": "COMBO", "diseases": [{"code": "b"}, {"code": "a"}]},
            {"note": "skipped"},
            {"vacc_type": "LATER", "diseases": [{"code": "a"}, {"code": "b"}]}]"#,
    )
    .unwrap();
    assert_eq!(mapping.lookup(["a", "b"]), Some("LATER"));
    assert_eq!(vaccine_types(&mapping), vec!["COMBO", "LATER"]);
    assert_eq!(
        vaccine_type(&node(VALID), &mapping),
        Err(Raised::Invalid {
            diagnostics: "Validation errors: protocolApplied[0].targetDisease[*].coding[?(@.system=='http://snomed.info/sct')].code - ['840539006'] is not a valid combination of disease codes for this service".to_string(),
            errors: vec![crate::raised::FieldError::new(
                "protocolApplied[0].targetDisease[*].coding[?(@.system=='http://snomed.info/sct')].code - ['840539006'] is not a valid combination of disease codes for this service",
                "protocolApplied[0].targetDisease[*].coding[?(@.system=='http://snomed.info/sct')].code",
            )],
        })
    );
    assert!(DiseaseMapping::from_json("{}").is_err());
    assert!(
        DiseaseMapping::from_json(r#"[{"vacc_type": "X", "diseases": [{"term": "t"}]}]"#).is_err()
    );
}

#[test]
fn lookup_by_one_code_is_the_joined_key_lookup() {
    let mapping = DiseaseMapping::default();
    let by_joined = |codes: &[&str]| {
        let mut sorted = codes.to_vec();
        sorted.sort_unstable();
        let key = sorted.join(":");
        mapping
            .lookup_joined_for_test(&key)
            .filter(|v| !v.is_empty())
    };
    let mut tried = 0;
    for entry in mapping.entries() {
        let codes: Vec<&str> = entry.diseases.iter().map(|d| d.code.as_str()).collect();
        let mut reversed = codes.clone();
        reversed.reverse();
        for asked in [
            &codes[..],
            &reversed[..],
            &codes[..1.min(codes.len())],
            &[][..],
        ] {
            assert_eq!(
                mapping.lookup(asked.iter().copied()),
                by_joined(asked),
                "{asked:?}"
            );
            tried += 1;
        }
    }
    assert!(tried > 40);
    assert_eq!(mapping.lookup(["840539006"]), Some("COVID"));
    assert_eq!(mapping.lookup(["840539006:x"]), None);
}
