//! The validators pydantic runs for each FHIR primitive type of fhir.resources
//! 7.0.2, with their coercions (`str_validator` turns numbers into text,
//! `int_validator` truncates decimals, `bool_validator` reads `"yes"`...).

use super::datetime::{
    check_date, check_datetime, check_instant, check_time, validate_date, validate_datetime,
    validate_instant, validate_time,
};
use super::errors::PyError;
use super::pytext::{is_py_space, py_int_of_str, py_len, py_lower, Dec};
use super::value::PyVal;
use crate::fhir_model::Primitive;
use crate::json::{PyFloat, Value};

/// Regex texts as pydantic reports them in `string does not match regex "..."`.
pub const STRING_PATTERN: &str = "[ \\r\\n\\t\\S]+";
pub const CODE_PATTERN: &str = "^[^\\s]+(\\s[^\\s]+)*$";
pub const ID_PATTERN: &str = "^[A-Za-z0-9\\-.]+$";
pub const OID_PATTERN: &str = "^urn:oid:[0-2](\\.(0|[1-9][0-9]*))+$";

/// Validates one non-null value for a primitive-typed field.
pub fn validate_primitive(p: Primitive, v: &Value) -> Result<PyVal, PyError> {
    match p {
        Primitive::Boolean => bool_validator(v).map(PyVal::Bool),
        Primitive::String
        | Primitive::Code
        | Primitive::Id
        | Primitive::Oid
        | Primitive::Uri
        | Primitive::Canonical
        | Primitive::Markdown
        | Primitive::Xhtml => {
            let s = str_validator(v)?;
            check_text(p, &s)?;
            Ok(PyVal::Str(s))
        }
        Primitive::Base64Binary => bytes_validator(v).map(PyVal::Str),
        Primitive::Decimal => decimal_validator(v).map(|d| PyVal::Decimal(d.to_py_str())),
        Primitive::Integer | Primitive::UnsignedInt | Primitive::PositiveInt => {
            let i = int_validator(v)?;
            check_int(p, &i)?;
            Ok(PyVal::Int(i))
        }
        Primitive::Date => validate_date(v),
        Primitive::DateTime => validate_datetime(v),
        Primitive::Instant => validate_instant(v),
        Primitive::Time => validate_time(v),
        Primitive::Uuid => uuid_validator(v),
        Primitive::Url => url_validator(v),
    }
}

/// [`validate_primitive`] without building the value: the same outcome for
/// every input, cheaper for the common ones (text given to a text type, a
/// boolean to `Boolean`, dates and times).
pub fn check_primitive(p: Primitive, v: &Value) -> Result<(), PyError> {
    match (p, v) {
        (Primitive::Boolean, Value::Bool(_)) => Ok(()),
        (
            Primitive::String
            | Primitive::Code
            | Primitive::Id
            | Primitive::Oid
            | Primitive::Uri
            | Primitive::Canonical
            | Primitive::Markdown
            | Primitive::Xhtml,
            Value::Str(s),
        ) => check_text(p, s),
        (Primitive::Base64Binary, Value::Str(_)) => Ok(()),
        // `int_validator` keeps a JSON integer's digits as written.
        (Primitive::Integer | Primitive::UnsignedInt | Primitive::PositiveInt, Value::Int(d)) => {
            check_int(p, d)
        }
        // A plain JSON decimal (`-12.50`) is always a finite `Decimal`.
        (Primitive::Decimal, Value::Decimal(t)) if is_plain_decimal(t) => Ok(()),
        // `str()` of the validated `Decimal` cannot fail: only its validation can.
        (Primitive::Decimal, _) => decimal_validator(v).map(|_| ()),
        (Primitive::Date, _) => check_date(v).map(|_| ()),
        (Primitive::DateTime, _) => check_datetime(v).map(|_| ()),
        (Primitive::Instant, _) => check_instant(v).map(|_| ()),
        (Primitive::Time, _) => check_time(v).map(|_| ()),
        _ => validate_primitive(p, v).map(|_| ()),
    }
}

/// `-?[0-9]+(\.[0-9]+)?`: a number `Decimal` reads as a finite value.
fn is_plain_decimal(t: &str) -> bool {
    let unsigned = t.strip_prefix('-').unwrap_or(t);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction)
}

/// The bounds of the integer types on the digits `int_validator` gave.
fn check_int(p: Primitive, i: &str) -> Result<(), PyError> {
    match p {
        Primitive::UnsignedInt if i.starts_with('-') => Err(PyError::not_ge(0)),
        Primitive::PositiveInt if i.starts_with('-') || i == "0" => Err(PyError::not_gt(0)),
        _ => Ok(()),
    }
}

/// The constraints of the text types on the text `str_validator` gave.
fn check_text(p: Primitive, s: &str) -> Result<(), PyError> {
    match p {
        Primitive::String if !string_regex(s) => Err(PyError::regex(STRING_PATTERN)),
        Primitive::Code if !code_regex(s) => Err(PyError::regex(CODE_PATTERN)),
        Primitive::Id => {
            let n = py_len(s);
            if n < 1 {
                return Err(PyError::min_length(1));
            }
            if n > 64 {
                return Err(PyError::max_length(64));
            }
            if !id_regex(s) {
                return Err(PyError::regex(ID_PATTERN));
            }
            Ok(())
        }
        Primitive::Oid if !oid_regex(s) => Err(PyError::regex(OID_PATTERN)),
        // `\S*`, `\s*(\S|\s)*` and no pattern: every text matches.
        _ => Ok(()),
    }
}

/// `str(x)` of a number as `str_validator` produces it.
fn number_text(v: &Value) -> Option<String> {
    match v {
        Value::Bool(b) => Some(if *b { "True" } else { "False" }.to_string()),
        Value::Int(d) => Some(d.as_str().to_owned()),
        Value::Decimal(t) => Dec::from_literal(t).map(|d| d.to_py_str()),
        Value::Float(f) => Some(
            match f {
                PyFloat::NaN => "nan",
                PyFloat::Infinity => "inf",
                PyFloat::NegInfinity => "-inf",
            }
            .to_string(),
        ),
        _ => None,
    }
}

/// pydantic `str_validator`: text as is, numbers (and booleans) through `str()`.
pub fn str_validator(v: &Value) -> Result<String, PyError> {
    match v {
        Value::Str(s) => Ok(s.as_str().to_owned()),
        other => number_text(other).ok_or_else(PyError::str_type),
    }
}

/// pydantic `bytes_validator` (the value kept as text for serialisation).
fn bytes_validator(v: &Value) -> Result<String, PyError> {
    match v {
        Value::Str(s) => Ok(s.as_str().to_owned()),
        other => number_text(other).ok_or_else(PyError::bytes_type),
    }
}

/// pydantic `bool_validator`.
pub fn bool_validator(v: &Value) -> Result<bool, PyError> {
    const TRUE: [&str; 6] = ["1", "on", "t", "true", "y", "yes"];
    const FALSE: [&str; 6] = ["0", "off", "f", "false", "n", "no"];
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Str(s) => {
            let l = py_lower(s);
            if TRUE.contains(&l.as_str()) {
                Ok(true)
            } else if FALSE.contains(&l.as_str()) {
                Ok(false)
            } else {
                Err(PyError::bool_parse())
            }
        }
        Value::Int(d) => match d.as_str() {
            "1" => Ok(true),
            "0" | "-0" => Ok(false),
            _ => Err(PyError::bool_parse()),
        },
        Value::Decimal(t) => {
            let d = Dec::from_literal(t).ok_or_else(PyError::bool_parse)?;
            if d.equals_small_int(1) {
                Ok(true)
            } else if d.equals_small_int(0) {
                Ok(false)
            } else {
                Err(PyError::bool_parse())
            }
        }
        _ => Err(PyError::bool_parse()),
    }
}

/// pydantic `int_validator`.
pub fn int_validator(v: &Value) -> Result<String, PyError> {
    match v {
        Value::Int(d) => Ok(d.as_str().to_owned()),
        Value::Bool(b) => Ok(if *b { "1" } else { "0" }.to_string()),
        Value::Str(s) => {
            if s.len() > 4300 {
                return Err(PyError::integer());
            }
            py_int_of_str(s).ok_or_else(PyError::integer)
        }
        Value::Decimal(t) => Dec::from_literal(t)
            .and_then(|d| d.to_int())
            .ok_or_else(PyError::integer),
        _ => Err(PyError::integer()),
    }
}

/// pydantic `decimal_validator` then `ConstrainedDecimal.validate`.
pub fn decimal_validator(v: &Value) -> Result<Dec, PyError> {
    let d = match v {
        Value::Decimal(t) => Dec::from_literal(t).ok_or_else(PyError::decimal)?,
        Value::Str(s) => Dec::parse(s).ok_or_else(PyError::decimal)?,
        Value::Int(digits) => Dec::parse(digits).ok_or_else(PyError::decimal)?,
        Value::Float(f) => match f {
            PyFloat::NaN => Dec::NaN,
            PyFloat::Infinity => Dec::Infinite { neg: false },
            PyFloat::NegInfinity => Dec::Infinite { neg: true },
        },
        // `str(True)`, `str([...])`, `str({...})` are not numbers.
        _ => return Err(PyError::decimal()),
    };
    if !d.is_finite() {
        return Err(PyError::decimal_not_finite());
    }
    Ok(d)
}

/// pydantic `uuid_validator` on the `Uuid` type.
fn uuid_validator(v: &Value) -> Result<PyVal, PyError> {
    let s = match v {
        Value::Str(s) => s,
        _ => return Err(PyError::uuid()),
    };
    // `uuid.UUID(hex)`: braces and `urn:uuid:` removed, hyphens dropped, 32 hex digits.
    let mut hex = s.replace("urn:", "").replace("uuid:", "");
    hex = hex.trim_matches(|c| c == '{' || c == '}').replace('-', "");
    if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(PyError::uuid());
    }
    let h = hex.to_ascii_lowercase();
    let pretty = format!(
        "{}-{}-{}-{}-{}",
        h.get(0..8).unwrap_or(""),
        h.get(8..12).unwrap_or(""),
        h.get(12..16).unwrap_or(""),
        h.get(16..20).unwrap_or(""),
        h.get(20..32).unwrap_or("")
    );
    Ok(PyVal::Str(pretty))
}

/// fhir.resources `Url.validate`: `mailto:`, `mllp:`, `llp:`, `urn:` and
/// primitive type names pass; otherwise an absolute URL or a relative path
/// whose first segment is a resource-type-like word.
fn url_validator(v: &Value) -> Result<PyVal, PyError> {
    let s = str_validator(v)?;
    // `AnyUrl` strips whitespace before its length check.
    if super::pytext::py_strip(&s).is_empty() {
        return Err(PyError::min_length(1));
    }
    if s.starts_with("mllp:")
        || s.starts_with("llp:")
        || s.starts_with("urn:")
        || s.starts_with("mailto:")
    {
        return Ok(PyVal::Str(s));
    }
    if let Some((scheme, rest)) = s.split_once("://") {
        let scheme_ok = scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if scheme_ok && !rest.is_empty() && !rest.chars().any(is_py_space) {
            return Ok(PyVal::Str(s));
        }
    }
    let path = s.strip_prefix('/').unwrap_or(&s);
    let first: String = path
        .chars()
        .take_while(|&c| !is_py_space(c) && c != '?' && c != '/')
        .collect();
    if !first.is_empty()
        && first
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '#'))
    {
        return Ok(PyVal::Str(s));
    }
    Err(PyError::new(
        "invalid or missing URL scheme",
        "value_error.url.scheme",
    ))
}

/// `[ \r\n\t\S]+` matched at the start: a first character that is not other whitespace.
fn string_regex(s: &str) -> bool {
    if let Some(&b) = s.as_bytes().first() {
        if b.is_ascii() {
            return matches!(b, b' ' | b'\r' | b'\n' | b'\t') || !is_ascii_py_space(b);
        }
    }
    match s.chars().next() {
        Some(c) => matches!(c, ' ' | '\r' | '\n' | '\t') || !is_py_space(c),
        None => false,
    }
}

/// [`is_py_space`] for an ASCII byte.
fn is_ascii_py_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r' | 0x1c..=0x1f)
}

/// Strips the single trailing `\n` Python's `$` tolerates.
fn dollar_body(s: &str) -> &str {
    s.strip_suffix('\n').unwrap_or(s)
}

/// `^[^\s]+(\s[^\s]+)*$`: non-empty words separated by single whitespace characters.
fn code_regex(s: &str) -> bool {
    let words = |t: &str| code_words_ascii(t).unwrap_or_else(|| code_words(t));
    words(s) || (s.ends_with('\n') && words(dollar_body(s)))
}

/// `[^\s]+(\s[^\s]+)*` in full: non-empty, not starting or ending with
/// whitespace, no two whitespace characters together.
fn code_words(t: &str) -> bool {
    !t.is_empty()
        && !t.starts_with(is_py_space)
        && !t.ends_with(is_py_space)
        && !t
            .chars()
            .zip(t.chars().skip(1))
            .any(|(a, b)| is_py_space(a) && is_py_space(b))
}

/// [`code_words`] in one pass over the bytes (as if whitespace stood before
/// the text), or `None` when a non-ASCII character comes before the answer is
/// known. Eight bytes at a time while they are all printable ASCII.
fn code_words_ascii(t: &str) -> Option<bool> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let mut after_space = true;
    let mut chunks = t.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let word = <[u8; 8]>::try_from(chunk).map_or(0, u64::from_le_bytes);
        // No byte below `!` nor above DEL: no whitespace, nothing non-ASCII.
        if (word.wrapping_sub(ONES * 0x21) | word) & (ONES * 0x80) == 0 {
            after_space = false;
            continue;
        }
        after_space = match code_bytes(chunk, after_space)? {
            Ok(space) => space,
            Err(answer) => return Some(answer),
        };
    }
    Some(match code_bytes(chunks.remainder(), after_space)? {
        Ok(space) => !space,
        Err(answer) => answer,
    })
}

/// Bytes of [`code_words_ascii`] one at a time: whether the last is whitespace
/// (`Ok`), the answer when one decides it (`Err(false)`: whitespace after
/// whitespace), or `None` at a non-ASCII byte.
#[inline(always)]
fn code_bytes(bytes: &[u8], mut after_space: bool) -> Option<Result<bool, bool>> {
    for &b in bytes {
        if !b.is_ascii() {
            return None;
        }
        let space = is_ascii_py_space(b);
        if space && after_space {
            return Some(Err(false));
        }
        after_space = space;
    }
    Some(Ok(after_space))
}

/// `^[A-Za-z0-9\-.]+$`
fn id_regex(s: &str) -> bool {
    let ok = |t: &str| {
        !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    };
    ok(s) || (s.ends_with('\n') && ok(dollar_body(s)))
}

/// `^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$`
fn oid_regex(s: &str) -> bool {
    let ok = |t: &str| {
        let Some(rest) = t.strip_prefix("urn:oid:") else {
            return false;
        };
        let mut parts = rest.split('.');
        let first = parts.next().unwrap_or("");
        if !matches!(first, "0" | "1" | "2") {
            return false;
        }
        let mut n = 0;
        for p in parts {
            n += 1;
            let valid = p == "0"
                || (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && !p.starts_with('0'));
            if !valid {
                return false;
            }
        }
        n >= 1
    };
    ok(s) || (s.ends_with('\n') && ok(dollar_body(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every ASCII text of up to five characters over letters and the whitespace
    /// characters: the one-pass code check answers as the general one.
    #[test]
    fn ascii_code_words_match_the_general_check() {
        let alphabet = ['a', 'b', ' ', '\t', '\n', '\r', '\x0b', '\x1c', '\x1f', '-'];
        let mut texts = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = texts
                .iter()
                .filter(|t| t.len() == texts.last().map_or(0, |l| l.len()))
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
        }
        assert!(texts.len() > 100_000);
        for t in &texts {
            assert_eq!(code_words_ascii(t), Some(code_words(t)), "{t:?}");
            // A non-ASCII character after the text: the one-pass answer, when it
            // gives one, is the general one.
            for tail in ["\u{a0}", "é", "\u{3000}x"] {
                let longer = format!("{t}{tail}");
                if let Some(answer) = code_words_ascii(&longer) {
                    assert_eq!(answer, code_words(&longer), "{longer:?}");
                }
                assert_eq!(
                    code_regex(&longer),
                    code_words(&longer)
                        || (longer.ends_with('\n') && code_words(dollar_body(&longer)))
                );
            }
        }
    }

    /// The Decimal check answers as the full validation, on values of every type.
    #[test]
    fn decimal_check_matches_validation() {
        let values = [
            Value::Decimal("1.50".into()),
            Value::Decimal("-0.000".into()),
            Value::Decimal("1e999999999999".into()),
            Value::Int("12".into()),
            Value::Int("-0".into()),
            Value::Str("1.5".into()),
            Value::Str(" 2 ".into()),
            Value::Str("NaN".into()),
            Value::Str("x".into()),
            Value::Str("".into()),
            Value::Str("\u{10f800}".into()),
            Value::Float(PyFloat::NaN),
            Value::Float(PyFloat::Infinity),
            Value::Bool(true),
            Value::Null,
            Value::Array(vec![]),
            Value::Object(vec![]),
        ];
        for v in &values {
            assert_eq!(
                check_primitive(Primitive::Decimal, v),
                validate_primitive(Primitive::Decimal, v).map(|_| ()),
                "{v:?}"
            );
        }
    }

    fn s(v: &str) -> Value {
        Value::Str(v.into())
    }

    /// Texts long enough for the eight-byte steps, with whitespace, control,
    /// DEL and non-ASCII characters at every position around them.
    #[test]
    fn code_words_by_words_match_the_general_check() {
        let odd = [
            "", " ", "  ", "\t", "\n", "\x1c", "\x7f", "~", "!", "\u{a0}", "\u{3000}", "é", "a b",
        ];
        let general = |t: &str| code_words(t) || (t.ends_with('\n') && code_words(dollar_body(t)));
        for a in odd {
            for b in odd {
                for base in ["abcdefgh", "1324681000000101x", "abc"] {
                    for cut in 0..=base.len() {
                        let (x, y) = base.split_at(cut);
                        for t in [
                            format!("{a}{base}{b}"),
                            format!("{x}{a}{y}{b}"),
                            format!("{base}{a}{base}{b}{base}"),
                        ] {
                            assert_eq!(code_regex(&t), general(&t), "{t:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn string_pattern_on_first_characters() {
        for c in (0u32..0x3100).filter_map(char::from_u32) {
            for t in [c.to_string(), format!("{c}x")] {
                let general = matches!(c, ' ' | '\r' | '\n' | '\t') || !is_py_space(c);
                assert_eq!(string_regex(&t), general, "{t:?}");
            }
        }
        assert!(!string_regex(""));
    }

    #[test]
    fn plain_decimals_check_as_validated() {
        for t in [
            "1.50", "-0.000", "0", "-7", "12.", ".5", "-", "", "1e5", "1.5E-3", "1_0.5", "١.5",
            "--1", "1.2.3", "-.5",
        ] {
            let v = Value::Decimal(t.into());
            if is_plain_decimal(t) {
                assert!(decimal_validator(&v).is_ok(), "{t}");
            }
            assert_eq!(
                check_primitive(Primitive::Decimal, &v),
                validate_primitive(Primitive::Decimal, &v).map(|_| ()),
                "{t}"
            );
        }
        assert!(is_plain_decimal("-12.50") && !is_plain_decimal("1e5"));
    }

    #[test]
    fn ascii_space_is_python_space() {
        for b in 0u8..128 {
            assert_eq!(is_ascii_py_space(b), is_py_space(char::from(b)), "{b}");
        }
    }

    #[test]
    fn code_pattern() {
        assert!(code_regex("a\u{a0}b"));
        assert!(!code_regex("a\u{a0}\u{3000}b"));
        assert!(!code_regex("\u{85}a"));
        assert!(code_regex("é\n"));
        assert!(!code_regex("a\x1fb "));
        assert!(code_regex("a\x1fb"));
        assert!(!code_regex("a\n\n"));
        assert!(code_regex("completed"));
        assert!(code_regex("a b"));
        assert!(code_regex("abc\n"));
        assert!(!code_regex(""));
        assert!(!code_regex(" "));
        assert!(!code_regex("a  b"));
        assert!(!code_regex("a "));
    }

    #[test]
    fn coercions() {
        assert_eq!(str_validator(&Value::Int("5".into())), Ok("5".into()));
        assert_eq!(str_validator(&Value::Bool(true)), Ok("True".into()));
        assert_eq!(
            str_validator(&Value::Decimal("1e2".into())),
            Ok("1E+2".into())
        );
        assert_eq!(
            str_validator(&Value::Array(vec![])),
            Err(PyError::str_type())
        );
        assert_eq!(bool_validator(&s("Yes")), Ok(true));
        assert_eq!(
            bool_validator(&Value::Int("2".into())),
            Err(PyError::bool_parse())
        );
        assert_eq!(int_validator(&Value::Decimal("1.7".into())), Ok("1".into()));
        assert_eq!(
            validate_primitive(Primitive::PositiveInt, &Value::Decimal("0.5".into())),
            Err(PyError::not_gt(0))
        );
        assert_eq!(
            validate_primitive(Primitive::String, &s("")),
            Err(PyError::regex(STRING_PATTERN))
        );
        assert_eq!(
            validate_primitive(Primitive::Id, &s("")),
            Err(PyError::min_length(1))
        );
    }
}
