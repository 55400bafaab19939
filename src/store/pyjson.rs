//! `simplejson.dumps` as fhir.resources calls it for `.json(use_decimal=True)`:
//! `", "` and `": "` separators, `ensure_ascii` (every character outside printable
//! ASCII written as `\uXXXX`, astral characters as surrogate pairs), decimals as
//! `str(Decimal)` (already the text of a canonical [`Value::Decimal`]).

use crate::json::{Node, PyFloat, Value};

/// Renders `node` as `simplejson.dumps(node, use_decimal=True)` would.
/// `ensure_ascii = false` keeps non-ASCII characters as they are (control characters
/// are still escaped).
pub fn dumps(node: &Node, ensure_ascii: bool) -> String {
    let mut out = String::new();
    // Explicit stack: (node, position within container), so deep trees cannot overflow.
    enum Frame<'a> {
        Value(&'a Node),
        Text(&'static str),
        Key(&'a str),
    }
    let mut stack: Vec<Frame> = vec![Frame::Value(node)];
    while let Some(frame) = stack.pop() {
        match frame {
            Frame::Text(t) => out.push_str(t),
            Frame::Key(k) => {
                write_str(&mut out, k, ensure_ascii);
                out.push_str(": ");
            }
            Frame::Value(n) => match &n.value {
                Value::Null => out.push_str("null"),
                Value::Bool(true) => out.push_str("true"),
                Value::Bool(false) => out.push_str("false"),
                Value::Int(t) | Value::Decimal(t) => out.push_str(t),
                Value::Float(PyFloat::NaN) => out.push_str("NaN"),
                Value::Float(PyFloat::Infinity) => out.push_str("Infinity"),
                Value::Float(PyFloat::NegInfinity) => out.push_str("-Infinity"),
                Value::Str(s) => write_str(&mut out, s, ensure_ascii),
                Value::Array(items) => {
                    out.push('[');
                    stack.push(Frame::Text("]"));
                    for (i, item) in items.iter().enumerate().rev() {
                        stack.push(Frame::Value(item));
                        if i > 0 {
                            stack.push(Frame::Text(", "));
                        }
                    }
                }
                Value::Object(members) => {
                    out.push('{');
                    stack.push(Frame::Text("}"));
                    for (i, (k, v)) in members.iter().enumerate().rev() {
                        stack.push(Frame::Value(v));
                        stack.push(Frame::Key(k));
                        if i > 0 {
                            stack.push(Frame::Text(", "));
                        }
                    }
                }
            },
        }
    }
    out
}

/// Bytes that end a plain run: control characters, `"` and `\\`, and with
/// `ensure_ascii` everything from DEL up; without it only the lead bytes of
/// characters from U+100000 (where the parser keeps lone surrogates).
const fn stops(ensure_ascii: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = byte < 0x20
            || byte == b'"' as usize
            || byte == b'\\' as usize
            || if ensure_ascii {
                byte >= 0x7f
            } else {
                byte >= 0xf4
            };
        byte += 1;
    }
    table
}

static STOPS_ASCII: [bool; 256] = stops(true);
static STOPS_UTF8: [bool; 256] = stops(false);

/// A JSON string literal as Python's encoder writes it. A lone surrogate (kept by
/// the parser as a stand-in character, see [`crate::json::as_lone_surrogate`]) is
/// written as its `\udXXX` escape, as Python writes it.
///
/// Runs of characters that need no escape are copied as whole slices.
pub fn write_str(out: &mut String, s: &str, ensure_ascii: bool) {
    write_str_reporting(out, s, ensure_ascii);
}

/// [`write_str`], answering whether `s` was written as it is: every character
/// printable ASCII other than `"` and `\\`. Otherwise, with `ensure_ascii`, the
/// literal holds at least one escape.
pub fn write_str_reporting(out: &mut String, s: &str, ensure_ascii: bool) -> bool {
    out.reserve(s.len() + 2);
    out.push('"');
    let plain = is_plain(s.as_bytes());
    if plain {
        out.push_str(s);
    } else {
        write_str_body(out, s, ensure_ascii);
    }
    out.push('"');
    plain
}

/// Whether every byte of `bytes` is printable ASCII other than `"` and `\\` (the text
/// is then written as it is, with or without `ensure_ascii`): eight bytes at a time,
/// the last word overlapping the one before.
fn is_plain(bytes: &[u8]) -> bool {
    let word_at = |at: usize| {
        let mut word = [0u8; 8];
        match bytes.get(at..at + 8) {
            Some(chunk) => {
                word.copy_from_slice(chunk);
                u64::from_le_bytes(word)
            }
            // Not reached: callers ask only for whole words.
            None => LOW_BITS * u64::from(b'"'),
        }
    };
    if bytes.len() < 8 {
        // Short texts: one word padded with a plain byte.
        let mut word = LOW_BITS * u64::from(b'a');
        for (lane, &byte) in bytes.iter().enumerate() {
            word ^= (u64::from(byte) ^ u64::from(b'a')) << (8 * lane);
        }
        return marked(word, true) == 0;
    }
    let mut at = 0;
    while at + 8 < bytes.len() {
        if marked(word_at(at), true) != 0 {
            return false;
        }
        at += 8;
    }
    marked(word_at(bytes.len() - 8), true) == 0
}

const LOW_BITS: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Bytes of `word` (little-endian) that may end a plain run, as their high bits: the
/// lowest one marked is exact; the others may be false alarms, and a byte from 0x80
/// is always marked (the table decides).
fn marked(word: u64, ensure_ascii: bool) -> u64 {
    let zero = |v: u64| v.wrapping_sub(LOW_BITS) & !v & HIGH_BITS;
    let control = word.wrapping_sub(LOW_BITS * 0x20) & !word & HIGH_BITS;
    let quote = zero(word ^ (LOW_BITS * u64::from(b'"')));
    let backslash = zero(word ^ (LOW_BITS * u64::from(b'\\')));
    // With `ensure_ascii`, DEL too: the bytes that reach 0x80 when one is added.
    let high = if ensure_ascii {
        (word.wrapping_add(LOW_BITS) | word) & HIGH_BITS
    } else {
        word & HIGH_BITS
    };
    control | quote | backslash | high
}

/// Strings from this length are first tried as printable ASCII
/// ([`escape_printable_ascii_onto`]): a stored Resource written as a string value.
const LONG_STRING: usize = 256;

/// High bit of each byte lane of `word` outside printable ASCII (below 0x20, or
/// from DEL up); zero exactly when every byte is printable.
fn unprintable_lanes(word: u64) -> u64 {
    let control = word.wrapping_sub(LOW_BITS * 0x20) & !word;
    let high = word.wrapping_add(LOW_BITS) | word;
    (control | high) & HIGH_BITS
}

/// High bit of each byte lane of `word` holding a quote or a backslash, exactly when
/// every byte of `word` is below 0x80 (otherwise the answer is not used).
fn quote_lanes_ascii(word: u64) -> u64 {
    const LOW_SEVEN: u64 = !HIGH_BITS;
    let quote = word ^ (LOW_BITS * u64::from(b'"'));
    let backslash = word ^ (LOW_BITS * u64::from(b'\\'));
    // A lane below 0x80 is nonzero exactly when adding 0x7f sets its high bit.
    let nonzero_quote = quote.wrapping_add(LOW_SEVEN) | quote;
    let nonzero_backslash = backslash.wrapping_add(LOW_SEVEN) | backslash;
    !(nonzero_quote & nonzero_backslash) & HIGH_BITS
}

/// Appends `s` to `out` as the inside of a JSON string literal when every character
/// is printable ASCII (then only quotes and backslashes are escaped, with or without
/// `ensure_ascii`) and answers `true`; otherwise leaves `out` as it was and answers
/// `false`. One pass, eight bytes at a time, straight into `out`'s buffer: each
/// word is stored whole, and each escape stores the rest of the word again one
/// place on, within a window of 24 bytes (a word of eight escapes writes 16).
fn escape_printable_ascii_onto(out: &mut String, s: &str) -> bool {
    const WINDOW: usize = 24;
    let src = s.as_bytes();
    let mut buf = std::mem::take(out).into_bytes();
    let start = buf.len();
    // Room for one escape in eight bytes before growing.
    buf.resize(start + src.len() + src.len() / 8 + WINDOW, 0);
    let mut written = start;
    // Lanes outside printable ASCII, gathered over the whole text.
    let mut unprintable = 0;
    let mut words = src.chunks_exact(8);
    for chunk in &mut words {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        let word = u64::from_le_bytes(bytes);
        unprintable |= unprintable_lanes(word);
        if buf.len() < written + WINDOW {
            let more = buf.len() / 2 + WINDOW;
            buf.resize(buf.len() + more, 0);
        }
        let Some(window) = buf
            .get_mut(written..written + WINDOW)
            .and_then(|w| <&mut [u8; WINDOW]>::try_from(w).ok())
        else {
            break;
        };
        let (head, _) = window.split_at_mut(8);
        head.copy_from_slice(&bytes);
        let mut lanes = quote_lanes_ascii(word);
        let mut escapes = 0;
        while lanes != 0 {
            let lane = (lanes.trailing_zeros() / 8) as usize;
            // The escape goes before byte `lane` (moved on by the escapes before
            // it), and the word from there one place on.
            let at = (escapes + lane) & 15;
            if let Some(slot) = window.get_mut(at) {
                *slot = b'\\';
            }
            if let Some(rest) = window.get_mut(at + 1..at + 9) {
                rest.copy_from_slice(&(word >> (8 * lane)).to_le_bytes());
            }
            escapes += 1;
            lanes &= lanes - 1;
        }
        written += 8 + escapes;
    }
    let rest = words.remainder();
    if buf.len() < written + 2 * rest.len() {
        buf.resize(written + 2 * rest.len(), 0);
    }
    for &byte in rest {
        unprintable |= u64::from(byte.wrapping_sub(0x20) >= 0x5f) << 7;
        if byte == b'"' || byte == b'\\' {
            if let Some(slot) = buf.get_mut(written) {
                *slot = b'\\';
            }
            written += 1;
        }
        if let Some(slot) = buf.get_mut(written) {
            *slot = byte;
        }
        written += 1;
    }
    // Every word went through the window, or the text is not written here.
    let done = words.len() == 0 && written <= buf.len();
    let printable = unprintable & HIGH_BITS == 0 && done;
    buf.truncate(if printable { written } else { start });
    match String::from_utf8(buf) {
        Ok(text) => {
            *out = text;
            printable
        }
        // Not reached: what stands in the buffer is valid text.
        Err(e) => {
            let mut bytes = e.into_bytes();
            bytes.truncate(start);
            *out = String::from_utf8_lossy(&bytes).into_owned();
            false
        }
    }
}

/// [`write_str`] without the quotes.
pub fn write_str_body(out: &mut String, s: &str, ensure_ascii: bool) {
    if s.len() >= LONG_STRING && escape_printable_ascii_onto(out, s) {
        return;
    }
    write_str_body_general(out, s, ensure_ascii);
}

/// [`write_str_body`] for any text.
fn write_str_body_general(out: &mut String, s: &str, ensure_ascii: bool) {
    let stops = if ensure_ascii {
        &STOPS_ASCII
    } else {
        &STOPS_UTF8
    };
    let bytes = s.as_bytes();
    let mut copied = 0;
    let mut at = 0;
    loop {
        // Eight bytes at a time up to the next byte that may need an escape.
        while let Some(chunk) = bytes.get(at..at + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let mark = marked(u64::from_le_bytes(word), ensure_ascii);
            if mark != 0 {
                at += (mark.trailing_zeros() / 8) as usize;
                break;
            }
            at += 8;
        }
        let Some(&byte) = bytes.get(at) else {
            break;
        };
        if byte == b'"' || byte == b'\\' {
            // The character is copied with the next run.
            out.push_str(s.get(copied..at).unwrap_or(""));
            out.push('\\');
            copied = at;
            at += 1;
            continue;
        }
        if !stops[usize::from(byte)] {
            at += 1;
            continue;
        }
        out.push_str(s.get(copied..at).unwrap_or(""));
        let escape = match byte {
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0x08 => Some("\\b"),
            0x0c => Some("\\f"),
            _ => None,
        };
        if let Some(escape) = escape {
            out.push_str(escape);
            at += 1;
            copied = at;
            continue;
        }
        let Some(c) = s.get(at..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        at += c.len_utf8();
        copied = at;
        match c {
            c if (c as u32) < 0x20 => push_unit(out, c as u32),
            c => match crate::json::as_lone_surrogate(c) {
                Some(unit) => push_unit(out, unit),
                None if ensure_ascii => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        push_unit(out, u32::from(*unit));
                    }
                }
                None => out.push(c),
            },
        }
    }
    out.push_str(s.get(copied..).unwrap_or(""));
}

/// `\uXXXX` with lowercase hex digits.
fn push_unit(out: &mut String, unit: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        out.push(char::from(HEX[((unit >> shift) & 0xf) as usize]));
    }
}

/// A JSON string literal (ensure_ascii).
pub fn quote(s: &str) -> String {
    let mut out = String::new();
    write_str(&mut out, s, true);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(value: Value) -> Node {
        Node::synthetic(value)
    }

    #[test]
    fn separators_and_escapes_match_simplejson() {
        let tree = n(Value::Object(vec![
            (
                "a".into(),
                n(Value::Str("x é \u{2028} \u{7f} 😀 \u{1}\n\t\"\\".into())),
            ),
            (
                "b".into(),
                n(Value::Array(vec![
                    n(Value::Int("1".into())),
                    n(Value::Decimal("1E+2".into())),
                    n(Value::Null),
                    n(Value::Bool(true)),
                ])),
            ),
            ("c".into(), n(Value::Object(vec![]))),
        ]));
        assert_eq!(
            dumps(&tree, true),
            r#"{"a": "x \u00e9 \u2028 \u007f \ud83d\ude00 \u0001\n\t\"\\", "b": [1, 1E+2, null, true], "c": {}}"#
        );
    }

    #[test]
    fn lone_surrogates_are_written_as_python_escapes() {
        let text: String = [
            'a',
            crate::json::lone_surrogate_char(0xD800),
            'é',
            crate::json::lone_surrogate_char(0xDC00),
        ]
        .iter()
        .collect();
        assert_eq!(quote(&text), r#""a\ud800\u00e9\udc00""#);
        let mut plain = String::new();
        write_str(&mut plain, &text, false);
        assert_eq!(plain, "\"a\\ud800é\\udc00\"");
    }

    /// Character by character, as Python's encoder goes.
    fn reference(s: &str, ensure_ascii: bool) -> String {
        let mut out = String::from('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{08}' => out.push_str("\\b"),
                '\u{0c}' => out.push_str("\\f"),
                c if (c as u32) < 0x20 => push_unit(&mut out, c as u32),
                c => match crate::json::as_lone_surrogate(c) {
                    Some(unit) => push_unit(&mut out, unit),
                    None if ensure_ascii && (c as u32) >= 0x7f => {
                        let mut units = [0u16; 2];
                        for unit in c.encode_utf16(&mut units) {
                            push_unit(&mut out, u32::from(*unit));
                        }
                    }
                    None => out.push(c),
                },
            }
        }
        out.push('"');
        out
    }

    /// Random strings over `alphabet`, mostly plain runs.
    fn random_strings(alphabet: &[char], rounds: usize, max_len: u64) -> Vec<String> {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut all = Vec::new();
        for _ in 0..rounds {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % max_len) as usize;
            let mut state = seed;
            let mut s = String::new();
            for i in 0..len {
                state = state.rotate_left(11) ^ (i as u64).wrapping_mul(0x2545_f491);
                let pick = (state % (alphabet.len() as u64 * 4)) as usize;
                s.push(alphabet.get(pick).copied().unwrap_or('k'));
            }
            all.push(s);
        }
        all
    }

    /// [`escape_printable_ascii_onto`] after a prefix, which it must keep either way.
    fn escape_printable_ascii(s: &str) -> Option<String> {
        let mut out = String::from("prefix é");
        if escape_printable_ascii_onto(&mut out, s) {
            out.strip_prefix("prefix é").map(str::to_string)
        } else {
            assert_eq!(out, "prefix é");
            None
        }
    }

    #[test]
    fn plain_texts_are_found_exactly() {
        let alphabet: Vec<char> = (0u8..=0x7f).map(char::from).chain(['é', '😀']).collect();
        for len in 0..20 {
            for (i, &odd) in alphabet.iter().enumerate() {
                for at in 0..len.max(1) {
                    let mut s: String = (0..len)
                        .map(|j| char::from(b'a' + (j % 26) as u8))
                        .collect();
                    if len > 0 {
                        s.replace_range(at..at + 1, odd.encode_utf8(&mut [0u8; 4]));
                    }
                    let expected = s
                        .chars()
                        .all(|c| (' '..='~').contains(&c) && c != '"' && c != '\\');
                    assert_eq!(is_plain(s.as_bytes()), expected, "{i} {len} {at} {s:?}");
                }
            }
        }
    }

    #[test]
    fn printable_ascii_escape_matches_the_general_path() {
        let printable = ['a', ' ', '~', '"', '\\', '{', ':', ','];
        for s in random_strings(&printable, 3000, 70) {
            let mut general = String::new();
            write_str_body_general(&mut general, &s, true);
            assert_eq!(
                escape_printable_ascii(&s).as_deref(),
                Some(&*general),
                "{s:?}"
            );
        }
        // Runs of escapes, every lane of a word, and an empty text.
        for s in [
            "",
            "\"",
            "\\\\\\",
            "\"\"\"\"\"\"\"\"\"",
            "\\\"\\\"\\\"\\\"\\",
        ] {
            let mut general = String::new();
            write_str_body_general(&mut general, s, false);
            assert_eq!(escape_printable_ascii(s).as_deref(), Some(&*general));
        }
        // Anything else is left to the general path, wherever it stands.
        for odd in [
            '\u{7f}',
            '\u{1f}',
            '\n',
            '\u{0}',
            'é',
            '😀',
            '\u{80}',
            '\u{10ffff}',
        ] {
            for at in [0, 5, 7, 8, 300, 301] {
                let mut s = "x\"y".repeat(120);
                s.insert(at.min(s.len()), odd);
                assert_eq!(escape_printable_ascii(&s), None, "{odd:?} at {at}");
            }
        }
        let surrogate = crate::json::lone_surrogate_char(0xD800).to_string();
        assert_eq!(escape_printable_ascii(&surrogate.repeat(100)), None);
    }

    #[test]
    fn long_strings_match_the_character_walk() {
        let alphabet = [
            'a',
            '"',
            '\\',
            ' ',
            '\u{7f}',
            '\n',
            'é',
            '😀',
            crate::json::lone_surrogate_char(0xDBFF),
        ];
        let plain = ['r', '"', '\\', ':', ' '];
        let mut texts = random_strings(&alphabet, 300, 2000);
        texts.extend(random_strings(&plain, 300, 3000));
        // A Resource-like text with a non-ASCII character only at its end.
        texts.push(format!(
            "{}é",
            r#"{"resourceType": "Immunization", "a": "\"b"}"#.repeat(40)
        ));
        texts.push("q".repeat(LONG_STRING));
        texts.push("\"".repeat(10_000));
        for s in &texts {
            for ensure_ascii in [true, false] {
                let mut out = String::from("prefix");
                write_str(&mut out, s, ensure_ascii);
                assert_eq!(out, format!("prefix{}", reference(s, ensure_ascii)));
            }
        }
    }

    #[test]
    fn word_at_a_time_scan_matches_the_character_walk() {
        let alphabet: Vec<char> = vec![
            'a',
            'Z',
            ' ',
            '~',
            '"',
            '\\',
            '\n',
            '\u{0}',
            '\u{1f}',
            '\u{7f}',
            '\u{80}',
            'é',
            '\u{2028}',
            '\u{fffd}',
            '😀',
            '\u{10ffff}',
            crate::json::lone_surrogate_char(0xD800),
            crate::json::lone_surrogate_char(0xDFFF),
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for round in 0..4000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 40) as usize;
            let mut s = String::new();
            let mut state = seed;
            for i in 0..len {
                state = state.rotate_left(7) ^ (i as u64).wrapping_mul(0x9e37);
                // Mostly plain runs, so that whole words are skipped.
                let pick = (state % (alphabet.len() as u64 * 3)) as usize;
                s.push(alphabet.get(pick).copied().unwrap_or('x'));
            }
            for ensure_ascii in [true, false] {
                let mut out = String::new();
                write_str(&mut out, &s, ensure_ascii);
                assert_eq!(out, reference(&s, ensure_ascii), "round {round}: {s:?}");
            }
        }
    }
}
