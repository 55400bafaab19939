//! Time and peak heap memory of one full check of a body of 4 KB, 64 KB, 1 MB and
//! 10 MB: the COVID sample grown with many vaccine codings, long contained names
//! and long strings. Both must grow linearly with the body.
//!
//!     cargo bench --bench scaling [-- --write-bodies DIR]
//!
//! Then the CLI's batch mode over files of 10,000 and 100,000 request lines (the
//! public conformance corpus's requests, repeated): its peak heap must not grow
//! with the number of lines.
//!
//! Peak memory is measured by this program's own allocator (bytes allocated and
//! not yet freed, at their highest during the check). `--write-bodies` also
//! writes the bodies, for the Wasm benchmark (bench/wasm.mjs --scaling DIR).

mod common;

use common::{median, time_per_item};
use imms_check::api::{Operation, Request};
use imms_check::controller::check_at;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged to the system allocator.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(pointer, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded unchanged to the system allocator.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            if new_size >= layout.size() {
                let grown = new_size - layout.size();
                let now = IN_USE.fetch_add(grown, Ordering::Relaxed) + grown;
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                IN_USE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const SAMPLE: &str = include_str!("../www/samples/completed_covid_immunization_event.json");

/// The sample grown to about `size` bytes: one third vaccine codings (after the
/// SNOMED one the rules read), one third further names of the contained Patient and Practitioner, one third a long
/// lot number.
pub fn grown_body(size: usize) -> String {
    let extra = size.saturating_sub(SAMPLE.len());
    let mut codings = String::new();
    let mut i = 0;
    while codings.len() < extra / 3 {
        codings.push_str(&format!(
            r#", {{"system": "http://example.org/vaccine-codes", "code": "C{i:07}", "display": "Vaccine product {i}"}}"#
        ));
        i += 1;
    }
    let mut patient_names = String::new();
    let mut practitioner_names = String::new();
    let mut j = 0;
    while patient_names.len() + practitioner_names.len() < extra / 3 {
        patient_names.push_str(&format!(
            r#", {{"use": "old", "family": "Family{j:07}", "given": ["Given{j:07}", "Second"]}}"#
        ));
        practitioner_names.push_str(&format!(
            r#", {{"family": "Surname{j:07}", "given": ["Forename{j:07}"]}}"#
        ));
        j += 1;
    }
    let lot_length = size
        .saturating_sub(
            SAMPLE.len() + codings.len() + patient_names.len() + practitioner_names.len(),
        )
        .max(8);
    SAMPLE
        .replacen(
            r#"(AstraZeneca UK Ltd) (product)""#,
            &format!(r#"(AstraZeneca UK Ltd) (product)"}}{codings}, {{"code": "last""#),
            1,
        )
        .replacen(
            "\"given\": [\"Sarah\"]\n        }",
            &format!("\"given\": [\"Sarah\"]\n        }}{patient_names}"),
            1,
        )
        .replacen(
            "\"given\": [\"Florence\"]\n        }",
            &format!("\"given\": [\"Florence\"]\n        }}{practitioner_names}"),
            1,
        )
        .replacen(
            r#""lotNumber": "4120Z001""#,
            &format!(r#""lotNumber": "{}""#, "L".repeat(lot_length)),
            1,
        )
}

fn main() {
    let mut write_dir: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--write-bodies" {
            write_dir = args.next();
        }
    }
    let now = 1_750_000_000;
    let sizes: [(&str, usize, usize); 4] = [
        ("4 KB", 4 << 10, 201),
        ("64 KB", 64 << 10, 51),
        ("1 MB", 1 << 20, 11),
        ("10 MB", 10 << 20, 5),
    ];
    println!("| body | bytes | answer | median CPU ms | µs per KB | peak heap | peak ÷ body |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (label, size, runs) in sizes {
        let body = grown_body(size);
        if let Some(dir) = &write_dir {
            let _ = std::fs::create_dir_all(dir);
            let path = format!("{dir}/scaling-{}.json", label.replace(' ', ""));
            std::fs::write(&path, &body).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
        let request = Request {
            operation: Operation::Create,
            body,
            id: Some("5a9c0b6e-0000-4000-8000-000000000001".into()),
            supplier_system: Some("TPP".into()),
            ..Request::default()
        };
        let status = check_at(&request, now).map_or(0, |o| o.status);
        let mut times = Vec::new();
        let mut peaks = Vec::new();
        for _ in 0..runs {
            let before = IN_USE.load(Ordering::Relaxed);
            PEAK.store(before, Ordering::Relaxed);
            let (_, cpu) = time_per_item(1, || {
                black_box(check_at(black_box(&request), now).ok());
            });
            times.push(cpu / 1000.0);
            peaks.push((PEAK.load(Ordering::Relaxed) - before) as f64);
        }
        let bytes = request.body.len();
        let ms = median(&times);
        let peak = median(&peaks);
        println!(
            "| {label} | {bytes} | {status} | {ms:.2} | {:.2} | {:.1} MB | {:.1} |",
            ms * 1000.0 / (bytes as f64 / 1024.0),
            peak / 1e6,
            peak / bytes as f64
        );
    }
    batch_memory();
}

fn batch_memory() {
    let corpus = std::fs::read_to_string("tests/conformance/public.jsonl").unwrap_or_default();
    let requests: Vec<String> = corpus
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .map(|scenario| scenario["request"].to_string())
        .collect();
    if requests.is_empty() {
        return;
    }
    println!();
    println!("| batch file | lines | MB | CPU seconds | peak heap |");
    println!("|---|---:|---:|---:|---:|");
    for lines in [10_000, 100_000] {
        let path = format!("target/imms-bench/batch-{lines}.jsonl");
        let mut text = String::new();
        for i in 0..lines {
            text.push_str(&requests[i % requests.len()]);
            text.push('\n');
        }
        let _ = std::fs::create_dir_all("target/imms-bench");
        std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let megabytes = text.len() as f64 / 1e6;
        drop(text);
        let before = IN_USE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let args = vec!["batch".to_string(), path.clone()];
        let mut code = 2;
        let (_, cpu_us) = time_per_item(1, || {
            code = imms_check::cli::run(
                &args,
                &mut std::io::empty(),
                &mut std::io::sink(),
                &mut std::io::sink(),
            );
        });
        let seconds = cpu_us / 1e6;
        assert_eq!(code, 0, "batch ran");
        let peak = PEAK.load(Ordering::Relaxed) - before;
        println!(
            "| {path} | {lines} | {megabytes:.0} | {seconds:.1} | {:.2} MB |",
            peak as f64 / 1e6,
        );
        let _ = std::fs::remove_file(&path);
    }
}
