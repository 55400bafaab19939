//! String literals as CPython's `_json.scanstring` (strict mode) reads them.

/// First of the 2,048 characters standing for Python's lone surrogates
/// U+D800..U+DFFF in decoded strings: U+D800 + k is stored as
/// U+10F800 + k (the top of Supplementary Private Use Area-B, up to U+10FFFF).
/// Like a surrogate, each is a single code point (same `len()`, never
/// whitespace, never alphanumeric), and the mapping keeps distinct surrogates
/// distinct (as dict keys, for instance). A body that really contains one of
/// these private-use characters reads the same as the matching surrogate.
pub const LONE_SURROGATE_BASE: u32 = 0x10_F800;

/// The stand-in character for the lone surrogate `unit` (U+D800..U+DFFF);
/// any other unit is returned as the character it is, if it is one.
pub fn lone_surrogate_char(unit: u32) -> char {
    if (0xD800..=0xDFFF).contains(&unit) {
        char::from_u32(LONE_SURROGATE_BASE + (unit - 0xD800)).unwrap_or(char::REPLACEMENT_CHARACTER)
    } else {
        char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER)
    }
}

/// The Python lone surrogate (U+D800..U+DFFF) a decoded character stands for, if any.
pub fn as_lone_surrogate(ch: char) -> Option<u32> {
    let code = u32::from(ch);
    (code >= LONE_SURROGATE_BASE).then(|| 0xD800 + (code - LONE_SURROGATE_BASE))
}

/// Why a string literal was rejected, and the byte offset Python reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StringError {
    pub msg: &'static str,
    pub byte_offset: usize,
}

pub const UNTERMINATED: &str = "Unterminated string starting at";
pub const CONTROL_CHARACTER: &str = "Invalid control character at";
pub const INVALID_ESCAPE: &str = "Invalid \\escape";
pub const INVALID_UNICODE_ESCAPE: &str = "Invalid \\uXXXX escape";

/// Bytes that end a run of plain string content: `"`, `\` and the control
/// characters U+0000..U+001F (rejected in strict mode).
const STOP: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// High bit set in each byte lane of the little-endian word `w` that holds a
/// stop byte, using the classic "has a byte less than n" / "has a zero byte"
/// tests. A borrow can only mark lanes above a true stop byte, so the word is
/// zero exactly when it holds no stop byte and its lowest set bit marks the
/// first one.
#[inline]
fn stop_mask(w: u64) -> u64 {
    let below_space = w.wrapping_sub(ONES * 0x20) & !w;
    let quote = w ^ (ONES * u64::from(b'"'));
    let backslash = w ^ (ONES * u64::from(b'\\'));
    let quote_zero = quote.wrapping_sub(ONES) & !quote;
    let backslash_zero = backslash.wrapping_sub(ONES) & !backslash;
    (below_space | quote_zero | backslash_zero) & HIGHS
}

/// Index of the first stop byte at or after `from`, or `bytes.len()`.
#[inline]
pub(super) fn find_stop(bytes: &[u8], from: usize) -> usize {
    let mut index = from;
    // Eight bytes at a time.
    while let Some(chunk) = bytes.get(index..index + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let mask = stop_mask(u64::from_le_bytes(word));
        if mask != 0 {
            return index + (mask.trailing_zeros() / 8) as usize;
        }
        index += 8;
    }
    while let Some(&b) = bytes.get(index) {
        if STOP[b as usize] {
            break;
        }
        index += 1;
    }
    index
}

/// Value of the four hex digits at `bytes[at..at + 4]`, if they are hex digits.
fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    let digits = bytes.get(at..at + 4)?;
    let mut value = 0u32;
    for &d in digits {
        value = (value << 4) | (d as char).to_digit(16)?;
    }
    Some(value)
}

/// Reads the string literal whose opening quote is at `quote`; returns the
/// decoded text and the byte offset just past the closing quote.
///
/// Mirrors the scanner: a raw control character is an error at its own
/// position; `\` + anything but `"\/bfnrtu` is an error at the backslash;
/// a `\u` not followed by four hex digits and at least one more character is
/// an error at the `u`; a high surrogate escape followed by a low surrogate
/// escape combines into one character; a running off the end is
/// "Unterminated string" at the opening quote.
///
/// Python keeps unpaired surrogates (`"\ud800"`) in its `str`; a Rust `String`
/// cannot hold them, so each is stored as its stand-in character (see
/// [`lone_surrogate_char`]).
pub fn scan_string(text: &str, quote: usize) -> Result<(String, usize), StringError> {
    let bytes = text.as_bytes();
    let len = bytes.len();
    let unterminated = StringError {
        msg: UNTERMINATED,
        byte_offset: quote,
    };
    let mut chunk_start = quote + 1;
    let mut decoded: Option<String> = None;
    loop {
        let stop = find_stop(bytes, chunk_start);
        let Some(&c) = bytes.get(stop) else {
            return Err(unterminated);
        };
        if c < 0x20 {
            return Err(StringError {
                msg: CONTROL_CHARACTER,
                byte_offset: stop,
            });
        }
        // `stop` and `chunk_start` sit next to ASCII bytes, so they are char boundaries.
        let chunk = text.get(chunk_start..stop).unwrap_or("");
        if c == b'"' {
            let value = match decoded {
                None => chunk.to_owned(),
                Some(mut out) => {
                    out.push_str(chunk);
                    out
                }
            };
            return Ok((value, stop + 1));
        }
        // A backslash escape.
        let out = decoded.get_or_insert_with(String::new);
        out.push_str(chunk);
        let escape_at = stop + 1;
        let Some(&escape) = bytes.get(escape_at) else {
            return Err(unterminated);
        };
        if escape != b'u' {
            let ch = match escape {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                _ => {
                    return Err(StringError {
                        msg: INVALID_ESCAPE,
                        byte_offset: stop,
                    })
                }
            };
            out.push(ch);
            chunk_start = escape_at + 1;
            continue;
        }
        let invalid_unicode = StringError {
            msg: INVALID_UNICODE_ESCAPE,
            byte_offset: escape_at,
        };
        let digits_at = escape_at + 1;
        let mut end = digits_at + 4;
        // The scanner wants the four digits and at least one character after them.
        if end >= len {
            return Err(invalid_unicode);
        }
        let unit = hex4(bytes, digits_at).ok_or(invalid_unicode)?;
        let mut code_point = unit;
        if (0xD800..=0xDBFF).contains(&unit)
            && end + 6 < len
            && bytes.get(end) == Some(&b'\\')
            && bytes.get(end + 1) == Some(&b'u')
        {
            let low = hex4(bytes, end + 2).ok_or(StringError {
                msg: INVALID_UNICODE_ESCAPE,
                byte_offset: end + 1,
            })?;
            if (0xDC00..=0xDFFF).contains(&low) {
                code_point = 0x10000 + (((unit - 0xD800) << 10) | (low - 0xDC00));
                end += 6;
            }
        }
        out.push(lone_surrogate_char(code_point));
        chunk_start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> (String, usize) {
        match scan_string(text, 0) {
            Ok(v) => v,
            Err(e) => panic!("{text:?}: {e:?}"),
        }
    }

    fn err(text: &str) -> (&'static str, usize) {
        match scan_string(text, 0) {
            Ok(v) => panic!("{text:?} parsed as {v:?}"),
            Err(e) => (e.msg, e.byte_offset),
        }
    }

    #[test]
    fn word_stop_test_matches_the_table() {
        // Every byte value in every lane, alone and above or below another stop byte.
        for b in 0..=255u8 {
            for lane in 0..8 {
                let mut word = [b'a'; 8];
                word[lane] = b;
                let first = if STOP[b as usize] { lane } else { 8 };
                assert_eq!(find_stop(&word, 0), first, "{b} at {lane}");
                for other in 0..8 {
                    if other == lane {
                        continue;
                    }
                    let mut pair = word;
                    pair[other] = b'\\';
                    let expected = if STOP[b as usize] {
                        lane.min(other)
                    } else {
                        other
                    };
                    assert_eq!(
                        find_stop(&pair, 0),
                        expected,
                        "{b} at {lane}, backslash at {other}"
                    );
                }
            }
        }
        for text in [
            "é😀abcdefghijklmnop\"",
            "\u{7f}\u{80}\u{ff}xx",
            "0123456\\",
            "",
            "abc",
        ] {
            let expected = text
                .bytes()
                .position(|b| STOP[b as usize])
                .unwrap_or(text.len());
            assert_eq!(find_stop(text.as_bytes(), 0), expected, "{text:?}");
        }
    }

    #[test]
    fn plain_and_escaped() {
        assert_eq!(ok(r#""abc" tail"#), ("abc".to_owned(), 5));
        assert_eq!(ok(r#""""#), (String::new(), 2));
        assert_eq!(
            ok(r#""a\"b\\c\/d\be\ff\ng\rh\ti""#).0,
            "a\"b\\c/d\u{8}e\u{c}f\ng\rh\ti"
        );
        assert_eq!(ok(r#""\u00e9\u00E9""#).0, "éé");
        assert_eq!(ok("\"é😀\"").0, "é😀");
        assert_eq!(
            ok(r#""0123456789abcdefghij\n""#).0,
            "0123456789abcdefghij\n"
        );
    }

    #[test]
    fn surrogates() {
        assert_eq!(ok(r#""\ud83d\ude00""#).0, "😀");
        assert_eq!(ok(r#""\ud83d""#).0, "\u{10f83d}");
        assert_eq!(ok(r#""\ude00\ud83d""#).0, "\u{10fe00}\u{10f83d}");
        assert_eq!(ok(r#""\ud83dx""#).0, "\u{10f83d}x");
        assert_eq!(ok(r#""\ud83d\u0041""#).0, "\u{10f83d}A");
        assert_eq!(ok(r#""\uD800\uDFFF""#).0, "\u{103ff}");
    }

    #[test]
    fn lone_surrogate_stand_ins() {
        assert_eq!(lone_surrogate_char(0xD800), '\u{10f800}');
        assert_eq!(lone_surrogate_char(0xDFFF), '\u{10ffff}');
        assert_eq!(lone_surrogate_char(0x41), 'A');
        assert_eq!(as_lone_surrogate('\u{10f800}'), Some(0xD800));
        assert_eq!(as_lone_surrogate('\u{10ffff}'), Some(0xDFFF));
        assert_eq!(as_lone_surrogate('\u{10f7ff}'), None);
        assert_eq!(as_lone_surrogate('A'), None);
        assert_eq!(as_lone_surrogate('\u{fffd}'), None);
    }

    #[test]
    fn errors() {
        assert_eq!(err(r#""abc"#), (UNTERMINATED, 0));
        assert_eq!(err("\"a\nb\""), (CONTROL_CHARACTER, 2));
        assert_eq!(err(r#""a\x""#), (INVALID_ESCAPE, 2));
        assert_eq!(err(r#""a\"#), (UNTERMINATED, 0));
        assert_eq!(err(r#""\u12""#), (INVALID_UNICODE_ESCAPE, 2));
        assert_eq!(err(r#""\u123g""#), (INVALID_UNICODE_ESCAPE, 2));
        assert_eq!(err(r#""\u1234"#), (INVALID_UNICODE_ESCAPE, 2));
        assert_eq!(err(r#""\ud800\u12x4""#), (INVALID_UNICODE_ESCAPE, 8));
    }
}
