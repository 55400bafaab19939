//! The direct renderer against the tree-then-dumps reference: same text, same keys,
//! same refusals, on every corpus body and on bodies changed in odd ways.

use super::*;
use crate::delta::doc::{read_tape, Doc, Kind};
use crate::json::{loads, lone_surrogate_char, Node, Value};
use crate::store::keys;
use crate::store::reference_tree::stored_tree;
use crate::store::render::TAPE_TEXT_LIMIT;

/// Renders `body` both ways and asserts they agree.
fn agree(body: &Node) -> bool {
    let fast = stored_resource(body);
    let reference = stored_tree(body);
    match (&fast, &reference) {
        (Ok(fast), Ok((tree, text))) => {
            assert_eq!(&fast.text, text);
            tape_agrees(fast);
            assert_eq!(
                fast.facts.contained_patient,
                keys::contained_patient(tree).map(|_| ()),
                "{text}"
            );
            assert_eq!(fast.facts.nhs_number, keys::nhs_number(tree), "{text}");
            assert_eq!(
                fast.facts.identifier_pk,
                keys::identifier_pk(tree),
                "{text}"
            );
            true
        }
        (Err(a), Err(b)) => {
            assert_eq!(a, b);
            false
        }
        _ => panic!(
            "fast {:?} reference {:?}",
            fast.as_ref().map(|r| &r.text),
            reference.map(|r| r.1)
        ),
    }
}

/// The tape recorded while writing, when there is one, is the one the delta's
/// reader reads from the text; answers whether there is one.
fn tape_agrees(resource: &StoredResource) -> bool {
    let Some(tape) = resource.tape.as_deref() else {
        return false;
    };
    let read = read_tape(&resource.text).expect("the reader reads a recorded text");
    assert_eq!(tape, read, "{}", resource.text);
    // No object repeats a key (the delta's member lookups rely on it).
    let doc = Doc::from_tape(&resource.text, tape);
    for (index, slot) in tape.iter().enumerate() {
        if slot.kind == Kind::Object {
            let keys: Vec<usize> = doc.members(index).map(|(key, _)| key).collect();
            for (n, &a) in keys.iter().enumerate() {
                for &b in &keys[n + 1..] {
                    assert!(!doc.same_key(a, b), "repeated key in {}", resource.text);
                }
            }
        }
    }
    true
}

/// The delta of an item created from `resource`, from the recorded tape and from
/// the text read again.
fn delta_agrees(resource: &StoredResource) {
    let Ok(item) = crate::store::create_item(resource, "5a9c0b6e", "COVID19", "TPP") else {
        return;
    };
    let read = crate::delta::delta_item(&item);
    let recorded = crate::delta::delta_item_of(&item, Some(resource));
    assert_eq!(recorded, read, "{}", resource.text);
}

fn corpus_bodies() -> Vec<Node> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/conformance/public.jsonl"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|s| s["request"]["body"].as_str().map(str::to_string))
        .filter_map(|body| loads(&body).ok())
        .filter(Node::is_object)
        .map(|mut body| {
            body.set("id", Node::synthetic(Value::Str("5a9c0b6e".into())));
            body
        })
        .collect()
}

/// Values put in place of existing ones.
fn odd_values() -> Vec<Value> {
    let s = |t: &str| Value::Str(t.into());
    let obj = |members: Vec<(&str, Value)>| {
        Value::Object(
            members
                .into_iter()
                .map(|(k, v)| (k.into(), Node::synthetic(v)))
                .collect(),
        )
    };
    let surrogate: String = ['a', lone_surrogate_char(0xD83D), 'é', '😀']
        .iter()
        .collect();
    vec![
        Value::Null,
        Value::Array(vec![]),
        Value::Object(vec![]),
        Value::Array(vec![Node::synthetic(Value::Null)]),
        Value::Array(vec![Node::synthetic(Value::Object(vec![]))]),
        s(""),
        s("\u{0663}\u{0663}"),
        s(&surrogate),
        s("\u{1}\"\\\u{7f}\u{2028}"),
        s("2021-02-07T13:28:17.271Z"),
        s("2021-02"),
        s("2021-2-7"),
        s("13:28:17"),
        s("yes"),
        s(" 1e2 "),
        Value::Int("-0".into()),
        Value::Int("00012".into()),
        Value::Decimal("1.50".into()),
        Value::Decimal("1E+400".into()),
        Value::Bool(true),
        obj(vec![("extension", Value::Array(vec![]))]),
        obj(vec![("fhir_comments", s("note"))]),
        obj(vec![("url", s("http://x")), ("valueString", s("v"))]),
        obj(vec![("noSuchKey", s("x"))]),
        obj(vec![("system", Value::Null), ("value", Value::Null)]),
        obj(vec![("value", Value::Int("123".into()))]),
        obj(vec![("resourceType", s("Patient")), ("id", s("p"))]),
        obj(vec![("resourceType", s("Practitioner"))]),
    ]
}

/// Every object and list position of `node`, as paths of keys and indices.
fn positions(node: &Node, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match &node.value {
        Value::Object(members) => {
            for (k, v) in members {
                at.push(Step::Key(k.to_string()));
                out.push(at.clone());
                positions(v, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                at.push(Step::Index(i));
                out.push(at.clone());
                positions(v, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn at_mut<'a>(node: &'a mut Node, path: &[Step]) -> Option<&'a mut Node> {
    let Some((step, rest)) = path.split_first() else {
        return Some(node);
    };
    let next = match (step, &mut node.value) {
        (Step::Key(k), Value::Object(members)) => {
            members.iter_mut().find(|(key, _)| key == k).map(|(_, v)| v)
        }
        (Step::Index(i), Value::Array(items)) => items.get_mut(*i),
        _ => None,
    }?;
    at_mut(next, rest)
}

#[test]
fn corpus_bodies_render_as_the_reference() {
    let bodies = corpus_bodies();
    let stored = bodies.iter().filter(|b| agree(b)).count();
    assert!(bodies.is_empty() || stored > 100, "{stored}");
    let resources: Vec<StoredResource> = bodies
        .iter()
        .filter_map(|b| stored_resource(b).ok())
        .collect();
    let taped = resources.iter().filter(|r| tape_agrees(r)).count();
    assert_eq!(taped, resources.len(), "every corpus Resource has its tape");
    for resource in &resources {
        delta_agrees(resource);
    }
}

#[test]
fn changed_bodies_render_as_the_reference() {
    let bodies = corpus_bodies();
    let values = odd_values();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut stored, mut refused) = (0, 0);
    for body in bodies.iter().step_by(7).take(300) {
        let mut spots = Vec::new();
        positions(body, &mut Vec::new(), &mut spots);
        for _ in 0..12 {
            let mut changed = body.clone();
            let spot = &spots[(next() as usize) % spots.len().max(1)..];
            let Some(path) = spot.first() else { break };
            let value = values[(next() as usize) % values.len()].clone();
            if let Some(node) = at_mut(&mut changed, path) {
                node.value = value;
            }
            // Now and then, a key under its Python name or an unknown key.
            if next() % 4 == 0 {
                if let Some(Step::Key(k)) = path.last() {
                    let parent = &path[..path.len() - 1];
                    if let Some(Value::Object(members)) =
                        at_mut(&mut changed, parent).map(|n| &mut n.value)
                    {
                        let renamed = match next() % 3 {
                            0 => format!("{}__ext", k.trim_start_matches('_')),
                            1 => format!("_{k}"),
                            _ => format!("{k}X"),
                        };
                        let value = Node::synthetic(Value::Object(vec![(
                            "extension".into(),
                            Node::synthetic(Value::Array(vec![Node::synthetic(Value::Object(
                                vec![(
                                    "url".into(),
                                    Node::synthetic(Value::Str("http://e".into())),
                                )],
                            ))])),
                        )]));
                        members.push((renamed.into(), value));
                    }
                }
            }
            if agree(&changed) {
                if let Ok(resource) = stored_resource(&changed) {
                    delta_agrees(&resource);
                }
                stored += 1;
            } else {
                refused += 1;
            }
        }
    }
    assert!(
        bodies.is_empty() || (stored > 100 && refused > 100),
        "{stored} {refused}"
    );
}

#[test]
fn python_names_companions_comments_and_empties() {
    let body = loads(
        r#"{"resourceType": "Immunization", "id": "x", "status__ext": {"extension": [{"url": "u", "valueString": "é"}]},
            "status": "completed", "_status": {"fhir_comments": ["a", 1]},
            "identifier": [{}, {"value": 5}], "contained": [{"resourceType": "Patient", "identifier": [{"value": 9000000009}]}],
            "extension": [], "note": [{"text": "t", "fhir_comments": "c"}, {}],
            "occurrenceDateTime": 1612704497, "fhir_comments": [], "lotNumber": null}"#,
    )
    .expect("json");
    assert!(agree(&body));
    let r = stored_resource(&body).expect("stored");
    assert!(
        r.text
            .contains(r#""_status": {"fhir_comments": ["a", "1"]}"#),
        "{}",
        r.text
    );
    assert_eq!(r.identifier_pk().as_deref(), Ok("None#None"));
    assert_eq!(r.facts.nhs_number.as_deref(), Ok("9000000009"));
    assert!(r.text.ends_with(r#""fhir_comments": []}"#), "{}", r.text);
    assert_eq!(
        r.tree()
            .and_then(|t| t.get("id").cloned())
            .and_then(|n| n.as_str().map(str::to_string))
            .as_deref(),
        Some("x")
    );

    let empty_patient_identifier =
        loads(r#"{"id": "x", "contained": [{"resourceType": "Patient", "identifier": [{"extension": []}]}]}"#)
            .expect("json");
    assert!(agree(&empty_patient_identifier));

    for refused in [
        r#"{"id": "x", "unknown": 1}"#,
        r#"{"id": "x", "identifier": {"value": "v"}}"#,
        r#"{"id": "x", "identifier": [null]}"#,
        r#"{"id": "x", "contained": [{"resourceType": "Nope"}]}"#,
        r#"{"id": "x", "contained": [{"resourceType": 5}]}"#,
        r#"{"id": "x", "status": ["completed"]}"#,
        r#"{"id": "x", "fhir_comments": [{}]}"#,
        r#"[]"#,
    ] {
        assert!(!agree(&loads(refused).expect("json")), "{refused}");
    }
}

#[test]
fn deep_nesting_is_refused_without_overflow() {
    let mut text = String::from(r#"{"id": "x", "extension": ["#);
    for _ in 0..300 {
        text.push_str(r#"{"url": "u", "extension": ["#);
    }
    text.push_str(r#"{"url": "u"}"#);
    for _ in 0..300 {
        text.push_str("]}");
    }
    text.push_str("]}");
    let body = loads(&text).expect("json");
    assert!(!agree(&body));
}

#[test]
fn recorded_tapes_of_odd_texts_are_the_read_ones() {
    let mut texts = vec![
        r#"{"id": "x"}"#.to_string(),
        r#"{}"#.to_string(),
        r#"{"id": "é\u0000\"\\\u007f\ud800\ud83d\ude00", "status": "a\tb", "lotNumber": "\u2028"}"#
            .to_string(),
        r#"{"id": "x", "doseQuantity": {"value": 0.50}, "protocolApplied": [{"doseNumberPositiveInt": 12}]}"#
            .to_string(),
        r#"{"id": "x", "doseQuantity": {"value": 1E+2}}"#.to_string(),
        r#"{"id": "x", "doseQuantity": {"value": -0.000001}}"#.to_string(),
        r#"{"id": "x", "doseQuantity": {"value": 0.0000001}}"#.to_string(),
        r#"{"id": "x", "doseQuantity": {"value": 12345678901234567890.123456789012345678901234567890}}"#
            .to_string(),
        r#"{"id": "x", "doseQuantity": {"value": 1e999999999999999999}}"#.to_string(),
        r#"{"id": "x", "doseQuantity": {"value": NaN}}"#.to_string(),
        r#"{"id": "x", "doseQuantity": {"value": -Infinity}}"#.to_string(),
        r#"{"id": "x", "doseQuantity": {"value": 5}}"#.to_string(),
        r#"{"id": "x", "primarySource": 1, "isSubpotent": "yes"}"#.to_string(),
        r#"{"id": "x", "occurrenceDateTime": "2021-02-07T13:28:17.271+00:00", "recorded": "2021-02-07", "expirationDate": "2021-02"}"#
            .to_string(),
        r#"{"id": "x", "occurrenceDateTime": 1612704497, "recorded": 1612704497.5}"#.to_string(),
        r#"{"id": "x", "fhir_comments": [], "_status": {"fhir_comments": ["\"", 1, 2.50]}}"#
            .to_string(),
        r#"{"id": "x", "fhir_comments": "é", "note": [{"text": "t"}, {}, {"text": "\n"}]}"#
            .to_string(),
        r#"{"id": "x", "identifier": [{}, {"value": 5}], "_status": {"extension": []}}"#.to_string(),
        r#"{"id": "x", "protocolApplied": [{"doseNumberPositiveInt": 1, "_doseNumberPositiveInt": {"extension": [{"url": "u"}]}}]}"#
            .to_string(),
        format!(r#"{{"id": "x", "identifier": [{{"value": "{}"}}]}}"#, "a\\\"".repeat(400)),
        format!(r#"{{"id": "x", "lotNumber": "{}"}}"#, "é".repeat(600)),
        r#"{"id": "x", "contained": [{"resourceType": "Patient", "name": [{"given": ["a", "b", "c"], "_given": [null, {"fhir_comments": "c"}, {}]}]}]}"#.to_string(),
    ];
    for depth in [1, 10, 100, 160] {
        let mut text = String::from(r#"{"id": "x", "extension": ["#);
        for _ in 0..depth {
            text.push_str(r#"{"url": "u", "valueDecimal": 1.0, "extension": ["#);
        }
        text.push_str(r#"{"url": "u"}"#);
        for _ in 0..depth {
            text.push_str("]}");
        }
        text.push_str("]}");
        texts.push(text);
    }
    let mut taped = 0;
    for text in &texts {
        let body = loads(text).expect("json");
        agree(&body);
        if let Ok(resource) = stored_resource(&body) {
            taped += usize::from(tape_agrees(&resource));
            delta_agrees(&resource);
        }
    }
    assert!(taped >= 23, "{taped}");
}

#[test]
fn no_tape_is_kept_for_a_text_longer_than_an_item_can_be() {
    let Some(body) = corpus_bodies()
        .into_iter()
        .find(|b| b.get("lotNumber").is_some())
    else {
        return;
    };
    let with_lot = |lot: String| {
        let mut body = body.clone();
        body.set("lotNumber", Node::synthetic(Value::Str(lot.into())));
        body
    };
    // The text's length with a one-letter lot number; each further letter adds one.
    let base = stored_resource(&with_lot("L".into()))
        .expect("a corpus body renders")
        .text
        .len();
    // (The writer also writes the contained Patient's identifier once more past the end,
    // to try it, and cuts it back: a text a few hundred bytes short of the limit may
    // pass it while that is written, and loses its tape too.)
    for target in [
        base + 10,
        TAPE_TEXT_LIMIT - 1024,
        TAPE_TEXT_LIMIT + 1,
        10 * TAPE_TEXT_LIMIT,
    ] {
        let body = with_lot("L".repeat(target - base + 1));
        assert!(agree(&body));
        let resource = stored_resource(&body).expect("renders");
        assert_eq!(resource.text.len(), target);
        let kept = target < TAPE_TEXT_LIMIT;
        assert_eq!(resource.tape.is_some(), kept, "text of {target} bytes");
        if kept {
            delta_agrees(&resource);
        }
    }
}
