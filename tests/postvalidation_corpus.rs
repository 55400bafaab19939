//! Vaccine type and post-validation against the conformance corpus: every
//! scenario whose expected answer comes from these two stages, and every
//! accepted scenario (which must pass both, with the vaccine type the stored
//! item's `PatientSK` names).

use imms_check::json::{loads, Node};
use imms_check::postvalidation::{self, SNOMED, TARGET_DISEASE_CODES};
use imms_check::prevalidation::normalise_site_and_route;
use imms_check::vaccine_type::{vaccine_type, DiseaseMapping, ALL_TARGET_DISEASE_CODES};
use imms_check::Raised;

/// Locations of the fields the vaccine-type-agnostic validation set makes mandatory;
/// `*` stands for the name index chosen at run time.
const POST_MANDATORY: &[&str] = &[
    "contained[?(@.resourceType=='Patient')].name[*].given",
    "contained[?(@.resourceType=='Patient')].name[*].family",
    "contained[?(@.resourceType=='Patient')].birthDate",
    "contained[?(@.resourceType=='Patient')].gender",
    "contained[?(@.resourceType=='Patient')].address[0].postalCode",
    "occurrenceDateTime",
    "performer[?(@.actor.type=='Organization')].actor.identifier.value",
    "performer[?(@.actor.type=='Organization')].actor.identifier.system",
    "identifier[0].value",
    "identifier[0].system",
    "recorded",
    "primarySource",
    "extension[?(@.url=='https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationProcedure')].valueCodeableConcept.coding[?(@.system=='http://snomed.info/sct')].code",
    "location.identifier.value",
    "location.identifier.system",
];

/// Whether `location` is one of the post-validated mandatory locations.
fn is_post_location(location: &str) -> bool {
    POST_MANDATORY
        .iter()
        .any(|pattern| match pattern.split_once('*') {
            None => *pattern == location,
            Some((head, tail)) => location
                .strip_prefix(head)
                .and_then(|rest| rest.strip_suffix(tail))
                .is_some_and(|index| {
                    !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit())
                }),
        })
}

/// Whether the text is one the vaccine-type stage produces.
fn is_vaccine_type_text(diagnostics: &str) -> bool {
    if diagnostics == format!("Validation errors: {TARGET_DISEASE_CODES} is a mandatory field") {
        return true;
    }
    if diagnostics.starts_with(&format!("Validation errors: {ALL_TARGET_DISEASE_CODES} - ")) {
        return true;
    }
    let tail = format!("].coding[?(@.system=='{SNOMED}')].code is a mandatory field");
    diagnostics
        .strip_prefix("protocolApplied[0].targetDisease[")
        .and_then(|rest| rest.strip_suffix(tail.as_str()))
        .is_some_and(|index| !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether the text is one post-validation produces.
fn is_post_text(diagnostics: &str) -> bool {
    let Some(body) = diagnostics.strip_prefix("Validation errors: ") else {
        return false;
    };
    body.split("; ").all(|part| {
        part.strip_suffix(" is a mandatory field")
            .is_some_and(is_post_location)
    })
}

fn run(body: &Node, mapping: &DiseaseMapping) -> Result<String, Raised> {
    let vaccine_type = vaccine_type(body, mapping)?;
    postvalidation::validate(body, &vaccine_type)?;
    Ok(vaccine_type)
}

#[test]
fn corpus_vaccine_type_and_post_validation() {
    // IMMS_CORPUS names another corpus file of the same format.
    let path = std::env::var("IMMS_CORPUS").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/conformance/public.jsonl"
        )
        .to_string()
    });
    let corpus = std::fs::read_to_string(&path).expect("corpus present");
    let mapping = DiseaseMapping::default();
    let (mut vt_total, mut vt_pass) = (0, 0);
    let (mut post_total, mut post_pass) = (0, 0);
    let (mut ok_total, mut ok_pass) = (0, 0);
    let mut unparsed = 0;
    let mut failures = Vec::new();
    for line in corpus.lines() {
        let scenario: serde_json::Value = serde_json::from_str(line).expect("scenario is JSON");
        let name = scenario["name"].as_str().unwrap_or("").to_string();
        let expect = &scenario["expect"];
        let status = expect["status"].as_u64().unwrap_or(0);
        let diagnostics = expect["diagnostics"].as_str().unwrap_or("");
        // Whatever the body, both stages answer without panicking.
        if let Ok(any_body) = loads(scenario["request"]["body"].as_str().unwrap_or("")) {
            let _ = vaccine_type(&any_body, &mapping);
            let _ = postvalidation::validate(&any_body, "COVID");
        }
        let kind = if status == 200 || status == 201 {
            "accepted"
        } else if status == 400 && is_vaccine_type_text(diagnostics) {
            "vaccine type"
        } else if status == 400 && is_post_text(diagnostics) {
            "post-validation"
        } else {
            continue;
        };
        let body = scenario["request"]["body"].as_str().unwrap_or("");
        let Ok(mut imms) = loads(body) else {
            unparsed += 1;
            continue;
        };
        if normalise_site_and_route(&mut imms).is_err() {
            unparsed += 1;
            continue;
        }
        let got = run(&imms, &mapping);
        let passed = match kind {
            "accepted" => {
                ok_total += 1;
                let patient_sk = expect["item"]["PatientSK"].as_str().unwrap_or("");
                let expected_type = patient_sk.split('#').next().unwrap_or("");
                let good = matches!(&got, Ok(t) if t == expected_type);
                ok_pass += good as usize;
                good
            }
            _ => {
                let good =
                    matches!(&got, Err(Raised::Invalid { diagnostics: d, .. }) if d == diagnostics);
                if kind == "vaccine type" {
                    vt_total += 1;
                    vt_pass += good as usize;
                } else {
                    post_total += 1;
                    post_pass += good as usize;
                }
                good
            }
        };
        if !passed {
            failures.push(format!(
                "{name} [{kind}]\n  expected: {diagnostics}\n  got: {got:?}"
            ));
        }
    }
    eprintln!(
        "vaccine type {vt_pass}/{vt_total}, post-validation {post_pass}/{post_total}, accepted {ok_pass}/{ok_total}, bodies not parsed here {unparsed}"
    );
    for failure in failures.iter().take(30) {
        eprintln!("{failure}");
    }
    assert!(vt_total > 0 && post_total > 0 && ok_total > 0);
    assert!(failures.is_empty(), "{} scenarios differ", failures.len());
}
