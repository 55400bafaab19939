//! Structural validation (`Immunization.parse_obj`) against the conformance
//! corpus: where the recorded answer is a pydantic text, the structural stage
//! must give exactly that text; where the request was accepted, it must pass.
//!
//! Set `STRUCTURE_CORPUS=<file.jsonl>` to read another corpus.

use imms_check::json::{loads, Value};
use imms_check::prevalidation::normalise_site_and_route;
use imms_check::{structure, Raised};
use serde_json::Value as Json;

const CORPUS: &str = include_str!("conformance/public.jsonl");

fn is_pydantic_text(diagnostics: &str) -> bool {
    diagnostics.contains(" for Immunization\n")
        && diagnostics.split_once(' ').is_some_and(|(n, rest)| {
            n.parse::<usize>().is_ok() && rest.starts_with("validation error")
        })
}

#[test]
fn structure_reproduces_the_corpus() {
    let corpus = std::env::var("STRUCTURE_CORPUS")
        .ok()
        .and_then(|path| std::fs::read_to_string(path).ok())
        .unwrap_or_else(|| CORPUS.to_string());
    let (mut texts, mut texts_ok, mut passes, mut passes_ok) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for line in corpus.lines() {
        let scenario: Json = serde_json::from_str(line).expect("corpus line");
        let name = scenario["name"].as_str().unwrap_or_default();
        let request = &scenario["request"];
        let expect = &scenario["expect"];
        let status = expect["status"].as_i64().unwrap_or_default();
        let diagnostics = expect["diagnostics"].as_str().unwrap_or_default();
        let Some(body) = request["body"].as_str() else {
            continue;
        };
        let Ok(mut imms) = loads(body) else { continue };
        if !imms.is_object() {
            continue;
        }
        let creating = request["operation"].as_str() == Some("create");
        if creating
            && imms
                .get("id")
                .is_some_and(|id| !matches!(id.value, Value::Null))
        {
            continue;
        }
        if normalise_site_and_route(&mut imms).is_err() {
            continue;
        }
        let outcome = structure::validate(&imms);
        if is_pydantic_text(diagnostics) {
            texts += 1;
            match &outcome {
                Err(Raised::Invalid {
                    diagnostics: got, ..
                }) if got == diagnostics => texts_ok += 1,
                other => failures.push(format!(
                    "{name}\n  want: {diagnostics:?}\n  got:  {other:?}"
                )),
            }
            continue;
        }
        // Accepted requests passed the structural stage.
        if matches!(status, 200 | 201) {
            passes += 1;
            match &outcome {
                Ok(()) => passes_ok += 1,
                other => failures.push(format!("{name}\n  want: pass\n  got:  {other:?}")),
            }
        }
    }
    println!("pydantic texts reproduced: {texts_ok}/{texts}; accepted requests passing: {passes_ok}/{passes}");
    for f in failures.iter().take(40) {
        println!("{f}");
    }
    assert!(texts > 0 && passes > 0, "corpus has structural scenarios");
    assert!(
        failures.is_empty(),
        "{} structural mismatches",
        failures.len()
    );
}
