//! `json.loads(body, parse_float=Decimal)` on a `str` body, as CPython 3.11
//! runs it: `JSONDecoder.decode` driving the `_json` C scanner.
//!
//! The scanner is recursive; this parser keeps its own stack of open
//! containers instead, so any nesting depth is safe, and reports Python's
//! `RecursionError` once nesting passes [`MAX_PYTHON_NESTING`].

use std::collections::HashMap;

use super::error::{DecodeError, LoadError, INT_MAX_STR_DIGITS};
use super::key::Key;
use super::number::{decimal_in_range, int_digits, scan_number};
use super::string::{find_stop, scan_string};
use super::text::Text;
use super::value::{key_eq, Node, PyFloat, Span, Value};

/// Deepest nesting of arrays/objects `json.loads` reaches in the service before
/// Python raises `RecursionError` (which the service answers with its generic 500).
///
/// The C scanner spends one unit of Python's recursion budget (limit 1000) per
/// `[`/`{` it enters (empty ones included), on the same counter as the Python
/// frames already on the stack when the controller calls `json.loads`. Driving
/// the service's own `FhirController.create_immunization` (6 frames deep, the way
/// the conformance corpus was recorded) a body with 990 nested containers parses
/// and one with 991 raises. The top-level object counts as one. Nesting is
/// checked as the scanner meets it, so a syntax error before that depth is still
/// a `JSONDecodeError`, and one after it is never seen.
///
/// A real Lambda invocation has a few more frames on the stack (about 3 to 5),
/// which would lower this limit accordingly.
pub const MAX_PYTHON_NESTING: usize = 990;

pub const EXPECTING_VALUE: &str = "Expecting value";
pub const EXPECTING_PROPERTY_NAME: &str = "Expecting property name enclosed in double quotes";
pub const EXPECTING_COLON: &str = "Expecting ':' delimiter";
pub const EXPECTING_COMMA: &str = "Expecting ',' delimiter";
pub const EXTRA_DATA: &str = "Extra data";
pub const UNEXPECTED_BOM: &str = "Unexpected UTF-8 BOM (decode using utf-8-sig)";

/// Objects with more members than this index their keys in a hash map to keep
/// duplicate-key detection linear on huge bodies.
pub(super) const LINEAR_KEY_SEARCH_LIMIT: usize = 32;

/// Texts at least this long start with room in the parser's stacks; shorter
/// ones (a single value read back from a stored item) allocate only if needed.
const SCRATCH_RESERVE_FROM: usize = 256;

/// Parses a request body the way `json.loads(body, parse_float=Decimal)` does.
///
/// Integers become [`Value::Int`] and numbers with a fraction or exponent
/// [`Value::Decimal`], both kept exactly as written; `NaN`, `Infinity` and
/// `-Infinity` become [`Value::Float`]. A duplicated key keeps its first
/// position and its last value (Python `dict`). Unpaired surrogate escapes,
/// which Python keeps, become private-use stand-ins (see
/// [`super::string::LONE_SURROGATE_BASE`]). Every node's span is the
/// byte range of its text in `text`.
pub fn loads(text: &str) -> Result<Node, LoadError> {
    loads_with_nesting(text).map(|(node, _)| node)
}

/// [`loads`], and how deeply arrays and objects nest in the value: the most
/// containers open at once while it was read (0 for a scalar; `[[], {}]`
/// counts 1: an empty container is never left open).
pub fn loads_with_nesting(text: &str) -> Result<(Node, usize), LoadError> {
    if text.starts_with('\u{feff}') {
        return Err(DecodeError::at(text, UNEXPECTED_BOM, 0).into());
    }
    let mut parser = Parser::new(text);
    let node = parser.parse().map_err(|fail| fail.into_load_error(text))?;
    Ok((node, parser.deepest))
}

/// An array or object still open, waiting for its next element. Finished
/// elements wait in the parser's shared element stacks from `base` on, so each
/// container's `Vec` is allocated once, at its exact size, when it closes.
struct Open {
    start: usize,
    base: usize,
    object: bool,
    /// Object only: the key whose value is being parsed.
    key: Key,
}

/// The key index of an object grown past [`LINEAR_KEY_SEARCH_LIMIT`] members:
/// key → member index (relative to its `base`), and the object's depth.
struct KeyIndex {
    depth: usize,
    slots: HashMap<Key, usize>,
}

/// Why parsing stopped, kept small while parsing (the [`LoadError`] it
/// becomes is built once, with the Python position of a decode error).
pub(super) enum Fail {
    Decode(&'static str, usize),
    RecursionLimit,
    IntTooLong(usize, usize),
    DecimalOutOfRange(usize),
}

impl Fail {
    #[cold]
    pub(super) fn into_load_error(self, text: &str) -> LoadError {
        match self {
            Fail::Decode(msg, byte_offset) => DecodeError::at(text, msg, byte_offset).into(),
            Fail::RecursionLimit => LoadError::RecursionLimit,
            Fail::IntTooLong(digits, byte_offset) => LoadError::IntTooLong {
                digits,
                byte_offset,
            },
            Fail::DecimalOutOfRange(byte_offset) => LoadError::DecimalOutOfRange { byte_offset },
        }
    }
}

#[cold]
fn decode_error<T>(msg: &'static str, byte_offset: usize) -> Result<T, Fail> {
    Err(Fail::Decode(msg, byte_offset))
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    /// The containers open around the current value, innermost last.
    stack: Vec<Open>,
    /// Elements of the open arrays, outermost first.
    items: Vec<Node>,
    /// Members of the open objects, outermost first.
    members: Vec<(Key, Node)>,
    /// Key indexes of the open objects that have one, outermost first.
    indexes: Vec<KeyIndex>,
    /// The most containers open at once so far.
    deepest: usize,
}

#[inline(always)]
pub(super) fn is_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

impl<'t> Parser<'t> {
    fn new(text: &'t str) -> Self {
        Parser {
            text,
            bytes: text.as_bytes(),
            stack: Vec::new(),
            items: Vec::new(),
            members: Vec::new(),
            indexes: Vec::new(),
            deepest: 0,
        }
    }

    #[inline(always)]
    fn skip_whitespace(&self, mut index: usize) -> usize {
        while let Some(&b) = self.bytes.get(index) {
            if b > b' ' || !is_whitespace(b) {
                break;
            }
            index += 1;
        }
        index
    }

    /// The string literal whose opening quote is at `quote`, and the offset
    /// just past it. Plain text (no escape) is copied straight from the body
    /// (a short one as the fixed-size block of body bytes it starts, see
    /// [`Text::prefix_of`]); anything else goes through the general [`scan_string`].
    #[inline(always)]
    fn string(&self, quote: usize) -> Result<(Text, usize), Fail> {
        let short = |plain: &str| {
            self.text
                .get(quote + 1..)
                .and_then(|rest| Text::prefix_of(rest, plain.len()))
                .unwrap_or_else(|| Text::new(plain))
        };
        self.string_as(quote, short, Text::from)
    }

    /// [`Self::string`], the text made into a `T` by `plain` when it is a
    /// slice of the body, by `decoded` when escapes had to be decoded.
    #[inline(always)]
    fn string_as<T>(
        &self,
        quote: usize,
        plain: impl FnOnce(&str) -> T,
        decoded: impl FnOnce(String) -> T,
    ) -> Result<(T, usize), Fail> {
        let stop = find_stop(self.bytes, quote + 1);
        if self.bytes.get(stop) == Some(&b'"') {
            // `quote + 1` and `stop` sit next to ASCII bytes: char boundaries.
            let text = self.text.get(quote + 1..stop).unwrap_or_default();
            return Ok((plain(text), stop + 1));
        }
        let (text, end) = self.string_with_escapes(quote)?;
        Ok((decoded(text), end))
    }

    #[inline(never)]
    fn string_with_escapes(&self, quote: usize) -> Result<(String, usize), Fail> {
        scan_string(self.text, quote).map_err(|e| Fail::Decode(e.msg, e.byte_offset))
    }

    /// Reads `"key"` + whitespace + `:` + whitespace at `at` (already past
    /// whitespace); returns the key and where its value starts.
    #[inline(always)]
    fn read_key(&self, at: usize) -> Result<(Key, usize), Fail> {
        if self.bytes.get(at) != Some(&b'"') {
            return decode_error(EXPECTING_PROPERTY_NAME, at);
        }
        let (key, end) = self.string_as(at, Key::new, Key::from)?;
        // The common `"key": value` and `"key":value`, then the general case.
        let colon = match self.bytes.get(end) {
            Some(b':') => end,
            _ => self.skip_whitespace(end),
        };
        if self.bytes.get(colon) != Some(&b':') {
            return decode_error(EXPECTING_COLON, colon);
        }
        Ok((key, self.skip_whitespace(colon + 1)))
    }

    /// The scanner's `scan_once` for the values that are not containers:
    /// the value at `at` and the offset just past it.
    fn scalar(&self, at: usize) -> Result<(Value, usize), Fail> {
        let bytes = self.bytes;
        let rest = bytes.get(at..).unwrap_or_default();
        let fixed = |value: Value, len: usize| Ok((value, at + len));
        match rest.first() {
            Some(b'n') if rest.starts_with(b"null") => return fixed(Value::Null, 4),
            Some(b't') if rest.starts_with(b"true") => return fixed(Value::Bool(true), 4),
            Some(b'f') if rest.starts_with(b"false") => return fixed(Value::Bool(false), 5),
            Some(b'N') if rest.starts_with(b"NaN") => return fixed(Value::Float(PyFloat::NaN), 3),
            Some(b'I') if rest.starts_with(b"Infinity") => {
                return fixed(Value::Float(PyFloat::Infinity), 8)
            }
            Some(b'-') if rest.starts_with(b"-Infinity") => {
                return fixed(Value::Float(PyFloat::NegInfinity), 9)
            }
            _ => {}
        }
        let Some(number) = scan_number(bytes, at) else {
            return decode_error(EXPECTING_VALUE, at);
        };
        let literal = self.text.get(at..number.end).unwrap_or("");
        let value = if number.is_float {
            if !decimal_in_range(literal) {
                return Err(Fail::DecimalOutOfRange(at));
            }
            Value::Decimal(Text::new(literal))
        } else {
            let digits = int_digits(literal);
            if digits > INT_MAX_STR_DIGITS {
                return Err(Fail::IntTooLong(digits, at));
            }
            Value::Int(Text::new(literal))
        };
        Ok((value, number.end))
    }

    fn parse(&mut self) -> Result<Node, Fail> {
        if self.bytes.len() >= SCRATCH_RESERVE_FROM {
            // Room for a resource's usual nesting, so the stacks rarely grow.
            self.stack.reserve(16);
            self.items.reserve(16);
            self.members.reserve(48);
        }
        let mut at = self.skip_whitespace(0);
        loop {
            // The scanner's `scan_once` at `at`: a complete value (`node`, ending
            // at `end`), or a non-empty container opened (then on to its first element).
            let (mut node, mut end) = match self.bytes.get(at) {
                Some(b'"') => {
                    let (s, end) = self.string(at)?;
                    (Node::new(Value::Str(s), Span { start: at, end }), end)
                }
                Some(&open @ (b'{' | b'[')) => {
                    if self.stack.len() >= MAX_PYTHON_NESTING {
                        return Err(Fail::RecursionLimit);
                    }
                    let inner = self.skip_whitespace(at + 1);
                    let object = open == b'{';
                    let close = if object { b'}' } else { b']' };
                    if self.bytes.get(inner) == Some(&close) {
                        let value = if object {
                            Value::Object(Vec::new())
                        } else {
                            Value::Array(Vec::new())
                        };
                        let end = inner + 1;
                        (Node::new(value, Span { start: at, end }), end)
                    } else {
                        let (key, next) = if object {
                            self.read_key(inner)?
                        } else {
                            (Key::default(), inner)
                        };
                        let base = if object {
                            self.members.len()
                        } else {
                            self.items.len()
                        };
                        self.stack.push(Open {
                            start: at,
                            base,
                            object,
                            key,
                        });
                        self.deepest = self.deepest.max(self.stack.len());
                        at = next;
                        continue;
                    }
                }
                _ => {
                    let (value, end) = self.scalar(at)?;
                    (Node::new(value, Span { start: at, end }), end)
                }
            };
            // Hand the finished value to the enclosing containers, closing as many
            // as end right after it, until one expects another element.
            loop {
                let after = match self.bytes.get(end) {
                    Some(b',' | b']' | b'}') => end,
                    _ => self.skip_whitespace(end),
                };
                let Some(open) = self.stack.last_mut() else {
                    if after != self.bytes.len() {
                        return decode_error(EXTRA_DATA, after);
                    }
                    return Ok(node);
                };
                let next = self.bytes.get(after).copied();
                if open.object {
                    let key = std::mem::take(&mut open.key);
                    let base = open.base;
                    let depth = self.stack.len();
                    insert_member(&mut self.members, base, &mut self.indexes, depth, key, node);
                    match next {
                        Some(b'}') => {}
                        Some(b',') => {
                            let (key, value_at) = self.read_key(self.skip_whitespace(after + 1))?;
                            if let Some(open) = self.stack.last_mut() {
                                open.key = key;
                            }
                            at = value_at;
                            break;
                        }
                        _ => return decode_error(EXPECTING_COMMA, after),
                    }
                } else {
                    self.items.push(node);
                    match next {
                        Some(b']') => {}
                        Some(b',') => {
                            at = self.skip_whitespace(after + 1);
                            break;
                        }
                        _ => return decode_error(EXPECTING_COMMA, after),
                    }
                }
                // The container closes at `after`.
                end = after + 1;
                let Some(Open {
                    start,
                    base,
                    object,
                    ..
                }) = self.stack.pop()
                else {
                    return decode_error(EXPECTING_VALUE, after);
                };
                let value = if object {
                    if self
                        .indexes
                        .last()
                        .is_some_and(|i| i.depth > self.stack.len())
                    {
                        self.indexes.pop();
                    }
                    Value::Object(split_off(&mut self.members, base))
                } else {
                    Value::Array(split_off(&mut self.items, base))
                };
                node = Node::new(value, Span { start, end });
            }
        }
    }
}

/// The elements from `base` on, moved out into a `Vec` of their exact size.
#[inline(always)]
fn split_off<T>(stack: &mut Vec<T>, base: usize) -> Vec<T> {
    if base > stack.len() {
        return Vec::new();
    }
    stack.split_off(base)
}

/// `dict[key] = value` for the object whose members are `members[base..]`
/// and which is open at `depth`: a new key goes last, a repeated key keeps its
/// place and takes the new value.
#[inline(always)]
fn insert_member(
    members: &mut Vec<(Key, Node)>,
    base: usize,
    indexes: &mut Vec<KeyIndex>,
    depth: usize,
    key: Key,
    value: Node,
) {
    let own = members.get_mut(base..).unwrap_or_default();
    if own.len() < LINEAR_KEY_SEARCH_LIMIT {
        match own.iter_mut().find(|(k, _)| key_eq(k, &key)) {
            Some(member) => member.1 = value,
            None => members.push((key, value)),
        }
        return;
    }
    insert_indexed_member(members, base, indexes, depth, key, value);
}

/// [`insert_member`] for an object of [`LINEAR_KEY_SEARCH_LIMIT`] members or
/// more, through (and first building) its key index.
#[cold]
#[inline(never)]
fn insert_indexed_member(
    members: &mut Vec<(Key, Node)>,
    base: usize,
    indexes: &mut Vec<KeyIndex>,
    depth: usize,
    key: Key,
    value: Node,
) {
    if indexes.last().is_none_or(|index| index.depth != depth) {
        let slots = members
            .get(base..)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(slot, (k, _))| (k.clone(), slot))
            .collect();
        indexes.push(KeyIndex { depth, slots });
    }
    let Some(index) = indexes.last_mut() else {
        return;
    };
    match index.slots.get(&key) {
        Some(&slot) => {
            if let Some(member) = members.get_mut(base + slot) {
                member.1 = value;
            }
        }
        None => {
            index
                .slots
                .insert(key.clone(), members.len().saturating_sub(base));
            members.push((key, value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_reference;
    use super::*;

    /// A small deterministic generator (xorshift64*).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn same_as_reference(text: &str) {
        assert_eq!(loads(text), parse_reference::loads(text), "{text:?}");
    }

    /// An object of `n` members `"<prefix><i>": i`, then `extra` (raw text).
    fn wide_object(prefix: &str, n: usize, extra: &str) -> String {
        let members: Vec<String> = (0..n).map(|i| format!("\"{prefix}{i}\": {i}")).collect();
        format!("{{{}{extra}}}", members.join(", "))
    }

    const SEEDS: &[&str] = &[
        r#"{"resourceType": "Immunization", "contained": [{"resourceType": "Patient", "id": "Pat1", "name": [{"family": "Taylor", "given": ["Sarah"]}]}], "doseQuantity": {"value": 0.5, "code": "ml"}, "primarySource": true, "lotNumber": null, "n": [1, -2, 3e5, 1.5E-3, NaN, Infinity, -Infinity, false]}"#,
        r#"{"a\"b": "c\\d\/e\u00e9\ud83d\ude00\ud800x\udfff", "é😀": "\t", "": "", "k": {}, "l": [], "m": [[], {}, [[]]]}"#,
        "[1 , 2 ,\n\r\t3 ] ",
        r#"{"a": 1, "b": 2, "a": 3, "c": {"a": 1, "a": [2]}, "b": {}}"#,
        "\"just a string\"",
        "12345678901234567890",
    ];

    #[test]
    fn agrees_with_the_reference_on_seeds_and_mutations() {
        const ALPHABET: &[&str] = &[
            "\"", "\\", ",", ":", "[", "]", "{", "}", " ", "\n", "0", "-", "e", ".", "u", "é",
            "😀", "\u{0}", "\u{1f}", "\u{feff}", "a", "1", "\\u", "\\ud800", "\"\": ",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let wide = wide_object("k", 40, ", \"k3\": \"again\"");
        let nested = wide_object("o", 35, &format!(", \"inner\": {wide}, \"o1\": [1]"));
        let mut seeds: Vec<String> = SEEDS.iter().map(|s| s.to_string()).collect();
        seeds.push(wide);
        seeds.push(nested);
        for seed in &seeds {
            same_as_reference(seed);
            let chars: Vec<char> = seed.chars().collect();
            for cut in 0..=chars.len() {
                same_as_reference(&chars[..cut].iter().collect::<String>());
            }
            for _ in 0..3000 {
                let mut text: Vec<char> = chars.clone();
                for _ in 0..1 + rng.below(3) {
                    let at = rng.below(text.len() + 1);
                    match rng.below(3) {
                        0 if at < text.len() => {
                            text.remove(at);
                        }
                        1 if at < text.len() => {
                            let insert: Vec<char> =
                                ALPHABET[rng.below(ALPHABET.len())].chars().collect();
                            text.splice(at..at + 1, insert);
                        }
                        _ => {
                            let insert = ALPHABET[rng.below(ALPHABET.len())];
                            for (i, c) in insert.chars().enumerate() {
                                text.insert(at + i, c);
                            }
                        }
                    }
                }
                same_as_reference(&text.iter().collect::<String>());
            }
        }
    }

    /// Strings and numbers on both sides of the inline text capacity, plain,
    /// escaped, non-ASCII and with lone surrogates, as values and as keys.
    #[test]
    fn texts_around_the_inline_capacity() {
        use super::super::text::INLINE_CAPACITY;
        for piece in [
            "a",
            "é",
            "😀",
            "\\n",
            "\\u00e9",
            "\\ud800",
            "\\\"",
            "\\ud83d\\ude00",
        ] {
            for n in 0..=INLINE_CAPACITY + 3 {
                let literal = piece.repeat(n);
                let text = format!(
                    "{{\"{literal}\": [\"{literal}\", 1{}, -0.{}5]}}",
                    "0".repeat(n),
                    "0".repeat(n)
                );
                same_as_reference(&text);
                let node = loads(&text).expect("valid");
                let (key, value) = &node.as_object().expect("object")[0];
                let items = value.as_array().expect("array");
                assert_eq!(items[0].as_str(), Some(key.as_str()), "{text}");
                assert_eq!(
                    items[1].value,
                    Value::Int(format!("1{}", "0".repeat(n)).into())
                );
            }
        }
        same_as_reference("[\"\", \"\", {\"\": \"\"}]");
    }

    #[test]
    fn duplicate_keys_in_wide_nested_objects() {
        let inner = wide_object("i", 50, ", \"i7\": \"last\", \"i49\": null");
        let text = wide_object("o", 40, &format!(", \"o3\": {inner}, \"o39\": true"));
        let node = loads(&text).expect("valid");
        let members = node.as_object().expect("object");
        assert_eq!(members.len(), 40);
        let o3 = node.get("o3").expect("o3");
        assert_eq!(members[3].0, "o3");
        let inner_members = o3.as_object().expect("inner object");
        assert_eq!(inner_members.len(), 50);
        assert_eq!(inner_members[7].1.value, Value::Str("last".into()));
        assert_eq!(inner_members[49].1.value, Value::Null);
        assert_eq!(node.get("o39").map(|n| &n.value), Some(&Value::Bool(true)));
        same_as_reference(&text);
    }

    #[test]
    fn nesting_is_the_most_containers_open_at_once() {
        for (text, nesting) in [
            ("1", 0),
            ("\"[{\"", 0),
            ("[]", 0),
            ("{}", 0),
            ("[1]", 1),
            ("[[], {}]", 1),
            ("[[1], {\"a\": {}}]", 2),
            (r#"{"a": [1, [2.5, {"b": [[[]]]}]], "c": 1}"#, 6),
            (r#"{"a": {"b": {"c": 1}}, "d": [[2]]}"#, 3),
        ] {
            assert_eq!(
                loads_with_nesting(text).map(|(_, n)| n),
                Ok(nesting),
                "{text}"
            );
            assert_eq!(loads(text), loads_with_nesting(text).map(|(node, _)| node));
        }
        let deep = format!(
            "{}1{}",
            "[".repeat(MAX_PYTHON_NESTING),
            "]".repeat(MAX_PYTHON_NESTING)
        );
        assert_eq!(
            loads_with_nesting(&deep).map(|(_, n)| n),
            Ok(MAX_PYTHON_NESTING)
        );
        assert!(loads_with_nesting("[1, ").is_err());
    }

    #[test]
    fn deep_nesting_and_long_texts() {
        for depth in [
            MAX_PYTHON_NESTING - 1,
            MAX_PYTHON_NESTING,
            MAX_PYTHON_NESTING + 1,
        ] {
            let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            same_as_reference(&arrays);
            let objects = format!("{}1{}", "{\"a\": ".repeat(depth), "}".repeat(depth));
            same_as_reference(&objects);
        }
        same_as_reference(&"[".repeat(100_000));
        let long = format!(
            "[\"{}\", \"{}\\n\"]",
            "x".repeat(100_000),
            "é".repeat(5_000)
        );
        same_as_reference(&long);
        same_as_reference(&format!("[{}]", "1".repeat(5_000)));
    }
}
