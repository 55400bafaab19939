//! Pre-validation against the conformance corpus: wherever pre-validation
//! answers, its answer must be the recorded one; wherever the recorded answer
//! comes from a later stage (or the request was accepted), pre-validation must pass.
//!
//! Set `PREVALIDATION_CORPUS=<file.jsonl>` to read another corpus (lines without
//! `expect` are then only used for the stage comparison), and `PREVALIDATION_EXPECTED=<file.jsonl>` (lines `{"name", "pre": "pass"|"invalid"|"unhandled"|"skip",
//! "message"}`) to also compare the stage's outcome on every scenario exactly.

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use imms_check::json::loads;
use imms_check::prevalidation::{normalise_site_and_route, validate, Context};
use imms_check::Raised;
use serde_json::Value as Json;

const CORPUS: &str = include_str!("conformance/public.jsonl");

fn clock() -> Context {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| (d.as_secs() as i64, d.subsec_micros()))
        .unwrap_or((0, 0));
    Context {
        now_epoch_seconds: now.0,
        now_subsec_micros: now.1,
    }
}

/// Pre-validation's outcome on a scenario, `None` when the service answers before it.
fn pre_outcome(request: &Json, ctx: &Context) -> Option<Result<(), Raised>> {
    let body = request["body"].as_str()?;
    let mut imms = loads(body).ok()?;
    if !imms.is_object() {
        return None;
    }
    let creating = request["operation"].as_str() == Some("create");
    let has_id = imms
        .get("id")
        .is_some_and(|id| !matches!(id.value, imms_check::json::Value::Null));
    if creating && has_id {
        return None;
    }
    normalise_site_and_route(&mut imms).ok()?;
    Some(validate(&imms, ctx))
}

#[test]
fn prevalidation_reproduces_the_corpus() {
    let ctx = clock();
    let expected_stage: HashMap<String, Json> = std::env::var("PREVALIDATION_EXPECTED")
        .ok()
        .and_then(|path| std::fs::read_to_string(path).ok())
        .map(|text| {
            text.lines()
                .filter_map(|l| serde_json::from_str::<Json>(l).ok())
                .filter_map(|v| Some((v["name"].as_str()?.to_string(), v)))
                .collect()
        })
        .unwrap_or_default();

    let (mut answered, mut passed_on, mut deferred, mut skipped) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    let mut stage_mismatches = Vec::new();
    let corpus = std::env::var("PREVALIDATION_CORPUS")
        .ok()
        .and_then(|path| std::fs::read_to_string(path).ok())
        .unwrap_or_else(|| CORPUS.to_string());
    for line in corpus.lines() {
        let scenario: Json = serde_json::from_str(line).expect("corpus line");
        let name = scenario["name"].as_str().unwrap_or_default().to_string();
        let expect = &scenario["expect"];
        let status = expect["status"].as_i64().unwrap_or_default();
        let diagnostics = expect["diagnostics"].as_str().unwrap_or_default();
        let Some(outcome) = pre_outcome(&scenario["request"], &ctx) else {
            skipped += 1;
            continue;
        };
        if let Some(stage) = expected_stage.get(&name) {
            let (kind, message) = match &outcome {
                Ok(()) => ("pass", String::new()),
                Err(Raised::Invalid { diagnostics, .. }) => ("invalid", diagnostics.clone()),
                Err(Raised::Unhandled { python }) => ("unhandled", python.clone()),
            };
            let want_kind = stage["pre"].as_str().unwrap_or_default();
            let want_message = stage["message"].as_str().unwrap_or_default();
            if kind != want_kind || (kind == "invalid" && message != want_message) {
                stage_mismatches.push(format!(
                    "{name}\n  want {want_kind}: {want_message}\n  got  {kind}: {message}"
                ));
            }
        }
        if expect.is_null() {
            continue;
        }
        match outcome {
            Err(Raised::Invalid {
                diagnostics: got, ..
            }) => {
                if status == 400 && expect["code"] == "invariant" && got == diagnostics {
                    answered += 1;
                } else {
                    failures.push(format!(
                        "{name}\n  want {status} {diagnostics}\n  got  400 {got}"
                    ));
                }
            }
            Err(Raised::Unhandled { python }) => {
                if status == 500 {
                    answered += 1;
                } else {
                    failures.push(format!(
                        "{name}\n  want {status} {diagnostics}\n  got  500 ({python})"
                    ));
                }
            }
            Ok(()) => {
                if diagnostics.starts_with("Validation errors: ") || status == 500 {
                    // Could come from post-validation or mandation: not decided here.
                    deferred += 1;
                } else {
                    passed_on += 1;
                }
            }
        }
    }
    eprintln!(
        "pre-validation: {answered} answered as recorded, {passed_on} correctly passed on, \
         {deferred} passed on to a later stage's 'Validation errors'/500, {skipped} answered before \
         pre-validation, {} wrong",
        failures.len()
    );
    if !expected_stage.is_empty() {
        eprintln!("stage comparison: {} mismatches", stage_mismatches.len());
        for m in stage_mismatches.iter().take(30) {
            eprintln!("{m}");
        }
    }
    for f in failures.iter().take(30) {
        eprintln!("{f}");
    }
    assert!(failures.is_empty(), "{} scenarios wrong", failures.len());
    assert!(
        stage_mismatches.is_empty(),
        "{} stage mismatches",
        stage_mismatches.len()
    );
}
