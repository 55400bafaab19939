//! Every accepted scenario of the conformance corpus: the event-table item and the
//! delta-table item built from the request must equal the recorded ones exactly
//! (same keys in the same order, same values).

use imms_check::json::{loads, Node, Value};
use imms_check::{delta, store};

const CORPUS: &str = include_str!("conformance/public.jsonl");

/// JSON text re-rendered through serde_json with key order kept, for exact comparison.
fn canonical(text: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) => serde_json::to_string(&v).unwrap_or_default(),
        Err(e) => format!("<invalid JSON: {e}: {text}>"),
    }
}

struct Built {
    item: String,
    delta: String,
}

fn build(request: &serde_json::Value, expected_item: &serde_json::Value) -> Result<Built, String> {
    let operation = request["operation"].as_str().unwrap_or("");
    let id = request["id"].as_str().unwrap_or("");
    let supplier = request["supplierSystem"].as_str().unwrap_or("");
    let body_text = request["body"].as_str().unwrap_or("");
    let mut body: Node = loads(body_text).map_err(|e| format!("loads: {e:?}"))?;
    // The vaccine type is taken from the expected PatientSK here; the controller derives it.
    let vaccine_type = expected_item["PatientSK"]
        .as_str()
        .and_then(|sk| sk.split('#').next())
        .unwrap_or("")
        .to_string();
    let item = match operation {
        "create" => {
            body.set("id", Node::synthetic(Value::Str(id.into())));
            let resource = store::stored_resource(&body).map_err(|e| format!("{e:?}"))?;
            store::create_item(&resource, id, &vaccine_type, supplier)
                .map_err(|e| format!("{e:?}"))?
        }
        "update" => {
            let version = request["version"].as_u64().unwrap_or(1);
            let timestamp = request["timestamp"].as_i64().unwrap_or(0);
            let stored = store::seeded_record(id, &body, version, supplier);
            let resource = store::stored_resource(&body).map_err(|e| format!("{e:?}"))?;
            store::update_item(&resource, id, &vaccine_type, supplier, timestamp, &stored)
                .map_err(|e| format!("{e:?}"))?
        }
        other => return Err(format!("operation {other}")),
    };
    let delta_item = delta::delta_item(&item).ok_or("no delta item")?;
    Ok(Built {
        item: item.to_json(),
        delta: delta_item.deterministic_json(),
    })
}

#[test]
fn accepted_scenarios_items_and_deltas_match() {
    let mut total = 0;
    let mut item_ok = 0;
    let mut delta_ok = 0;
    let mut failures = Vec::new();
    for line in CORPUS.lines() {
        let Ok(scenario) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let expect = &scenario["expect"];
        if expect.get("item").is_none() {
            continue;
        }
        total += 1;
        let name = scenario["name"].as_str().unwrap_or("").to_string();
        match build(&scenario["request"], &expect["item"]) {
            Ok(built) => {
                let want_item = serde_json::to_string(&expect["item"]).unwrap_or_default();
                let want_delta = serde_json::to_string(&expect["delta"]).unwrap_or_default();
                let got_item = canonical(&built.item);
                let got_delta = canonical(&built.delta);
                if got_item == want_item {
                    item_ok += 1;
                } else {
                    failures.push(format!(
                        "ITEM {name}\n  want {want_item}\n  got  {got_item}"
                    ));
                }
                if got_delta == want_delta {
                    delta_ok += 1;
                } else {
                    failures.push(format!(
                        "DELTA {name}\n  want {want_delta}\n  got  {got_delta}"
                    ));
                }
            }
            Err(e) => failures.push(format!("BUILD {name}: {e}")),
        }
    }
    eprintln!("items {item_ok}/{total}, deltas {delta_ok}/{total}");
    for f in failures.iter().take(6) {
        eprintln!("{f}");
    }
    assert!(total > 500, "corpus has {total} accepted scenarios");
    assert_eq!(item_ok, total, "items");
    assert_eq!(delta_ok, total, "deltas");
}
