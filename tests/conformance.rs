//! Runs every scenario of tests/conformance/public.jsonl through the checker
//! and compares the answer with what the service answered: status (verdict),
//! status + code + diagnostics, the event item and the delta item. Prints the
//! rates per category and the first mismatches; fails when a rate falls below
//! the floor recorded in tests/conformance/floor.json.

use imms_check::api::Request;
use imms_check::controller::check;
use serde_json::Value;
use std::collections::BTreeMap;

const CORPUS: &str = include_str!("conformance/public.jsonl");
const FLOOR: &str = include_str!("conformance/floor.json");

#[derive(Default)]
struct Tally {
    scenarios: usize,
    verdict: usize,
    diagnostics: usize,
    accepted: usize,
    item: usize,
    delta: usize,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.scenarios += other.scenarios;
        self.verdict += other.verdict;
        self.diagnostics += other.diagnostics;
        self.accepted += other.accepted;
        self.item += other.item;
        self.delta += other.delta;
    }
}

fn percent(hits: usize, total: usize) -> f64 {
    if total == 0 {
        100.0
    } else {
        100.0 * hits as f64 / total as f64
    }
}

/// The kind of answer the service gave, for reporting.
fn category(expect: &Value) -> &'static str {
    let status = expect["status"].as_u64().unwrap_or(0);
    let diagnostics = expect["diagnostics"].as_str().unwrap_or("");
    match status {
        200 | 201 => "accepted",
        500 => "server-error",
        _ if diagnostics.starts_with("Request's body contains malformed JSON") => "malformed-json",
        _ if diagnostics.contains(" for Immunization\n") => "structure",
        _ if diagnostics.starts_with("Validation errors: ") => "validation",
        _ => "other-400",
    }
}

#[test]
fn public_conformance_corpus() {
    let floor: Value = serde_json::from_str(FLOOR).expect("floor.json is JSON");
    let total = run_corpus("public corpus", CORPUS);
    let rates = [
        ("verdict", percent(total.verdict, total.scenarios)),
        ("diagnostics", percent(total.diagnostics, total.scenarios)),
        ("item", percent(total.item, total.accepted)),
        ("delta", percent(total.delta, total.accepted)),
    ];
    for (name, rate) in rates {
        let required = floor[name].as_f64().unwrap_or(100.0);
        assert!(
            rate + 1e-9 >= required,
            "{name} rate {rate:.2}% fell below the floor {required}%"
        );
    }
}

/// Another corpus in the same format, named by `IMMS_CHECK_CORPUS`: reported, no floor.
#[test]
fn extra_corpus_from_environment() {
    let Ok(path) = std::env::var("IMMS_CHECK_CORPUS") else {
        return;
    };
    let text = std::fs::read_to_string(&path).expect("IMMS_CHECK_CORPUS is readable");
    let total = run_corpus(&path, &text);
    assert!(total.scenarios > 0, "{path} holds no scenario");
}

fn run_corpus(label: &str, corpus: &str) -> Tally {
    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut mismatches = Vec::new();
    for line in corpus.lines().filter(|l| !l.trim().is_empty()) {
        let scenario: Value = serde_json::from_str(line).expect("corpus line is JSON");
        let name = scenario["name"].as_str().unwrap_or("?").to_string();
        let expect = &scenario["expect"];
        let request: Request =
            serde_json::from_value(scenario["request"].clone()).expect("corpus request");
        let outcome = check(&request).expect("corpus requests carry no options");
        let got: Value = serde_json::to_value(&outcome).expect("outcome serialises");

        let tally = tallies.entry(category(expect)).or_default();
        tally.scenarios += 1;
        let same_status = got["status"] == expect["status"];
        let same_answer = same_status
            && got["code"] == expect.get("code").cloned().unwrap_or(Value::Null)
            && got["diagnostics"] == expect.get("diagnostics").cloned().unwrap_or(Value::Null);
        tally.verdict += usize::from(same_status);
        tally.diagnostics += usize::from(same_answer);
        if !same_answer {
            mismatches.push(format!(
                "{name}\n  expected {} {:?}\n  got      {} {:?}",
                expect["status"],
                expect.get("diagnostics"),
                got["status"],
                got["diagnostics"]
            ));
        }
        if expect.get("item").is_some() {
            tally.accepted += 1;
            let same_item = got["item"] == expect["item"];
            let same_delta = got["delta"] == expect["delta"];
            tally.item += usize::from(same_item);
            tally.delta += usize::from(same_delta);
            if same_answer && !same_item {
                mismatches.push(format!(
                    "{name}: item differs\n  expected {}\n  got      {}",
                    expect["item"], got["item"]
                ));
            }
            if same_answer && !same_delta {
                mismatches.push(format!(
                    "{name}: delta differs\n  expected {}\n  got      {}",
                    expect["delta"], got["delta"]
                ));
            }
        }
    }

    let mut total = Tally::default();
    println!("\nconformance: {label}");
    println!(
        "{:<16} {:>9} {:>9} {:>12} {:>9} {:>9}",
        "category", "scenarios", "verdict%", "diagnostics%", "item%", "delta%"
    );
    for (name, tally) in &tallies {
        total.add(tally);
        print_row(name, tally);
    }
    print_row("all", &total);
    for mismatch in mismatches.iter().take(25) {
        println!("MISMATCH {mismatch}");
    }
    println!("{} mismatches in all", mismatches.len());

    total
}

fn print_row(name: &str, t: &Tally) {
    println!(
        "{:<16} {:>9} {:>9.2} {:>12.2} {:>9.2} {:>9.2}",
        name,
        t.scenarios,
        percent(t.verdict, t.scenarios),
        percent(t.diagnostics, t.scenarios),
        percent(t.item, t.accepted),
        percent(t.delta, t.accepted)
    );
}
