//! `imms_check::json::loads` against the behaviour of CPython 3.11's
//! `json.loads(text, parse_float=Decimal)`. Every expected error text below is
//! what Python printed for that input.

use imms_check::json::{
    line_column, loads, pointer_get, LoadError, Node, PyFloat, Value, MAX_PYTHON_NESTING,
};
use serde_json::{json, Value as Json};

/// (body, `str(JSONDecodeError)`), as CPython 3.11.7 renders them.
const DECODE_ERRORS: &[(&str, &str)] = &[
    ("", "Expecting value: line 1 column 1 (char 0)"),
    (" ", "Expecting value: line 1 column 2 (char 1)"),
    ("\n\n", "Expecting value: line 3 column 1 (char 2)"),
    (
        "{",
        "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
    ),
    ("[", "Expecting value: line 1 column 2 (char 1)"),
    ("}", "Expecting value: line 1 column 1 (char 0)"),
    ("]", "Expecting value: line 1 column 1 (char 0)"),
    (
        "{\"a\"",
        "Expecting ':' delimiter: line 1 column 5 (char 4)",
    ),
    (
        "{\"a\" ",
        "Expecting ':' delimiter: line 1 column 6 (char 5)",
    ),
    ("{\"a\":", "Expecting value: line 1 column 6 (char 5)"),
    ("{\"a\": ", "Expecting value: line 1 column 7 (char 6)"),
    (
        "{\"a\": 1",
        "Expecting ',' delimiter: line 1 column 8 (char 7)",
    ),
    (
        "{\"a\": 1,",
        "Expecting property name enclosed in double quotes: line 1 column 9 (char 8)",
    ),
    (
        "{\"a\": 1, }",
        "Expecting property name enclosed in double quotes: line 1 column 10 (char 9)",
    ),
    (
        "{\"a\": 1,}",
        "Expecting property name enclosed in double quotes: line 1 column 9 (char 8)",
    ),
    ("[1,]", "Expecting value: line 1 column 4 (char 3)"),
    ("[1, ]", "Expecting value: line 1 column 5 (char 4)"),
    ("[,]", "Expecting value: line 1 column 2 (char 1)"),
    ("[1 2]", "Expecting ',' delimiter: line 1 column 4 (char 3)"),
    (
        "{\"a\" 1}",
        "Expecting ':' delimiter: line 1 column 6 (char 5)",
    ),
    (
        "{\"a\": 1 \"b\": 2}",
        "Expecting ',' delimiter: line 1 column 9 (char 8)",
    ),
    (
        "{a: 1}",
        "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
    ),
    (
        "{'a': 1}",
        "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
    ),
    ("[1] x", "Extra data: line 1 column 5 (char 4)"),
    ("1 2", "Extra data: line 1 column 3 (char 2)"),
    ("nul", "Expecting value: line 1 column 1 (char 0)"),
    ("nulll", "Extra data: line 1 column 5 (char 4)"),
    ("tru", "Expecting value: line 1 column 1 (char 0)"),
    ("True", "Expecting value: line 1 column 1 (char 0)"),
    ("None", "Expecting value: line 1 column 1 (char 0)"),
    ("-NaN", "Expecting value: line 1 column 1 (char 0)"),
    ("-inf", "Expecting value: line 1 column 1 (char 0)"),
    ("nan", "Expecting value: line 1 column 1 (char 0)"),
    (
        "\"abc",
        "Unterminated string starting at: line 1 column 1 (char 0)",
    ),
    (
        "\"abc\\",
        "Unterminated string starting at: line 1 column 1 (char 0)",
    ),
    ("\"a\\x\"", "Invalid \\escape: line 1 column 3 (char 2)"),
    (
        "\"a\\u12\"",
        "Invalid \\uXXXX escape: line 1 column 4 (char 3)",
    ),
    (
        "\"a\\u12g4\"",
        "Invalid \\uXXXX escape: line 1 column 4 (char 3)",
    ),
    (
        "\"\\u1234",
        "Invalid \\uXXXX escape: line 1 column 3 (char 2)",
    ),
    (
        "\"\\ud800\\udc00",
        "Invalid \\uXXXX escape: line 1 column 9 (char 8)",
    ),
    (
        "\"\\ud800\\u00zz\"",
        "Invalid \\uXXXX escape: line 1 column 9 (char 8)",
    ),
    (
        "\"a\nb\"",
        "Invalid control character at: line 1 column 3 (char 2)",
    ),
    (
        "\"a\u{0}\"",
        "Invalid control character at: line 1 column 3 (char 2)",
    ),
    (
        "\"a\u{1f}\"",
        "Invalid control character at: line 1 column 3 (char 2)",
    ),
    (
        "\"é\nx\"",
        "Invalid control character at: line 1 column 3 (char 2)",
    ),
    (
        "{\"é\": \"ü\" x}",
        "Expecting ',' delimiter: line 1 column 11 (char 10)",
    ),
    (
        "[\"😀😀\", 1 2]",
        "Expecting ',' delimiter: line 1 column 10 (char 9)",
    ),
    ("é", "Expecting value: line 1 column 1 (char 0)"),
    ("[é]", "Expecting value: line 1 column 2 (char 1)"),
    (
        "\u{feff}{}",
        "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)",
    ),
    (
        "\u{feff}",
        "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)",
    ),
    (" \u{feff}{}", "Expecting value: line 1 column 2 (char 1)"),
    ("{\"a\":1}\u{feff}", "Extra data: line 1 column 8 (char 7)"),
    ("01", "Extra data: line 1 column 2 (char 1)"),
    ("-01", "Extra data: line 1 column 3 (char 2)"),
    ("1.", "Extra data: line 1 column 2 (char 1)"),
    ("1.e5", "Extra data: line 1 column 2 (char 1)"),
    ("1e", "Extra data: line 1 column 2 (char 1)"),
    ("1e+", "Extra data: line 1 column 2 (char 1)"),
    (".5", "Expecting value: line 1 column 1 (char 0)"),
    ("+1", "Expecting value: line 1 column 1 (char 0)"),
    ("-", "Expecting value: line 1 column 1 (char 0)"),
    ("- 1", "Expecting value: line 1 column 1 (char 0)"),
    ("1.5.", "Extra data: line 1 column 4 (char 3)"),
    (
        "{\"a\": [1, 2, {\"b\": null}]}x",
        "Extra data: line 1 column 27 (char 26)",
    ),
    ("[[[[[]]]]]]", "Extra data: line 1 column 11 (char 10)"),
    (
        "[[[[[]]]]",
        "Expecting ',' delimiter: line 1 column 10 (char 9)",
    ),
    (
        "{\"a\": {\"b\": {\"c\": [}}}",
        "Expecting value: line 1 column 20 (char 19)",
    ),
    (
        "\n\n  {\n \"a\": 1,\n \"b\": ,\n}",
        "Expecting value: line 5 column 7 (char 21)",
    ),
    ("[1,,2]", "Expecting value: line 1 column 4 (char 3)"),
    ("[\n1,\n2\n,]", "Expecting value: line 4 column 2 (char 8)"),
    ("{\"a\":1}}", "Extra data: line 1 column 8 (char 7)"),
    (
        "\"\\u00\"",
        "Invalid \\uXXXX escape: line 1 column 3 (char 2)",
    ),
    (
        "\"\\u\"",
        "Invalid \\uXXXX escape: line 1 column 3 (char 2)",
    ),
    (
        "\"\\",
        "Unterminated string starting at: line 1 column 1 (char 0)",
    ),
    (
        "\"",
        "Unterminated string starting at: line 1 column 1 (char 0)",
    ),
    ("\u{0}", "Expecting value: line 1 column 1 (char 0)"),
    (
        "{\"\u{1}\": 1}",
        "Invalid control character at: line 1 column 3 (char 2)",
    ),
    (
        "{\"a\"\u{0}: 1}",
        "Expecting ':' delimiter: line 1 column 5 (char 4)",
    ),
    (
        "[1\u{0}]",
        "Expecting ',' delimiter: line 1 column 3 (char 2)",
    ),
    ("[-]", "Expecting value: line 1 column 2 (char 1)"),
    ("[-a]", "Expecting value: line 1 column 2 (char 1)"),
    ("[--1]", "Expecting value: line 1 column 2 (char 1)"),
    ("[1-]", "Expecting ',' delimiter: line 1 column 3 (char 2)"),
    ("123abc", "Extra data: line 1 column 4 (char 3)"),
    (
        "[123abc]",
        "Expecting ',' delimiter: line 1 column 5 (char 4)",
    ),
    ("{\"a\": tru}", "Expecting value: line 1 column 7 (char 6)"),
    (
        "{\"a\": truee}",
        "Expecting ',' delimiter: line 1 column 11 (char 10)",
    ),
    (
        "[nulll]",
        "Expecting ',' delimiter: line 1 column 6 (char 5)",
    ),
    (
        "[NaNa]",
        "Expecting ',' delimiter: line 1 column 5 (char 4)",
    ),
    ("[Infinit]", "Expecting value: line 1 column 2 (char 1)"),
    ("\u{2028}[1]", "Expecting value: line 1 column 1 (char 0)"),
    ("[1]\u{a0}", "Extra data: line 1 column 4 (char 3)"),
    ("\u{a0}[1]", "Expecting value: line 1 column 1 (char 0)"),
];

fn parse(text: &str) -> Node {
    match loads(text) {
        Ok(node) => node,
        Err(e) => panic!("{text:?} failed: {e}"),
    }
}

/// The tree without spans, in the tagged form tests/tools/json_differential.py reads.
fn tagged(node: &Node) -> Json {
    match &node.value {
        Value::Null => json!(["null"]),
        Value::Bool(b) => json!(["bool", b]),
        Value::Int(text) => json!(["int", text.as_str()]),
        Value::Decimal(text) => json!(["dec", text.as_str()]),
        Value::Float(PyFloat::NaN) => json!(["float", "NaN"]),
        Value::Float(PyFloat::Infinity) => json!(["float", "Infinity"]),
        Value::Float(PyFloat::NegInfinity) => json!(["float", "-Infinity"]),
        Value::Str(s) => json!(["str", s.as_str()]),
        Value::Array(items) => json!(["list", items.iter().map(tagged).collect::<Vec<_>>()]),
        Value::Object(members) => json!([
            "dict",
            members
                .iter()
                .map(|(k, v)| json!([k.as_str(), tagged(v)]))
                .collect::<Vec<_>>()
        ]),
    }
}

/// Every node's span, re-parsed on its own, gives that node back.
fn assert_spans_reparse(text: &str, root: &Node) {
    let mut pending = vec![root];
    while let Some(node) = pending.pop() {
        let slice = &text[node.span.start..node.span.end];
        assert_eq!(
            tagged(&parse(slice)),
            tagged(node),
            "span {slice:?} of {text:?}"
        );
        match &node.value {
            Value::Array(items) => pending.extend(items.iter()),
            Value::Object(members) => pending.extend(members.iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}

#[test]
fn decode_error_texts_and_positions() {
    let mut wrong = Vec::new();
    for (body, expected) in DECODE_ERRORS {
        match loads(body) {
            Err(LoadError::Decode(e)) if e.to_string() == *expected => {}
            other => wrong.push(format!("{body:?}: expected {expected:?}, got {other:?}")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn decode_error_exposes_python_fields_and_byte_offset() {
    let Err(LoadError::Decode(e)) = loads("{\"é\": \"ü\"\n  x}") else {
        panic!("expected a decode error");
    };
    assert_eq!(
        (e.msg, e.pos, e.lineno, e.colno),
        ("Expecting ',' delimiter", 12, 2, 3)
    );
    assert_eq!(e.byte_offset, 14);
    assert_eq!(line_column("{\"é\": \"ü\"\n  x}", e.byte_offset), (2, 3));
}

#[test]
fn accepted_documents_and_python_types() {
    assert_eq!(
        tagged(&parse(
            "  [1e5, 1E+5, 1.0, -0, -0.0, 0e0, 12345678901234567890123]\t\r\n "
        )),
        json!([
            "list",
            [
                ["dec", "1e5"],
                ["dec", "1E+5"],
                ["dec", "1.0"],
                ["int", "-0"],
                ["dec", "-0.0"],
                ["dec", "0e0"],
                ["int", "12345678901234567890123"]
            ]
        ])
    );
    assert_eq!(
        tagged(&parse(
            "[NaN, Infinity, -Infinity, true, false, null, \"\"]"
        )),
        json!([
            "list",
            [
                ["float", "NaN"],
                ["float", "Infinity"],
                ["float", "-Infinity"],
                ["bool", true],
                ["bool", false],
                ["null"],
                ["str", ""]
            ]
        ])
    );
    assert_eq!(
        tagged(&parse(
            r#""\/\b\f\n\r\t\"\\ \u00e9 \ud83d\ude00 é😀 \u007f""#
        )),
        json!(["str", "/\u{8}\u{c}\n\r\t\"\\ é 😀 é😀 \u{7f}"])
    );
    // Unpaired surrogates, which Python keeps, become their private-use stand-ins.
    assert_eq!(
        tagged(&parse(r#"["\ud800", "\udc00\ud800", "\ud800\u0041"]"#)),
        json!([
            "list",
            [
                ["str", "\u{10f800}"],
                ["str", "\u{10fc00}\u{10f800}"],
                ["str", "\u{10f800}A"]
            ]
        ])
    );
    // Distinct lone surrogates stay distinct keys, as in Python.
    assert_eq!(
        tagged(&parse(r#"{"\ud800": 1, "\udc00": 2, "\ud800": 3}"#)),
        json!([
            "dict",
            [["\u{10f800}", ["int", "3"]], ["\u{10fc00}", ["int", "2"]]]
        ])
    );
    assert_eq!(tagged(&parse("{}")), json!(["dict", []]));
    assert_eq!(tagged(&parse("[ ]")), json!(["list", []]));
    assert_eq!(tagged(&parse("{ \n}")), json!(["dict", []]));
}

#[test]
fn duplicate_keys_keep_first_position_and_last_value() {
    assert_eq!(
        tagged(&parse(r#"{"a":1,"a":2,"b":3,"a":4}"#)),
        json!(["dict", [["a", ["int", "4"]], ["b", ["int", "3"]]]])
    );
    // Large objects switch to a key index; same semantics.
    let mut body = String::from("{");
    for i in 0..100 {
        body.push_str(&format!("\"k{}\": {i},", i % 40));
    }
    body.push_str("\"k3\": \"last\"}");
    let root = parse(&body);
    let members = root.as_object().map(<[_]>::to_vec).unwrap_or_default();
    assert_eq!(members.len(), 40);
    assert_eq!(members[0].0, "k0");
    assert_eq!(members[0].1.value, Value::Int("80".into()));
    assert_eq!(members[3].1.value, Value::Str("last".into()));
    assert_eq!(members[39].1.value, Value::Int("79".into()));
}

#[test]
fn spans_are_byte_ranges_of_each_value() {
    let text = " {\"é\": [1.5, \"ü😀\", {\"k\": null}], \"n\": -Infinity} ";
    let root = parse(text);
    assert_eq!((root.span.start, root.span.end), (1, text.len() - 1));
    let inner = pointer_get(&root, "/é/1").map(|n| n.span);
    assert_eq!(inner.map(|s| &text[s.start..s.end]), Some("\"ü😀\""));
    assert_spans_reparse(text, &root);
}

#[test]
fn nesting_beyond_pythons_recursion_limit_is_a_recursion_error() {
    let nested = |depth: usize| "[".repeat(depth) + &"]".repeat(depth);
    // Measured through the service's controller: 990 nested containers parse, 991 raise.
    assert_eq!(MAX_PYTHON_NESTING, 990);
    assert!(loads(&nested(MAX_PYTHON_NESTING)).is_ok());
    assert_eq!(
        loads(&nested(MAX_PYTHON_NESTING + 1)),
        Err(LoadError::RecursionLimit)
    );
    let objects =
        "{\"a\":".repeat(MAX_PYTHON_NESTING + 1) + "{}" + &"}".repeat(MAX_PYTHON_NESTING + 1);
    assert_eq!(loads(&objects), Err(LoadError::RecursionLimit));
    // 100k deep, never closed: no stack overflow, Python's RecursionError.
    assert_eq!(loads(&"[".repeat(100_000)), Err(LoadError::RecursionLimit));
    assert_eq!(
        loads(&"[{\"a\": ".repeat(50_000)),
        Err(LoadError::RecursionLimit)
    );
    // A syntax error met before the limit is reached is a decode error.
    let shallow_error = "[".repeat(10) + "x" + &"[".repeat(100_000);
    assert_eq!(
        loads(&shallow_error).map_err(|e| e.to_string()),
        Err("Expecting value: line 1 column 11 (char 10)".to_owned())
    );
}

#[test]
fn number_conversions_python_refuses() {
    let digits = "1".repeat(4300);
    assert!(loads(&digits).is_ok());
    assert!(loads(&format!("-{digits}")).is_ok());
    let too_long = loads(&format!("[{digits}1]"));
    assert_eq!(
        too_long.as_ref().map_err(ToString::to_string).err().as_deref(),
        Some(
            "Exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits; \
             use sys.set_int_max_str_digits() to increase the limit"
        )
    );
    assert!(matches!(
        too_long,
        Err(LoadError::IntTooLong {
            digits: 4301,
            byte_offset: 1
        })
    ));
    assert_eq!(
        loads("[1e1000000000000000000]"),
        Err(LoadError::DecimalOutOfRange { byte_offset: 1 })
    );
    assert!(loads("1e999999999999999999").is_ok());
    // Decimals have no digit limit.
    assert!(loads(&format!("{digits}{digits}.5")).is_ok());
}

#[test]
fn large_body_parses_in_linear_time() {
    let member = r#"{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9000000009", "n": [1.5, 2, true, null, "\u00e9t\u00e9"]}"#;
    let mut body = String::from("[");
    while body.len() < 20_000_000 {
        body.push_str(member);
        body.push(',');
    }
    body.push_str(member);
    body.push(']');
    let started = std::time::Instant::now();
    let root = parse(&body);
    let elapsed = started.elapsed();
    assert!(root.as_array().is_some_and(|items| items.len() > 100_000));
    // Generous even for unoptimised builds on a busy machine.
    assert!(elapsed.as_secs() < 20, "20 MB took {elapsed:?}");
}

/// Checks every scenario's body in a corpus file: it parses, or fails with
/// exactly the service's "Request's body contains malformed JSON: …" text, or
/// raises another exception where the service answered 500. Returns the
/// number of scenarios and the disagreements.
fn check_corpus(path: &str) -> (usize, Vec<String>) {
    let corpus = std::fs::read_to_string(path).unwrap_or_default();
    let prefix = "Request's body contains malformed JSON: ";
    let mut checked = 0;
    let mut wrong = Vec::new();
    for line in corpus.lines() {
        let Ok(scenario) = serde_json::from_str::<Json>(line) else {
            continue;
        };
        let body = scenario["request"]["body"].as_str().unwrap_or_default();
        let diagnostics = scenario["expect"]["diagnostics"]
            .as_str()
            .unwrap_or_default();
        let status = scenario["expect"]["status"].as_u64();
        let expected = diagnostics.strip_prefix(prefix);
        let got = loads(body);
        checked += 1;
        match (expected, &got) {
            (Some(text), Err(LoadError::Decode(e))) if e.to_string() == text => {}
            (None, Err(e)) if !e.is_decode_error() && status == Some(500) => {}
            (None, Ok(root)) => {
                if checked % 50 == 0 {
                    assert_spans_reparse(body, root);
                }
            }
            _ => wrong.push(format!(
                "{}: expected {expected:?}, got {:?}",
                scenario["name"],
                got.map(|_| "a document")
            )),
        }
    }
    (checked, wrong)
}

#[test]
fn conformance_corpus_bodies() {
    let (checked, wrong) = check_corpus("tests/conformance/public.jsonl");
    assert!(checked >= 2600, "corpus not found or too small: {checked}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Other corpora in the same format, named in `JSON_CORPORA` (separated by `:`):
///     JSON_CORPORA=a.jsonl:b.jsonl cargo test --test json_loads -- --ignored other_corpora
#[test]
#[ignore = "needs corpus files named in JSON_CORPORA"]
fn other_corpora() {
    let paths = std::env::var("JSON_CORPORA").unwrap_or_default();
    for path in paths.split(':').filter(|p| !p.is_empty()) {
        let (checked, wrong) = check_corpus(path);
        println!("{path}: {checked} scenarios, {} disagreements", wrong.len());
        assert!(checked > 0, "{path}: no scenarios");
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}

// ---------------------------------------------------------------------------
// Differential test against the real Python (needs python3 3.11):
//     cargo test --test json_loads -- --ignored
// JSON_DIFF_CASES sets the number of generated bodies (default 20000),
// JSON_DIFF_SEED the generator's seed.

/// xorshift64*: a small deterministic generator for mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const TOKENS: &[&str] = &[
    ",",
    ":",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "\\",
    "\\u",
    "\\ud800",
    "\\udc00",
    "\\u12",
    "\\ud83d\\ude00",
    "\n",
    "\t",
    " ",
    "\r",
    "\u{0}",
    "\u{1f}",
    "é",
    "😀",
    "\u{feff}",
    "\u{a0}",
    "NaN",
    "-Infinity",
    "Infinity",
    "-",
    "1e",
    "1.",
    "0",
    "01",
    "1e5",
    ".5",
    "true",
    "nul",
    "x",
    "\\x",
    "\"a\":",
    "1E+",
    "-0",
    "\\\"",
    "\"\\u00e9\"",
    "1.5e-3",
    "[]",
    "{}",
    "\"k\": [1, {\"z\": null}]",
];

fn char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn mutate(rng: &mut Rng, seed: &str) -> String {
    let mut body = seed.to_owned();
    for _ in 0..1 + rng.below(3) {
        let at = char_boundary(&body, rng.below(body.len() + 1));
        match rng.below(5) {
            0 => body.truncate(at),
            1 | 2 => body.insert_str(at, rng.pick(TOKENS)),
            3 => {
                let end = char_boundary(&body, at + rng.below(8) + 1);
                body.replace_range(at..end, "");
            }
            _ => {
                let end = char_boundary(&body, at + rng.below(4) + 1);
                let token = rng.pick(TOKENS);
                body.replace_range(at..end, token);
            }
        }
    }
    body
}

/// A small random document built from the tokens, valid or not.
fn random_document(rng: &mut Rng, depth: usize) -> String {
    let scalars = [
        "1",
        "-2.5e3",
        "\"s\"",
        "\"\\u00e9\\ud800\"",
        "null",
        "NaN",
        "true",
        "0.0",
    ];
    match rng.below(if depth > 4 { 2 } else { 5 }) {
        0 => rng.pick(&scalars).to_owned(),
        1 => rng.pick(TOKENS).to_owned(),
        2 => {
            let items: Vec<String> = (0..rng.below(4))
                .map(|_| random_document(rng, depth + 1))
                .collect();
            format!("[{}]", items.join(rng.pick(&[",", ", ", " ,\n"])))
        }
        _ => {
            let members: Vec<String> = (0..rng.below(4))
                .map(|i| {
                    format!(
                        "\"k{}\":{}",
                        rng.below(3) + i,
                        random_document(rng, depth + 1)
                    )
                })
                .collect();
            format!("{{{}}}", members.join(","))
        }
    }
}

fn rust_outcome(body: &str) -> Json {
    match loads(body) {
        Ok(root) => json!({ "ok": tagged(&root) }),
        Err(LoadError::Decode(e)) => json!({ "decode": e.to_string() }),
        Err(LoadError::RecursionLimit) => json!({ "other": "recursion" }),
        Err(LoadError::IntTooLong { .. }) => json!({ "other": "int" }),
        Err(LoadError::DecimalOutOfRange { .. }) => json!({ "other": "decimal" }),
    }
}

#[test]
#[ignore = "needs python3 (CPython 3.11)"]
fn python_differential() {
    let corpus = std::fs::read_to_string("tests/conformance/public.jsonl").unwrap_or_default();
    let seeds: Vec<String> = corpus
        .lines()
        .filter_map(|line| serde_json::from_str::<Json>(line).ok())
        .filter_map(|s| s["request"]["body"].as_str().map(str::to_owned))
        .collect();
    let cases: usize = std::env::var("JSON_DIFF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let seed: u64 = std::env::var("JSON_DIFF_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x9E37_79B9_7F4A_7C15);
    let mut rng = Rng(seed | 1);
    let mut lines = String::new();
    let digits = "7".repeat(4300);
    let numbers = [
        format!("[{digits}]"),
        format!("[-{digits}1]"),
        format!("{{\"a\": {digits}.{digits}e-5}}"),
        "[1e999999999999999999, 0e-1999999999999999997]".to_owned(),
        "[-1.5e1000000000000000000]".to_owned(),
        "[0.0e-1999999999999999997]".to_owned(),
    ];
    // The hand-written cases, number limits and every corpus body as it stands, then mutants.
    let fixed = DECODE_ERRORS
        .iter()
        .map(|(body, _)| body.to_string())
        .chain(numbers)
        .chain(seeds.iter().cloned());
    for body in fixed {
        lines.push_str(&json!({"body": body, "rust": rust_outcome(&body)}).to_string());
        lines.push('\n');
    }
    for i in 0..cases {
        let body = if i % 3 == 0 || seeds.is_empty() {
            let doc = random_document(&mut rng, 0);
            if i % 2 == 0 {
                mutate(&mut rng, &doc)
            } else {
                doc
            }
        } else {
            let seed = &seeds[rng.below(seeds.len())];
            mutate(&mut rng, seed)
        };
        lines.push_str(&json!({"body": body, "rust": rust_outcome(&body)}).to_string());
        lines.push('\n');
    }
    let path = std::env::temp_dir().join(format!("json_differential_{}.jsonl", std::process::id()));
    std::fs::write(&path, lines).expect("write cases");
    let output = std::process::Command::new("python3")
        .arg("tests/tools/json_differential.py")
        .arg(&path)
        .output()
        .expect("run python3");
    let _ = std::fs::remove_file(&path);
    let report = String::from_utf8_lossy(&output.stdout);
    println!("{report}");
    assert!(
        output.status.success(),
        "disagreements:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Parsing speed on the corpus bodies (typical 2 KB requests):
///     cargo test --release --test json_loads -- --ignored throughput --nocapture
#[test]
#[ignore = "timing report, meaningful in release builds"]
fn throughput() {
    let corpus = std::fs::read_to_string("tests/conformance/public.jsonl").unwrap_or_default();
    let bodies: Vec<String> = corpus
        .lines()
        .filter_map(|line| serde_json::from_str::<Json>(line).ok())
        .filter_map(|s| s["request"]["body"].as_str().map(str::to_owned))
        .collect();
    let bytes: usize = bodies.iter().map(String::len).sum();
    // Best of several rounds, to see past other load on the machine.
    let mut best = f64::MAX;
    let mut parsed = 0;
    let rounds: usize = std::env::var("JSON_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    for _ in 0..rounds {
        let started = std::time::Instant::now();
        for body in &bodies {
            parsed += usize::from(loads(body).is_ok());
        }
        best = best.min(started.elapsed().as_secs_f64());
    }
    let mb = bytes as f64 / 1e6;
    println!(
        "{} bodies, {mb:.1} MB, best round {best:.4} s: {:.0} MB/s",
        bodies.len(),
        mb / best
    );
    assert!(parsed > 0);
}
