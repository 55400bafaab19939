//! Throughput of the full check (`controller::check_at`) over a conformance corpus,
//! by category of the service's answer, against the Python floor: Python's bare
//! `json.loads` + `json.dumps` of the same bodies (bench/python_floor.py), timed in
//! the same run, pass for pass, so that both see the same machine load.
//!
//!     cargo bench --bench check [-- --corpus FILE.jsonl] [--rounds N] [--json OUT.json] [--no-python]
//!                                  [--only CATEGORY]
//!
//! Each round times one pass over every category, natively and then in Python.
//! Times are per request, both wall-clock and thread CPU time; the tables quote the
//! median over the rounds of the CPU time (a core's throughput, not disturbed by
//! other processes on a shared machine).

mod common;

use common::{category_of, median, CATEGORIES};
use imms_check::api::Request;
use imms_check::controller::check_at;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

struct Scenario {
    request: Request,
    category: &'static str,
    status: u64,
}

struct Options {
    corpus: String,
    rounds: usize,
    json: Option<String>,
    python: bool,
    only: Option<String>,
}

fn options() -> Options {
    let mut options = Options {
        corpus: "tests/conformance/public.jsonl".into(),
        rounds: 15,
        json: Some("target/imms-bench/native.json".into()),
        python: true,
        only: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--corpus" => options.corpus = args.next().unwrap_or(options.corpus),
            "--rounds" => {
                options.rounds = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(options.rounds)
            }
            "--json" => options.json = args.next(),
            "--no-python" => options.python = false,
            "--only" => options.only = args.next(),
            _ => {} // `cargo bench` adds --bench
        }
    }
    options
}

fn load(path: &str) -> Vec<Scenario> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let scenario: Value = serde_json::from_str(line).expect("corpus line is JSON");
            let request: Request =
                serde_json::from_value(scenario["request"].clone()).expect("corpus request");
            Scenario {
                request,
                category: category_of(&scenario["expect"]),
                status: scenario["expect"]["status"].as_u64().unwrap_or(0),
            }
        })
        .collect()
}

/// The Python floor as a child process answering one timed pass per category asked.
struct PythonFloor {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    version: String,
}

impl PythonFloor {
    fn start(corpus: &str) -> Option<PythonFloor> {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/python_floor.py");
        let mut child = Command::new("python3")
            .args([script, corpus, "--serve"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| eprintln!("python3 not started: {e}"))
            .ok()?;
        let stdin = child.stdin.take()?;
        let mut stdout = BufReader::new(child.stdout.take()?);
        let mut ready = String::new();
        stdout.read_line(&mut ready).ok()?;
        let version = ready.trim().strip_prefix("ready ")?.to_string();
        Some(PythonFloor {
            child,
            stdin,
            stdout,
            version,
        })
    }

    /// One pass over `category`: (wall µs, CPU µs) per body.
    fn pass(&mut self, category: &str) -> Option<(f64, f64)> {
        writeln!(self.stdin, "{category}").ok()?;
        self.stdin.flush().ok()?;
        let mut answer = String::new();
        self.stdout.read_line(&mut answer).ok()?;
        let mut numbers = answer.split_whitespace().map(|n| n.parse::<f64>().ok());
        Some((numbers.next()??, numbers.next()??))
    }
}

impl Drop for PythonFloor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Default)]
struct Samples {
    wall: Vec<f64>,
    cpu: Vec<f64>,
}

fn main() {
    let options = options();
    let scenarios = load(&options.corpus);
    let now = 1_750_000_000; // a fixed clock; every corpus date lies before it

    // Agreement with the recorded answers, so that the numbers are for a checker that is right.
    let mut same_status = 0;
    for scenario in &scenarios {
        let status = check_at(&scenario.request, now).map_or(0, |o| u64::from(o.status));
        same_status += usize::from(status == scenario.status);
    }

    let mut groups: BTreeMap<&str, Vec<&Request>> = BTreeMap::new();
    for scenario in &scenarios {
        groups
            .entry(scenario.category)
            .or_default()
            .push(&scenario.request);
        if scenario.category != "accepted" {
            groups
                .entry("rejected")
                .or_default()
                .push(&scenario.request);
        }
        groups.entry("all").or_default().push(&scenario.request);
    }
    let names: Vec<&str> = CATEGORIES
        .iter()
        .copied()
        .filter(|c| groups.contains_key(c))
        .filter(|c| options.only.as_deref().is_none_or(|only| only == *c))
        .collect();

    let mut python = if options.python {
        PythonFloor::start(&options.corpus)
    } else {
        None
    };
    let mut native: BTreeMap<&str, Samples> = BTreeMap::new();
    let mut floor: BTreeMap<&str, Samples> = BTreeMap::new();
    for round in 0..=options.rounds {
        for &name in &names {
            let requests = &groups[name];
            let (wall, cpu) = common::time_per_item(requests.len(), || {
                for request in requests {
                    black_box(check_at(black_box(request), now).ok());
                }
            });
            let py = python.as_mut().and_then(|p| p.pass(name));
            if round == 0 {
                continue; // warm-up
            }
            let samples = native.entry(name).or_default();
            samples.wall.push(wall);
            samples.cpu.push(cpu);
            if let Some((wall, cpu)) = py {
                let samples = floor.entry(name).or_default();
                samples.wall.push(wall);
                samples.cpu.push(cpu);
            }
        }
    }

    println!(
        "corpus {} ({} requests; status agrees with the recorded answer for {}), {} rounds, medians",
        options.corpus,
        scenarios.len(),
        same_status,
        options.rounds
    );
    if let Some(p) = &python {
        println!(
            "Python floor: {} json.loads + json.dumps of the same bodies",
            p.version
        );
    }
    println!();
    println!("| category | requests | native µs/request (CPU) | native requests/s | wall µs | Python floor µs (CPU) | floor ÷ native |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let mut report = serde_json::Map::new();
    for &name in &names {
        let samples = &native[name];
        let cpu = median(&samples.cpu);
        let wall = median(&samples.wall);
        let py = floor.get(name).map(|s| median(&s.cpu));
        println!(
            "| {name} | {} | {cpu:.2} | {:.0} | {wall:.2} | {} | {} |",
            groups[name].len(),
            1e6 / cpu,
            py.map_or("-".into(), |p| format!("{p:.2}")),
            py.map_or("-".into(), |p| format!("{:.2}", p / cpu)),
        );
        report.insert(
            name.to_string(),
            json!({
                "requests": groups[name].len(),
                "cpu_us": cpu,
                "wall_us": wall,
                "python_cpu_us": py,
                "python_wall_us": floor.get(name).map(|s| median(&s.wall)),
            }),
        );
    }
    if let Some(path) = options.json {
        let report = json!({
            "corpus": options.corpus,
            "rounds": options.rounds,
            "status_agrees": same_status,
            "python": python.as_ref().map(|p| p.version.clone()),
            "categories": report,
        });
        if let Some(dir) = std::path::Path::new(&path).parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        match std::fs::write(&path, format!("{report:#}\n")) {
            Ok(()) => println!("\nwritten {path}"),
            Err(e) => eprintln!("cannot write {path}: {e}"),
        }
    }
}
