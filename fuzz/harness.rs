// The fuzzing harness, shared by the cargo-fuzz targets (fuzz/fuzz_targets/) and the
// regression test that replays their kept corpus (tests/adversarial.rs). It only
// uses the public API of imms-check and serde_json.
//
// `check_bytes`: any bytes become a request (first byte: operation and options,
// rest: the body). `check_mutated`: a valid sample payload mutated by the bytes
// (deletions, replacements, type changes, duplicated keys, raw number forms), so
// that the fuzzer explores deep in the validation rules rather than in the JSON
// syntax. Both check the outcome's invariants.

use imms_check::api::{Operation, Outcome, Request};
use imms_check::controller::check_at;
use serde_json::Value;

/// A fixed clock: outcomes depend only on the input.
pub const NOW: i64 = 1_750_000_000;

/// The valid payloads the structure-aware target starts from.
pub const SAMPLES: [&str; 7] = [
    include_str!("../www/samples/completed_covid_immunization_event.json"),
    include_str!("../www/samples/completed_covid_immunization_event_mandatory_fields_only.json"),
    include_str!("../www/samples/completed_flu_immunization_event.json"),
    include_str!("../www/samples/completed_hpv_immunization_event.json"),
    include_str!("../www/samples/completed_mmr_immunization_event.json"),
    include_str!("../www/samples/completed_rsv_immunization_event.json"),
    include_str!("../www/samples/reduce_validation_hpv_immunization_event.json"),
];

/// Checks what must hold for every outcome, whatever the request.
pub fn assert_invariants(request: &Request, outcome: &Outcome) {
    let accepted = matches!(outcome.status, 200 | 201 | 204);
    assert!(
        matches!(
            outcome.status,
            200 | 201 | 204 | 400 | 403 | 404 | 422 | 500
        ),
        "unexpected status {}",
        outcome.status
    );
    if accepted {
        assert!(outcome.code.is_none() && outcome.diagnostics.is_none());
    } else {
        let diagnostics = outcome.diagnostics.as_deref().unwrap_or("");
        assert!(outcome.code.is_some(), "a rejection has a code");
        assert!(!diagnostics.is_empty(), "a rejection has diagnostics");
        assert!(!outcome.issues.is_empty(), "a rejection has issues");
        assert!(outcome.item.is_none() && outcome.delta.is_none());
        if outcome.code.as_deref() == Some("invalid")
            && diagnostics.starts_with("Request's body contains malformed JSON: ")
        {
            assert_eq!(outcome.status, 400);
        }
        if outcome.status == 500 {
            assert_eq!(
                diagnostics,
                "Unable to process request. Issue may be transient."
            );
        }
        for issue in &outcome.issues {
            if let (Some(line), Some(column)) = (issue.line, issue.column) {
                assert!(line >= 1 && column >= 1, "positions are 1-based");
                let lines = request.body.split('\n').count();
                assert!(line <= lines, "line {line} beyond the body's {lines} lines");
            }
        }
    }
    if matches!(request.operation, Operation::Create | Operation::Update) && accepted {
        let item = outcome
            .item
            .as_ref()
            .expect("an accepted write has its item");
        assert!(item.get().starts_with('{'));
    }
    // The outcome always serialises (the CLI and the Wasm module write it as JSON).
    serde_json::to_string(outcome).expect("outcome serialises");
}

fn run(request: &Request) {
    if let Ok(outcome) = check_at(request, NOW) {
        assert_invariants(request, &outcome);
    }
}

/// Any bytes as a request: byte 0 chooses the operation and which headers are sent,
/// the rest (as UTF-8, invalid sequences replaced) is the body.
pub fn check_bytes(data: &[u8]) {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let body = String::from_utf8_lossy(body).into_owned();
    run(&request(selector, body));
}

fn request(selector: u8, body: String) -> Request {
    let operation = match selector % 4 {
        0 | 1 => Operation::Create,
        2 => Operation::Update,
        _ => Operation::Delete,
    };
    let id = match operation {
        Operation::Create => "5a9c0b6e-0000-4000-8000-000000000001",
        _ => ID_IN_BODY,
    };
    Request {
        operation,
        body,
        id: Some(id.into()),
        supplier_system: (selector & 0x10 == 0).then(|| "TPP".into()),
        version: (selector & 0x20 == 0)
            .then(|| ["1", "2", "0", "x"][usize::from(selector >> 6)].into()),
        timestamp: Some(NOW),
        ..Request::default()
    }
}

const ID_IN_BODY: &str = "5a9c0b6e-0000-4000-8000-000000000002";

/// Reads the fuzzer's bytes one at a time (zeros once exhausted).
struct Bytes<'a> {
    data: &'a [u8],
}

impl Bytes<'_> {
    fn next(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

/// Replacement values: JSON values, and raw number/literal texts that a
/// `serde_json::Value` cannot hold (written through a placeholder string).
const RAW_TEXTS: [&str; 12] = [
    "NaN",
    "Infinity",
    "-Infinity",
    "1e400",
    "1e1000000",
    "-0",
    "1.0",
    "0.50",
    "1E+2",
    "2.50E-3",
    "123456789012345678901234567890",
    "-0.0",
];

fn replacement(bytes: &mut Bytes, original: &Value) -> Value {
    let choice = bytes.next();
    match choice % 24 {
        0 => Value::Null,
        1 => Value::Bool(true),
        2 => Value::Bool(false),
        3 => Value::from(0),
        4 => Value::from(-1),
        5 => Value::from(10),
        6 => Value::from(""),
        7 => Value::from(" "),
        8 => Value::from("x"),
        9 => Value::Array(vec![]),
        10 => Value::Object(Default::default()),
        11 => Value::Array(vec![Value::Object(Default::default())]),
        12 => Value::from("2021-02-07T13:28:17.271+00:00"),
        13 => Value::from("2021-02-30"),
        14 => Value::from("9000000009"),
        15 => Value::from("http://snomed.info/sct"),
        16 => Value::from("\u{00e9}\u{2028}\u{0000}"),
        17 => Value::from(format!("__RAW_{}__", bytes.next() % RAW_TEXTS.len() as u8)),
        // Type changes of the original value.
        18 => match original {
            Value::String(s) => s.parse::<i64>().map(Value::from).unwrap_or(Value::from(1)),
            other => Value::from(other.to_string()),
        },
        19 => Value::Array(vec![original.clone()]),
        20 => match original {
            Value::Array(items) => items.first().cloned().unwrap_or(Value::Null),
            other => other.clone(),
        },
        21 => Value::from(format!("{} ", original.as_str().unwrap_or("a"))),
        22 => Value::from("a".repeat(usize::from(bytes.next()) * 8)),
        _ => serde_json::json!({"url": "x", "extension": [{"url": "y", "valueString": "z"}]}),
    }
}

/// The JSON pointer of the object or array under which a mutation applies,
/// walking up to five steps down from the root.
fn walk(root: &Value, bytes: &mut Bytes) -> String {
    let depth = bytes.next() % 6;
    let mut at = root;
    let mut pointer = String::new();
    for _ in 0..depth {
        let pick = usize::from(bytes.next());
        let next = match at {
            Value::Object(members) if !members.is_empty() => members
                .iter()
                .nth(pick % members.len())
                .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v)),
            Value::Array(items) if !items.is_empty() => {
                let index = pick % items.len();
                items.get(index).map(|v| (index.to_string(), v))
            }
            _ => None,
        };
        match next {
            Some((token, child)) if child.is_object() || child.is_array() => {
                pointer.push('/');
                pointer.push_str(&token);
                at = child;
            }
            _ => break,
        }
    }
    pointer
}

fn mutate(root: &mut Value, bytes: &mut Bytes) {
    let kind = bytes.next() % 5;
    let pointer = walk(root, bytes);
    let pick = usize::from(bytes.next());
    let Some(target) = root.pointer_mut(&pointer) else {
        return;
    };
    match target {
        Value::Object(members) if !members.is_empty() => {
            let index = pick % members.len();
            let Some(key) = members.keys().nth(index).cloned() else {
                return;
            };
            match kind {
                0 => {
                    members.shift_remove(&key);
                }
                1..=3 => {
                    if let Some(value) = members.get_mut(&key) {
                        *value = replacement(bytes, value);
                    }
                }
                _ => {
                    let keys = [
                        "resourceType",
                        "id",
                        "status",
                        "extra",
                        "_lotNumber",
                        "coding",
                    ];
                    let key = keys[usize::from(bytes.next()) % keys.len()];
                    let value = replacement(bytes, &Value::Null);
                    members.insert(key.to_string(), value);
                }
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let index = pick % items.len();
            match kind {
                0 => {
                    items.remove(index);
                }
                4 => {
                    let copy = items[index].clone();
                    items.push(copy);
                }
                _ => items[index] = replacement(bytes, &items[index]),
            }
        }
        _ => {}
    }
}

/// A sample payload mutated by `data`, sent as a create, an update of the same
/// record or a delete; optionally with a key duplicated in the text.
pub fn check_mutated(data: &[u8]) {
    let mut bytes = Bytes { data };
    let header = bytes.next();
    let sample = SAMPLES[usize::from(header) % SAMPLES.len()];
    let Ok(mut root) = serde_json::from_str::<Value>(sample) else {
        return;
    };
    let selector = bytes.next();
    let operation = request(selector, String::new()).operation;
    if operation != Operation::Create {
        if let Value::Object(members) = &mut root {
            members.insert("id".into(), Value::from(ID_IN_BODY));
        }
    }
    let mut mutations = 0;
    while !bytes.is_empty() && mutations < 8 {
        mutate(&mut root, &mut bytes);
        mutations += 1;
    }
    let mut body = if header & 0x80 == 0 {
        serde_json::to_string(&root)
    } else {
        serde_json::to_string_pretty(&root)
    }
    .unwrap_or_default();
    for (i, raw) in RAW_TEXTS.iter().enumerate() {
        body = body.replace(&format!("\"__RAW_{i}__\""), raw);
    }
    if header & 0x40 != 0 {
        // A duplicated key: Python keeps the last value.
        body = body.replacen("\"status\":", "\"status\": \"x\", \"status\":", 1);
    }
    run(&request(selector, body));
}
