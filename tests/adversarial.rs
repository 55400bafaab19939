//! Adversarial request bodies: extreme nesting, huge bodies, NUL bytes, lone
//! surrogates, numbers of thousands of digits, arrays of a million elements and
//! keys repeated ten thousand times. Each gets the answer the service gives to the
//! same body (measured by running the service's own code on it), and none may
//! panic, overflow the stack or take unbounded memory.
//!
//! The heaviest cases (50 MB bodies, million-element arrays) are `#[ignore]`d in
//! the default debug run; run everything, optimised, with
//!
//!     cargo test --release --test adversarial -- --include-ignored

use imms_check::api::{Operation, Outcome, Request};
use imms_check::controller::check_at;

const SAMPLE: &str = include_str!("../www/samples/completed_covid_immunization_event.json");
const NOW: i64 = 1_750_000_000;
const SERVER_ERROR: &str = "Unable to process request. Issue may be transient.";
const MALFORMED: &str = "Request's body contains malformed JSON: ";

/// The sample with `from` (which must occur exactly once) replaced by `to`.
fn sample_with(from: &str, to: &str) -> String {
    assert_eq!(
        SAMPLE.matches(from).count(),
        1,
        "{from:?} occurs once in the sample"
    );
    SAMPLE.replacen(from, to, 1)
}

fn lot_number(raw_json_text: &str) -> String {
    sample_with(
        r#""lotNumber": "4120Z001""#,
        &format!(r#""lotNumber": "{raw_json_text}""#),
    )
}

fn dose_value(number_text: &str) -> String {
    sample_with(r#""value": 0.5,"#, &format!(r#""value": {number_text},"#))
}

fn with_top_level_field(field_json: &str) -> String {
    sample_with(
        r#""resourceType": "Immunization","#,
        &format!(r#""resourceType": "Immunization", {field_json},"#),
    )
}

fn create(body: String) -> Outcome {
    let request = Request {
        operation: Operation::Create,
        body,
        id: Some("5a9c0b6e-0000-4000-8000-000000000001".into()),
        supplier_system: Some("TPP".into()),
        ..Request::default()
    };
    check_at(&request, NOW).expect("no caller options to refuse")
}

fn assert_rejected(outcome: &Outcome, status: u16, code: &str, diagnostics: &str) {
    assert_eq!(
        (
            outcome.status,
            outcome.code.as_deref(),
            outcome.diagnostics.as_deref()
        ),
        (status, Some(code), Some(diagnostics))
    );
    assert!(outcome.item.is_none() && outcome.delta.is_none());
    assert!(!outcome.issues.is_empty(), "a rejection explains itself");
}

fn assert_server_error(outcome: &Outcome) {
    assert_rejected(outcome, 500, "exception", SERVER_ERROR);
}

/// Accepted, and the stored Resource contains `fragment`.
fn assert_created_with(outcome: &Outcome, fragment: &str) {
    assert_eq!(outcome.status, 201, "{:?}", outcome.diagnostics);
    let item = outcome
        .item
        .as_ref()
        .expect("an accepted create writes an item");
    let item: serde_json::Value = serde_json::from_str(item.get()).expect("item is JSON");
    let resource = item["Resource"].as_str().expect("Resource is text");
    assert!(
        resource.contains(fragment),
        "Resource lacks {fragment:?}: {}",
        &resource[..resource.len().min(300)]
    );
    assert!(outcome.delta.is_some());
}

// --- nesting depth 100,000 -------------------------------------------------
// Python's json.loads raises RecursionError at the 991st nested container (500),
// before it would see any later syntax error; a syntax error before the deep
// part is a JSONDecodeError (400).

const DEEP: usize = 100_000;

#[test]
fn nested_arrays_100k_deep_are_a_server_error() {
    let body = with_top_level_field(&format!(r#""x": {}{}"#, "[".repeat(DEEP), "]".repeat(DEEP)));
    assert_server_error(&create(body));
}

#[test]
fn nested_objects_100k_deep_are_a_server_error() {
    let body = format!("{}1{}", r#"{"a": "#.repeat(DEEP), "}".repeat(DEEP));
    assert_server_error(&create(body));
}

#[test]
fn unclosed_nesting_100k_deep_is_a_server_error() {
    assert_server_error(&create("[".repeat(DEEP)));
}

#[test]
fn a_syntax_error_before_deep_nesting_is_reported_first() {
    let body = format!(r#"{{"a": tru, "b": {}"#, "[".repeat(DEEP));
    assert_rejected(
        &create(body),
        400,
        "invalid",
        &format!("{MALFORMED}Expecting value: line 1 column 7 (char 6)"),
    );
}

#[test]
fn brackets_inside_a_string_are_only_text() {
    let outcome = create(lot_number(&"[".repeat(DEEP)));
    assert_created_with(&outcome, r#""lotNumber": "[[[["#);
}

// --- 50 MB bodies ------------------------------------------------------------
// The table refuses an item over 405,000 bytes (500); a body that is large for
// other reasons is answered as any other.

const FIFTY_MB: usize = 50_000_000;

#[test]
#[ignore = "50 MB body: run with --release --include-ignored"]
fn a_50_mb_lot_number_is_too_large_for_the_table() {
    assert_server_error(&create(lot_number(&"A".repeat(FIFTY_MB))));
}

#[test]
fn a_lot_number_just_under_the_item_limit_is_stored() {
    // The item is the Resource (this body re-serialised) plus keys: 405,000 bytes exactly.
    let outcome = create(lot_number(&"A".repeat(402_282)));
    assert_created_with(&outcome, "AAAA");
    let outcome = create(lot_number(&"A".repeat(402_283)));
    assert_server_error(&outcome);
}

#[test]
#[ignore = "50 MB body: run with --release --include-ignored"]
fn fifty_mb_of_trailing_whitespace_is_accepted() {
    let body = format!("{SAMPLE}{}", " ".repeat(FIFTY_MB));
    assert_created_with(&create(body), r#""lotNumber": "4120Z001""#);
}

#[test]
#[ignore = "50 MB body: run with --release --include-ignored"]
fn a_50_mb_unknown_field_is_not_allowed() {
    let body = with_top_level_field(&format!(r#""note_x": "{}""#, "B".repeat(FIFTY_MB)));
    assert_rejected(
        &create(body),
        400,
        "invariant",
        "Validation errors: note_x is not an allowed element of the Immunization resource for this service",
    );
}

#[test]
#[ignore = "50 MB body: run with --release --include-ignored"]
fn fifty_mb_of_garbage_is_malformed_json() {
    let body = format!(r#"{{"a": {}"#, "x".repeat(FIFTY_MB));
    assert_rejected(
        &create(body),
        400,
        "invalid",
        &format!("{MALFORMED}Expecting value: line 1 column 7 (char 6)"),
    );
}

// --- NUL bytes ---------------------------------------------------------------

#[test]
fn a_raw_nul_inside_a_string_is_an_invalid_control_character() {
    let body = sample_with(r#""lotNumber": ""#, "\"lotNumber\": \"\0");
    assert_rejected(
        &create(body),
        400,
        "invalid",
        &format!("{MALFORMED}Invalid control character at: line 85 column 17 (char 2052)"),
    );
}

#[test]
fn an_escaped_nul_is_kept_in_the_stored_resource() {
    assert_created_with(
        &create(lot_number(r"A\u0000B")),
        r#""lotNumber": "A\u0000B""#,
    );
}

#[test]
fn a_nul_after_the_document_is_extra_data() {
    assert_rejected(
        &create(format!("{SAMPLE}\0")),
        400,
        "invalid",
        &format!("{MALFORMED}Extra data: line 154 column 1 (char 3418)"),
    );
}

#[test]
fn a_body_of_one_nul_expects_a_value() {
    assert_rejected(
        &create("\0".into()),
        400,
        "invalid",
        &format!("{MALFORMED}Expecting value: line 1 column 1 (char 0)"),
    );
}

// --- numbers of 10,000 digits ------------------------------------------------
// Python refuses to convert an int of more than 4,300 digits (ValueError inside
// json.loads: 500). Decimals have no such limit; an exponent beyond the decimal
// context overflows inside the FHIR model (500).

#[test]
fn an_int_of_10k_digits_is_a_server_error() {
    assert_server_error(&create(dose_value(&"1".repeat(10_000))));
}

#[test]
fn an_int_of_10k_digits_anywhere_is_a_server_error() {
    let body = with_top_level_field(&format!(r#""x": {}"#, "9".repeat(10_000)));
    assert_server_error(&create(body));
}

#[test]
fn ints_are_read_up_to_4300_digits() {
    assert_created_with(&create(dose_value(&"1".repeat(4300))), &"1".repeat(4300));
    assert_server_error(&create(dose_value(&"1".repeat(4301))));
}

#[test]
fn a_fraction_of_10k_digits_is_kept_exactly() {
    let digits = format!("0.{}", "1".repeat(10_000));
    assert_created_with(&create(dose_value(&digits)), &digits);
}

#[test]
fn an_exponent_of_10k_digits_overflows() {
    assert_server_error(&create(dose_value(&format!("1e{}", "1".repeat(10_000)))));
}

// --- arrays of 1,000,000 elements ------------------------------------------

const MILLION: usize = 1_000_000;

fn repeated(element: &str, times: usize) -> String {
    let mut out = String::with_capacity((element.len() + 2) * times);
    for i in 0..times {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(element);
    }
    out
}

#[test]
#[ignore = "million-element arrays: run with --release --include-ignored"]
fn a_million_element_unknown_field_is_not_allowed() {
    let body = with_top_level_field(&format!(r#""x": [{}]"#, repeated("0", MILLION)));
    assert_rejected(
        &create(body),
        400,
        "invariant",
        "Validation errors: x is not an allowed element of the Immunization resource for this service",
    );
}

#[test]
#[ignore = "million-element arrays: run with --release --include-ignored"]
fn a_million_given_names_exceed_the_maximum_of_five() {
    let body = sample_with(
        r#""given": ["Sarah"]"#,
        &format!(r#""given": [{}]"#, repeated(r#""Sarah""#, MILLION)),
    );
    assert_rejected(
        &create(body),
        400,
        "invariant",
        "Validation errors: contained[?(@.resourceType=='Patient')].name[0].given must be an array of maximum length 5",
    );
}

#[test]
#[ignore = "million-element arrays: run with --release --include-ignored"]
fn a_million_reason_codes_are_too_large_for_the_table() {
    let reason = r#"{"coding": [{"system": "http://snomed.info/sct", "code": "443684005"}]}"#;
    let body = sample_with(
        r#""reasonCode": ["#,
        &format!(r#""reasonCode": [{}, "#, repeated(reason, MILLION)),
    );
    assert_server_error(&create(body));
}

#[test]
fn ten_thousand_element_arrays_are_answered() {
    let body = with_top_level_field(&format!(r#""x": [{}]"#, repeated("0", 10_000)));
    assert_rejected(
        &create(body),
        400,
        "invariant",
        "Validation errors: x is not an allowed element of the Immunization resource for this service",
    );
}

// --- duplicate keys ×10,000 ------------------------------------------------
// A Python dict keeps the last value of a repeated key.

#[test]
fn the_last_of_10k_duplicate_keys_wins() {
    let body = sample_with(
        r#""status": "completed""#,
        &format!(
            r#"{}"status": "completed""#,
            r#""status": "x", "#.repeat(9_999)
        ),
    );
    assert_created_with(&create(body), r#""status": "completed""#);
    let body = sample_with(
        r#""status": "completed""#,
        &format!(
            r#"{}"status": "x""#,
            r#""status": "completed", "#.repeat(9_999)
        ),
    );
    assert_rejected(
        &create(body),
        400,
        "invariant",
        "Validation errors: status must be one of the following: completed",
    );
}

// --- lone surrogates -------------------------------------------------------

#[test]
fn a_lone_surrogate_is_stored_as_python_escapes_it() {
    assert_created_with(&create(lot_number(r"\ud800")), r#""lotNumber": "\ud800""#);
}

#[test]
fn a_lone_surrogate_in_the_identifier_cannot_be_sent_to_the_table() {
    let body = sample_with(r#""value": "ACME-vacc123456""#, r#""value": "ACME-\udc00""#);
    assert_server_error(&create(body));
}

// --- the command line: invalid UTF-8, lone surrogates, NUL ---------------------

fn cli(args: &[&str], stdin: &[u8]) -> (u8, String, String) {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = imms_check::cli::run(&args, &mut std::io::Cursor::new(stdin), &mut out, &mut err);
    (
        code,
        String::from_utf8(out).expect("output is UTF-8"),
        String::from_utf8(err).expect("errors are UTF-8"),
    )
}

#[test]
fn check_refuses_a_body_that_is_not_utf8() {
    let (code, out, err) = cli(&["check", "-"], b"{\"lotNumber\": \"\xff\xfe\"}");
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("is not UTF-8 text (invalid byte at offset 15)"),
        "{err}"
    );
}

#[test]
fn check_answers_a_body_with_a_raw_nul() {
    let (code, out, _) = cli(&["check", "-", "--json"], b"{\"a\": \"\0\"}");
    assert_eq!(code, 1);
    let outcome: serde_json::Value = serde_json::from_str(&out).expect("JSON outcome");
    assert_eq!(
        outcome["diagnostics"],
        format!("{MALFORMED}Invalid control character at: line 1 column 8 (char 7)")
    );
}

#[test]
fn batch_reports_a_line_that_is_not_utf8_and_goes_on() {
    let input = [
        &b"{\"operation\": \"create\", \"supplierSystem\": \"TPP\", \"body\": \"\xc3\x28\"}\n"[..],
        b"{\"operation\": \"create\", \"supplierSystem\": \"TPP\", \"body\": \"[]\"}\n",
    ]
    .concat();
    let (code, out, _) = cli(&["batch", "-"], &input);
    assert_eq!(code, 0);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["error"], "line 1: not UTF-8 text");
    assert_eq!(lines[1]["status"], 500);
}

#[test]
fn batch_keeps_lone_surrogates_in_bodies() {
    let escaped_body = serde_json::to_string(&lot_number(r"\ud800")).expect("JSON string");
    // A raw lone surrogate in the body text itself: JSON text can only carry it escaped.
    let raw_body = escaped_body.replacen(r"\\ud800", r"\ud800", 1);
    let mut input = String::new();
    for body in [&escaped_body, &raw_body] {
        input.push_str(&format!(
            r#"{{"operation": "create", "supplierSystem": "TPP", "id": "x1", "body": {body}}}"#
        ));
        input.push('\n');
    }
    let (code, out, _) = cli(&["batch", "-"], input.as_bytes());
    assert_eq!(code, 0);
    // The delta's BATCH_NUMBER holds the surrogate itself, written as Python writes
    // it (`"\ud800"`), which strict JSON readers such as serde_json refuse: read the text.
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    for line in lines {
        assert!(line.contains(r#""status":201"#), "{line}");
        assert!(line.contains(r#"\"lotNumber\": \"\\ud800\""#), "{line}");
        assert!(line.contains(r#""BATCH_NUMBER": "\ud800""#), "{line}");
    }
}

// --- the fuzzers' kept corpus ------------------------------------------------
// Every input the fuzz targets found interesting (fuzz/regressions/), replayed
// through the same harness: no panic, and the outcome's invariants hold.

#[allow(dead_code)]
#[path = "../fuzz/harness.rs"]
mod harness;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    inputs.sort();
    assert!(inputs.len() > 10, "the kept corpus is there");
    for path in inputs {
        let data = std::fs::read(&path).expect("readable input");
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{} fails", path.display());
    }
}

#[test]
fn fuzz_corpus_of_any_bytes_replays() {
    replay("check_bytes", harness::check_bytes);
}

#[test]
fn fuzz_corpus_of_mutated_samples_replays() {
    replay("check_mutated", harness::check_mutated);
}
