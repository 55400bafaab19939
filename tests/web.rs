//! The Wasm module in a real browser (`npm run test:browser`: wasm-bindgen-test-runner with
//! headless Chromium through chromedriver): a slice of the
//! public conformance corpus through the exported `check`, with requests built as JS objects
//! and outcomes read back as plain JS objects.
//!
//! The slice is every structural scenario of the first sample (names without a mutation
//! label `/mN/`: malformed and non-object JSON, deep nesting, pre-validation failures,
//! updates, accepted creates with their items) and the first scenarios of each category
//! (malformed JSON, pydantic, pre-validation, ...) until it holds at least
//! `MIN_PER_CATEGORY` of each. Its rates, measured as the
//! native conformance test measures them, must meet `tests/conformance/floor.json`.
#![cfg(target_arch = "wasm32")]

use imms_check::wasm::{check, disease_mapping, vaccine_types, validate, version};
use js_sys::{Array, Object, Reflect, JSON};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const CORPUS: &str = include_str!("conformance/public.jsonl");
const FLOOR: &str = include_str!("conformance/floor.json");

/// What a scenario's expected outcome shows it exercises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Category {
    MalformedJson,
    NotAnObject,
    Pydantic,
    PreValidation,
    OtherRejection,
    Accepted,
}

fn category(expect: &Value) -> Category {
    let diagnostics = expect["diagnostics"].as_str().unwrap_or("");
    if expect["item"].is_object() {
        Category::Accepted
    } else if diagnostics.starts_with("Request's body contains malformed JSON") {
        Category::MalformedJson
    } else if expect["status"] == 500 {
        Category::NotAnObject
    } else if diagnostics.contains(" validation error")
        && diagnostics.contains(" for Immunization\n")
    {
        Category::Pydantic
    } else if diagnostics.starts_with("Validation errors: ") {
        Category::PreValidation
    } else {
        Category::OtherRejection
    }
}

/// Scenarios of each category the slice holds at least.
const MIN_PER_CATEGORY: usize = 8;

struct Scenario {
    name: String,
    request: String,
    expect: Value,
}

fn slice() -> Vec<Scenario> {
    let mut first_sample = None;
    let mut picked = Vec::new();
    let mut per_category: Vec<(Category, usize)> = Vec::new();
    for line in CORPUS.lines().filter(|l| !l.trim().is_empty()) {
        let scenario: Value = serde_json::from_str(line).expect("corpus line is JSON");
        let name = scenario["name"]
            .as_str()
            .expect("scenario name")
            .to_string();
        let (sample, label) = name.split_once('/').expect("sample/label");
        let first = first_sample.get_or_insert_with(|| sample.to_string());
        let mutated = label.starts_with('m')
            && label[1..]
                .split('/')
                .next()
                .is_some_and(|n| n.parse::<u32>().is_ok());
        let category = category(&scenario["expect"]);
        let seen = match per_category.iter_mut().find(|(c, _)| *c == category) {
            Some((_, count)) => count,
            None => {
                per_category.push((category, 0));
                &mut per_category.last_mut().expect("just pushed").1
            }
        };
        if (sample == first && !mutated) || *seen < MIN_PER_CATEGORY {
            *seen += 1;
            picked.push(Scenario {
                name,
                request: scenario["request"].to_string(),
                expect: scenario["expect"].clone(),
            });
        }
    }
    picked
}

/// JSON equality where numbers compare by value (1 and 1.0 are equal, as in JS).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// The fields of every outcome (those of a CLI batch line).
const OUTCOME_FIELDS: [&str; 7] = [
    "status",
    "code",
    "diagnostics",
    "issues",
    "vaccineType",
    "item",
    "delta",
];

/// Fields an accepted outcome adds.
const OPTIONAL_FIELDS: [&str; 2] = ["deltaIllustrative", "itemDynamodb"];

/// Reads a JS outcome back, checking it is a plain object (no Map, no class instance).
fn plain_outcome(outcome: &JsValue, name: &str) -> Value {
    let object: &Object = outcome
        .dyn_ref()
        .unwrap_or_else(|| panic!("{name}: outcome is an object"));
    assert_eq!(
        Object::get_prototype_of(object),
        Object::get_prototype_of(&Object::new()),
        "{name}: plain object"
    );
    let keys: Vec<String> = Object::keys(object)
        .iter()
        .filter_map(|k| k.as_string())
        .collect();
    for field in OUTCOME_FIELDS {
        assert!(keys.iter().any(|k| k == field), "{name}: no {field}");
    }
    for key in &keys {
        assert!(
            OUTCOME_FIELDS.contains(&key.as_str()) || OPTIONAL_FIELDS.contains(&key.as_str()),
            "{name}: unexpected field {key}"
        );
    }
    let text = JSON::stringify(outcome)
        .expect("outcome is JSON")
        .as_string()
        .expect("JSON text");
    serde_json::from_str(&text).expect("outcome JSON parses")
}

#[wasm_bindgen_test]
fn corpus_slice_meets_the_floor_in_the_browser() {
    let scenarios = slice();
    let floor: Value = serde_json::from_str(FLOOR).expect("floor.json");
    let mut seen = Vec::new();
    let (mut verdict, mut diagnostics, mut item, mut delta, mut accepted) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    for scenario in &scenarios {
        let category = category(&scenario.expect);
        if !seen.contains(&category) {
            seen.push(category);
        }
        let request = JSON::parse(&scenario.request).expect("request JSON");
        let outcome = check(request).unwrap_or_else(|_| panic!("{}: check threw", scenario.name));
        let outcome = plain_outcome(&outcome, &scenario.name);
        let expect = &scenario.expect;
        let verdict_ok = outcome["status"] == expect["status"];
        let diagnostics_ok = verdict_ok
            && outcome["code"] == expect["code"]
            && outcome["diagnostics"] == expect["diagnostics"];
        verdict += usize::from(verdict_ok);
        diagnostics += usize::from(diagnostics_ok);
        if !diagnostics_ok {
            console_log!(
                "{}: got {} {} {}",
                scenario.name,
                outcome["status"],
                outcome["code"],
                outcome["diagnostics"]
            );
        }
        if category == Category::Accepted {
            accepted += 1;
            item += usize::from(same(&outcome["item"], &expect["item"]));
            delta += usize::from(same(&outcome["delta"], &expect["delta"]));
        }
    }
    for wanted in [
        Category::MalformedJson,
        Category::NotAnObject,
        Category::Pydantic,
        Category::PreValidation,
        Category::Accepted,
    ] {
        assert!(
            seen.contains(&wanted),
            "the slice has no {wanted:?} scenario"
        );
    }
    let total = scenarios.len();
    let rates = [
        ("verdict", verdict, total),
        ("diagnostics", diagnostics, total),
        ("item", item, accepted),
        ("delta", delta, accepted),
    ];
    for (measure, passed, of) in rates {
        let rate = if of == 0 {
            100.0
        } else {
            100.0 * passed as f64 / of as f64
        };
        console_log!("{measure}: {passed}/{of}");
        let minimum = floor[measure].as_f64().unwrap_or(100.0);
        assert!(
            rate + 1e-9 >= minimum,
            "{measure} rate {rate:.2}% is below the floor {minimum}%"
        );
    }
}

#[wasm_bindgen_test]
fn body_objects_are_sent_as_their_json_text() {
    let body = r#"{"resourceType": "Immunization", "status": "completed"}"#;
    let as_text = check(
        JSON::parse(&format!(
            r#"{{"operation":"create","supplierSystem":"TPP","body":{}}}"#,
            Value::from(body)
        ))
        .unwrap(),
    )
    .unwrap_or_else(|_| panic!("check threw"));
    let as_object = check(
        JSON::parse(&format!(
            r#"{{"operation":"create","supplierSystem":"TPP","body":{body}}}"#
        ))
        .unwrap(),
    )
    .unwrap_or_else(|_| panic!("check threw"));
    assert_eq!(
        plain_outcome(&as_text, "text"),
        plain_outcome(&as_object, "object")
    );
}

#[wasm_bindgen_test]
fn bad_arguments_throw_errors_with_messages() {
    let cases: [(JsValue, &str); 4] = [
        (JsValue::from(42), "check(request): expected an object"),
        (JsValue::NULL, "check(request): expected an object"),
        (
            JSON::parse(r#"{"body": "{}"}"#).unwrap(),
            "check(request): invalid request: missing field `operation`",
        ),
        (
            JSON::parse(r#"{"operation": "get"}"#).unwrap(),
            "check(request): invalid request: unknown variant `get`",
        ),
    ];
    for (argument, message) in cases {
        let error = match check(argument) {
            Ok(_) => panic!("expected an error for {message}"),
            Err(error) => JsValue::from(error),
        };
        let error: js_sys::Error = error.dyn_into().expect("a JS Error");
        let text = String::from(error.message());
        assert!(text.starts_with(message), "{text}");
    }
    assert!(validate(JsValue::UNDEFINED).is_err());
}

#[wasm_bindgen_test]
fn reference_tables_and_version() {
    let mapping: Array = disease_mapping()
        .unwrap_or_else(|_| panic!("diseaseMapping threw"))
        .dyn_into()
        .expect("array");
    let types: Array = vaccine_types().iter().map(JsValue::from).collect();
    assert_eq!(mapping.length(), types.length());
    assert!(types.length() > 5);
    let first = Reflect::get(&mapping.get(0), &"vacc_type".into()).expect("vacc_type");
    assert_eq!(first, types.get(0));
    assert!(types.includes(&"COVID".into(), 0));
    assert_eq!(version(), env!("CARGO_PKG_VERSION"));
}
