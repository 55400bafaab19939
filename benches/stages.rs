//! Where the time of an accepted create goes: each stage of the request path
//! timed on its own over the accepted creates of a conformance corpus.
//!
//!     cargo bench --bench stages [-- --corpus FILE.jsonl] [--rounds N]
//!
//! Stages, in the order the service runs them: `json.loads` of the body, the
//! validation copy, site/route normalisation, pre-validation, the structural
//! (pydantic) parse, vaccine type, post-validation, the stored Resource, the event
//! item, its JSON renderings and the delta item. Medians of thread CPU time per request.

mod common;

use common::{category_of, median, time_per_item};
use imms_check::api::{Operation, Request};
use imms_check::json::{self, Node, Value};
use imms_check::vaccine_type::DiseaseMapping;
use imms_check::{
    controller, delta, postvalidation, prevalidation, store, structure, vaccine_type,
};
use serde_json::Value as Json;
use std::hint::black_box;

fn main() {
    let mut corpus = "tests/conformance/public.jsonl".to_string();
    let mut rounds = 15usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--corpus" => corpus = args.next().unwrap_or(corpus),
            "--rounds" => rounds = args.next().and_then(|n| n.parse().ok()).unwrap_or(rounds),
            _ => {}
        }
    }
    let text = std::fs::read_to_string(&corpus).unwrap_or_else(|e| panic!("{corpus}: {e}"));
    let requests: Vec<Request> = text
        .lines()
        .filter_map(|line| serde_json::from_str::<Json>(line).ok())
        .filter(|s| category_of(&s["expect"]) == "accepted")
        .filter_map(|s| serde_json::from_value::<Request>(s["request"].clone()).ok())
        .filter(|r| r.operation == Operation::Create)
        .collect();
    let now = 1_750_000_000;
    let mapping = DiseaseMapping::embedded();
    let context = prevalidation::Context::at_epoch_seconds(now);

    // Each stage's input, prepared once.
    let bodies: Vec<Node> = requests
        .iter()
        .filter_map(|r| json::loads(&r.body).ok())
        .collect();
    let copies: Vec<Node> = bodies
        .iter()
        .map(|b| {
            let mut copy = b.clone();
            let _ = prevalidation::normalise_site_and_route(&mut copy);
            copy
        })
        .collect();
    let types: Vec<String> = copies
        .iter()
        .map(|c| vaccine_type::vaccine_type(c, mapping).unwrap_or_default())
        .collect();
    let with_id: Vec<Node> = bodies
        .iter()
        .map(|b| {
            let mut b = b.clone();
            b.set(
                "id",
                Node::synthetic(Value::Str("5a9c0b6e-0000-4000-8000-000000000000".into())),
            );
            b
        })
        .collect();
    let resources: Vec<store::StoredResource> = with_id
        .iter()
        .filter_map(|b| store::stored_resource(b).ok())
        .collect();
    // Each item with the stored resource it was made from: the check makes the delta
    // from that resource's tape.
    let items: Vec<(&store::StoredResource, store::EventItem)> = resources
        .iter()
        .zip(&types)
        .filter_map(|(r, t)| Some((r, store::create_item(r, "5a9c0b6e", t, "TPP").ok()?)))
        .collect();
    let deltas: Vec<delta::DeltaItem> = items
        .iter()
        .filter_map(|(r, i)| delta::delta_item_of(i, Some(r)))
        .collect();

    type Stage<'a> = (&'static str, Box<dyn Fn() + 'a>);
    let stages: Vec<Stage> = vec![
        (
            "json.loads (body → tree)",
            Box::new(|| {
                for r in &requests {
                    black_box(json::loads(&r.body).ok());
                }
            }),
        ),
        (
            "validation copy (deepcopy)",
            Box::new(|| {
                for b in &bodies {
                    black_box(b.clone());
                }
            }),
        ),
        (
            "site/route normalisation (incl. copy)",
            Box::new(|| {
                for b in &bodies {
                    let mut copy = b.clone();
                    black_box(prevalidation::normalise_site_and_route(&mut copy).ok());
                }
            }),
        ),
        (
            "pre-validation",
            Box::new(|| {
                for c in &copies {
                    black_box(prevalidation::validate(c, &context).ok());
                }
            }),
        ),
        (
            "structure (pydantic parse_obj)",
            Box::new(|| {
                for c in &copies {
                    black_box(structure::validate(c).ok());
                }
            }),
        ),
        (
            "vaccine type",
            Box::new(|| {
                for c in &copies {
                    black_box(vaccine_type::vaccine_type(c, mapping).ok());
                }
            }),
        ),
        (
            "post-validation",
            Box::new(|| {
                for (c, t) in copies.iter().zip(&types) {
                    black_box(postvalidation::validate(c, t).ok());
                }
            }),
        ),
        (
            "stored Resource (parse_obj + .json)",
            Box::new(|| {
                for b in &with_id {
                    black_box(store::stored_resource(b).ok());
                }
            }),
        ),
        (
            "event item",
            Box::new(|| {
                for (r, t) in resources.iter().zip(&types) {
                    black_box(store::create_item(r, "5a9c0b6e", t, "TPP").ok());
                }
            }),
        ),
        (
            "item JSON + DynamoDB JSON",
            Box::new(|| {
                for (_, i) in &items {
                    black_box(i.to_json_pair());
                }
            }),
        ),
        (
            "delta item (Converter)",
            Box::new(|| {
                for (r, i) in &items {
                    black_box(delta::delta_item_of(i, Some(r)));
                }
            }),
        ),
        (
            "delta JSON + illustrative",
            Box::new(|| {
                for d in &deltas {
                    black_box(d.deterministic_json());
                    black_box(d.illustrative_json(now, 30));
                }
            }),
        ),
        (
            "full check (controller::check_at)",
            Box::new(|| {
                for r in &requests {
                    black_box(controller::check_at(r, now).ok());
                }
            }),
        ),
    ];

    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); stages.len()];
    for round in 0..=rounds {
        for (i, (_, stage)) in stages.iter().enumerate() {
            let (_, cpu) = time_per_item(requests.len(), stage);
            if round > 0 {
                samples[i].push(cpu);
            }
        }
    }
    println!(
        "{} accepted creates of {corpus}, {rounds} rounds, median CPU µs per request\n",
        requests.len()
    );
    println!("| stage | µs/request |");
    println!("|---|---:|");
    for ((name, _), samples) in stages.iter().zip(&samples) {
        println!("| {name} | {:.2} |", median(samples));
    }
}
