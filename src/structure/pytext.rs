//! Python text semantics pydantic's validators rely on: `str.isspace`, `\d`,
//! `int(str)`, `float(str)`, `decimal.Decimal(str)` and `str()`/`repr()` of
//! JSON values.

use crate::json::{Node, PyFloat, Value};

/// First code point of each run of ten Unicode `Nd` digits (Unicode 14, Python 3.11).
const ND_ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// The value of a Unicode decimal digit (what Python's `\d` and `int()` accept).
pub fn digit_value(c: char) -> Option<u32> {
    let cp = c as u32;
    // Below U+0660 the only decimal digits are ASCII `0-9`.
    if cp < 0x660 {
        return c.is_ascii_digit().then(|| cp - 0x30);
    }
    let i = ND_ZEROS.partition_point(|&z| z <= cp);
    let zero = *ND_ZEROS.get(i.checked_sub(1)?)?;
    (cp - zero < 10).then_some(cp - zero)
}

/// Python regex `\d` on a `str` pattern.
pub fn is_py_digit(c: char) -> bool {
    digit_value(c).is_some()
}

/// Python `str.isspace()` for one character (also regex `\s`).
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python `str.strip()`.
pub fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// Python `str.lower()` (full Unicode lowercasing).
pub fn py_lower(s: &str) -> String {
    s.to_lowercase()
}

/// Number of characters (`len(str)`).
pub fn py_len(s: &str) -> usize {
    s.chars().count()
}

/// Digits of a numeric literal in ASCII: Unicode decimal digits mapped to `0-9`,
/// underscores removed where Python allows them (single, between digits).
/// `None` when an underscore is misplaced.
fn ascii_digits_and_underscores(s: &str) -> Option<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            let prev_digit = i > 0 && chars.get(i - 1).is_some_and(|&p| digit_value(p).is_some());
            let next_digit = chars.get(i + 1).is_some_and(|&n| digit_value(n).is_some());
            if !(prev_digit && next_digit) {
                return None;
            }
            continue;
        }
        match digit_value(c) {
            Some(d) => out.push(char::from(b'0' + d as u8)),
            None => out.push(c),
        }
    }
    Some(out)
}

/// Python `int(s)` for a `str`: the decimal digits (with `-` when negative),
/// or `None` where Python raises `ValueError`.
pub fn py_int_of_str(s: &str) -> Option<String> {
    let t = ascii_digits_and_underscores(py_strip(s))?;
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, t.get(1..)?),
        Some(b'+') => (false, t.get(1..)?),
        _ => (false, t.as_str()),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(normalise_int(neg, digits))
}

/// `-007` → `-7`, `-0` → `0`.
pub fn normalise_int(neg: bool, digits: &str) -> String {
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".to_string()
    } else if neg {
        format!("-{trimmed}")
    } else {
        trimmed.to_string()
    }
}

/// Python `float(s)` for a `str`: `None` where Python raises `ValueError`.
pub fn py_float_of_str(s: &str) -> Option<f64> {
    let stripped = py_strip(s);
    // ASCII text without underscores is its own ASCII-digit form.
    if stripped.is_ascii() && !stripped.contains('_') {
        return float_of_ascii_digits(stripped);
    }
    float_of_ascii_digits(&ascii_digits_and_underscores(stripped)?)
}

/// `float(t)` for a stripped text whose digits are ASCII and underscores removed.
fn float_of_ascii_digits(t: &str) -> Option<f64> {
    let (sign, body) = match t.as_bytes().first() {
        Some(b'-') => (-1.0, t.get(1..)?),
        Some(b'+') => (1.0, t.get(1..)?),
        _ => (1.0, t),
    };
    if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
        return Some(sign * f64::INFINITY);
    }
    if body.eq_ignore_ascii_case("nan") {
        return Some(f64::NAN);
    }
    // Python's grammar: digits [. digits] [e [sign] digits], with at least one digit in the mantissa.
    let bytes = body.as_bytes();
    let mut i = 0;
    let int_start = i;
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let mut mantissa_digits = i - int_start;
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        let frac_start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        mantissa_digits += i - frac_start;
    }
    if mantissa_digits == 0 {
        return None;
    }
    if matches!(bytes.get(i), Some(b'e') | Some(b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+') | Some(b'-')) {
            i += 1;
        }
        let exp_start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == exp_start {
            return None;
        }
    }
    if i != bytes.len() {
        return None;
    }
    body.parse::<f64>().ok().map(|v| sign * v)
}

/// A `decimal.Decimal` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dec {
    Finite {
        neg: bool,
        /// Coefficient digits, no leading zeros (`"0"` for zero).
        coeff: String,
        exp: i64,
    },
    Infinite {
        neg: bool,
    },
    NaN,
}

impl Dec {
    /// `decimal.Decimal(s)` for a `str` (after `str.strip()`), `None` on `InvalidOperation`.
    pub fn parse(s: &str) -> Option<Dec> {
        let t = ascii_digits_and_underscores(py_strip(s))?;
        let (neg, body) = match t.as_bytes().first() {
            Some(b'-') => (true, t.get(1..)?),
            Some(b'+') => (false, t.get(1..)?),
            _ => (false, t.as_str()),
        };
        let lower = body.to_ascii_lowercase();
        match lower.as_str() {
            "inf" | "infinity" => return Some(Dec::Infinite { neg }),
            _ => {}
        }
        if let Some(payload) = lower
            .strip_prefix("snan")
            .or_else(|| lower.strip_prefix("nan"))
        {
            return payload
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then_some(Dec::NaN);
        }
        let (mantissa, exp_part) = match lower.find('e') {
            Some(p) => (lower.get(..p)?, Some(lower.get(p + 1..)?)),
            None => (lower.as_str(), None),
        };
        let (int_part, frac_part) = match mantissa.find('.') {
            Some(p) => (mantissa.get(..p)?, mantissa.get(p + 1..)?),
            None => (mantissa, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        if !int_part.bytes().all(|b| b.is_ascii_digit())
            || !frac_part.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let mut exp: i64 = 0;
        if let Some(e) = exp_part {
            let (eneg, edigits) = match e.as_bytes().first() {
                Some(b'-') => (true, e.get(1..)?),
                Some(b'+') => (false, e.get(1..)?),
                _ => (false, e),
            };
            if edigits.is_empty() || !edigits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let trimmed = edigits.trim_start_matches('0');
            // Exponents beyond this are outside every context Python would build a value in.
            if trimmed.len() > 15 {
                return None;
            }
            let v: i64 = if trimmed.is_empty() {
                0
            } else {
                trimmed.parse().ok()?
            };
            exp = if eneg { -v } else { v };
        }
        let all = format!("{int_part}{frac_part}");
        let coeff = all.trim_start_matches('0');
        let coeff = if coeff.is_empty() { "0" } else { coeff };
        Some(Dec::Finite {
            neg,
            coeff: coeff.to_string(),
            exp: exp - frac_part.len() as i64,
        })
    }

    /// A JSON number literal (`1.50`, `-2e3`), as `json.loads(parse_float=Decimal)` builds it.
    pub fn from_literal(text: &str) -> Option<Dec> {
        Dec::parse(text)
    }

    pub fn is_finite(&self) -> bool {
        matches!(self, Dec::Finite { .. })
    }

    /// `str(Decimal)`.
    pub fn to_py_str(&self) -> String {
        let (neg, coeff, exp) = match self {
            Dec::NaN => return "NaN".to_string(),
            Dec::Infinite { neg: false } => return "Infinity".to_string(),
            Dec::Infinite { neg: true } => return "-Infinity".to_string(),
            Dec::Finite { neg, coeff, exp } => (*neg, coeff.as_str(), *exp),
        };
        let len = coeff.len() as i64;
        let leftdigits = exp + len;
        let dotplace = if exp <= 0 && leftdigits > -6 {
            leftdigits
        } else {
            1
        };
        let mut out = String::with_capacity(coeff.len() + 8);
        if neg {
            out.push('-');
        }
        if dotplace <= 0 {
            // At most five zeros: `leftdigits > -6` here.
            out.push_str("0.");
            (0..-dotplace).for_each(|_| out.push('0'));
            out.push_str(coeff);
        } else if dotplace >= len {
            // Only with `exp == 0`: no zeros to add.
            out.push_str(coeff);
            (0..dotplace - len).for_each(|_| out.push('0'));
        } else {
            let cut = dotplace as usize;
            out.push_str(coeff.get(..cut).unwrap_or(""));
            out.push('.');
            out.push_str(coeff.get(cut..).unwrap_or(""));
        }
        if leftdigits != dotplace {
            let shown = leftdigits - dotplace;
            out.push('E');
            if shown >= 0 {
                out.push('+');
            }
            out.push_str(&shown.to_string());
        }
        out
    }

    /// `int(Decimal)` (truncation toward zero); `None` for NaN/infinity or
    /// integers too large to build.
    pub fn to_int(&self) -> Option<String> {
        match self {
            Dec::Finite { neg, coeff, exp } => {
                if *exp >= 0 {
                    if *exp > 100_000 {
                        return None;
                    }
                    let digits = format!("{}{}", coeff, "0".repeat(*exp as usize));
                    Some(normalise_int(*neg, &digits))
                } else {
                    let drop = (-exp) as usize;
                    let keep = coeff.len().saturating_sub(drop);
                    Some(normalise_int(*neg, coeff.get(..keep).unwrap_or("")))
                }
            }
            _ => None,
        }
    }

    /// `float(Decimal)`.
    pub fn to_f64(&self) -> f64 {
        match self {
            Dec::NaN => f64::NAN,
            Dec::Infinite { neg } => {
                if *neg {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                }
            }
            Dec::Finite { neg, coeff, exp } => {
                let v: f64 = format!("{coeff}e{exp}").parse().unwrap_or(0.0);
                if *neg {
                    -v
                } else {
                    v
                }
            }
        }
    }

    /// Equality with a small Python int (`Decimal('1.0') == 1`).
    pub fn equals_small_int(&self, n: u8) -> bool {
        match self {
            Dec::Finite { neg, coeff, exp } => {
                if coeff == "0" {
                    return n == 0;
                }
                if *neg || *exp > 0 {
                    return false;
                }
                // coeff * 10^exp == n with exp <= 0: coeff must be n followed by -exp zeros.
                let zeros = (-exp) as usize;
                let expect = format!("{}{}", n, "0".repeat(zeros));
                coeff == &expect
            }
            _ => false,
        }
    }
}

/// Python `str(x)` of a JSON value.
pub fn py_str(node: &Node) -> String {
    match &node.value {
        Value::Str(s) => s.as_str().to_owned(),
        Value::Decimal(t) => Dec::from_literal(t)
            .map(|d| d.to_py_str())
            .unwrap_or_else(|| t.as_str().to_owned()),
        _ => py_repr(node),
    }
}

/// Python `repr(float)`: the shortest text that round-trips, in fixed
/// notation for exponents -4..16, else `1e+16` style.
pub fn py_float_repr(v: f64) -> String {
    crate::pyfloat::repr(v)
}

/// Python `repr(x)` of a JSON value.
pub fn py_repr(node: &Node) -> String {
    let mut out = String::new();
    let mut stack: Vec<Frame> = vec![Frame::Value(node)];
    while let Some(frame) = stack.pop() {
        match frame {
            Frame::Text(t) => out.push_str(t),
            Frame::Key(k) => {
                out.push_str(&repr_str(k));
                out.push_str(": ");
            }
            Frame::Value(n) => match &n.value {
                Value::Null => out.push_str("None"),
                Value::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
                Value::Int(d) => out.push_str(d),
                Value::Decimal(t) => match Dec::from_literal(t) {
                    Some(d) => {
                        out.push_str("Decimal('");
                        out.push_str(&d.to_py_str());
                        out.push_str("')");
                    }
                    None => out.push_str(t),
                },
                Value::Float(f) => out.push_str(match f {
                    PyFloat::NaN => "nan",
                    PyFloat::Infinity => "inf",
                    PyFloat::NegInfinity => "-inf",
                }),
                Value::Str(s) => out.push_str(&repr_str(s)),
                Value::Array(items) => {
                    stack.push(Frame::Text("]"));
                    for (i, item) in items.iter().enumerate().rev() {
                        stack.push(Frame::Value(item));
                        if i > 0 {
                            stack.push(Frame::Text(", "));
                        }
                    }
                    stack.push(Frame::Text("["));
                }
                Value::Object(members) => {
                    stack.push(Frame::Text("}"));
                    for (i, (k, v)) in members.iter().enumerate().rev() {
                        stack.push(Frame::Value(v));
                        stack.push(Frame::Key(k));
                        if i > 0 {
                            stack.push(Frame::Text(", "));
                        }
                    }
                    stack.push(Frame::Text("{"));
                }
            },
        }
    }
    out
}

enum Frame<'a> {
    Value(&'a Node),
    Key(&'a str),
    Text(&'static str),
}

/// Python `repr(str)`, shared with the other stages.
pub use crate::python::repr_str;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_str_matches_python() {
        let cases = [
            ("1.50", "1.50"),
            ("1e2", "1E+2"),
            ("1.0e5", "1.0E+5"),
            ("0.000001", "0.000001"),
            ("0.0000001", "1E-7"),
            ("-0.0", "-0.0"),
            ("123.456e-2", "1.23456"),
            ("100", "100"),
            ("0e3", "0E+3"),
            ("12E-10", "1.2E-9"),
        ];
        for (lit, want) in cases {
            assert_eq!(
                Dec::parse(lit).map(|d| d.to_py_str()).as_deref(),
                Some(want),
                "{lit}"
            );
        }
        assert_eq!(
            Dec::parse("1_000").map(|d| d.to_py_str()).as_deref(),
            Some("1000")
        );
        assert_eq!(Dec::parse("abc"), None);
        assert_eq!(Dec::parse(" nan "), Some(Dec::NaN));
    }

    #[test]
    fn int_and_float_of_str() {
        assert_eq!(py_int_of_str(" 42 ").as_deref(), Some("42"));
        assert_eq!(py_int_of_str("1_000").as_deref(), Some("1000"));
        assert_eq!(py_int_of_str("1__0"), None);
        assert_eq!(py_int_of_str("１２").as_deref(), Some("12"));
        assert_eq!(py_int_of_str("1.0"), None);
        assert_eq!(py_float_of_str("2021"), Some(2021.0));
        assert_eq!(py_float_of_str("1e5"), Some(100000.0));
        assert_eq!(py_float_of_str("2021-02-14"), None);
        assert!(py_float_of_str("-Infinity").is_some_and(|v| v.is_infinite()));
        assert_eq!(
            Dec::parse("1.9").and_then(|d| d.to_int()).as_deref(),
            Some("1")
        );
        assert_eq!(
            Dec::parse("-1.9").and_then(|d| d.to_int()).as_deref(),
            Some("-1")
        );
        assert!(Dec::parse("1.00").is_some_and(|d| d.equals_small_int(1)));
        assert!(Dec::parse("0.0").is_some_and(|d| d.equals_small_int(0)));
    }

    #[test]
    fn float_repr_like_python() {
        assert_eq!(py_float_repr(100.0), "100.0");
        assert_eq!(py_float_repr(1.5), "1.5");
        assert_eq!(py_float_repr(1e16), "1e+16");
        assert_eq!(py_float_repr(1e-5), "1e-05");
        assert_eq!(py_float_repr(0.0001), "0.0001");
        assert_eq!(py_float_repr(-2.5e-7), "-2.5e-07");
        assert_eq!(py_float_repr(123456789.125), "123456789.125");
    }

    #[test]
    fn repr_like_python() {
        assert_eq!(repr_str("a'b"), "\"a'b\"");
        assert_eq!(repr_str("a\nb"), "'a\\nb'");
        assert_eq!(repr_str("x\u{7}"), "'x\\x07'");
    }

    #[test]
    fn decimal_str_builder_matches_the_formatted_text() {
        /// The formatting of `str(Decimal)` the builder above replaced.
        fn formatted_py_str(d: &Dec) -> String {
            match d {
                Dec::NaN => "NaN".to_string(),
                Dec::Infinite { neg } => format!("{}Infinity", if *neg { "-" } else { "" }),
                Dec::Finite { neg, coeff, exp } => {
                    let sign = if *neg { "-" } else { "" };
                    let len = coeff.len() as i64;
                    let leftdigits = exp + len;
                    let dotplace = if *exp <= 0 && leftdigits > -6 {
                        leftdigits
                    } else {
                        1
                    };
                    let (intpart, fracpart) = if dotplace <= 0 {
                        (
                            "0".to_string(),
                            format!(".{}{}", "0".repeat((-dotplace) as usize), coeff),
                        )
                    } else if dotplace >= len {
                        (
                            format!("{}{}", coeff, "0".repeat((dotplace - len) as usize)),
                            String::new(),
                        )
                    } else {
                        let cut = dotplace as usize;
                        (
                            coeff.get(..cut).unwrap_or("").to_string(),
                            format!(".{}", coeff.get(cut..).unwrap_or("")),
                        )
                    };
                    let expstr = if leftdigits == dotplace {
                        String::new()
                    } else {
                        format!("E{:+}", leftdigits - dotplace)
                    };
                    format!("{sign}{intpart}{fracpart}{expstr}")
                }
            }
        }

        let mut literals: Vec<String> = vec![
            "0".into(),
            "-0".into(),
            "0.0".into(),
            "-0.000".into(),
            "1e2".into(),
            "1E-7".into(),
            "0.000001".into(),
            "0.0000001".into(),
            "123.456".into(),
            "-5e+3".into(),
            "1_000".into(),
            " 7.50 ".into(),
            "NaN".into(),
            "-Infinity".into(),
            "inf".into(),
            "12345678901234567890.123e-30".into(),
        ];
        for coeff in ["0", "1", "7", "10", "25", "100", "123456789"] {
            for exp in -12..=12 {
                literals.push(format!("{coeff}e{exp}"));
                literals.push(format!("-{coeff}E{exp}"));
                literals.push(format!("{coeff}.5e{exp}"));
            }
        }
        for lit in &literals {
            if let Some(d) = Dec::parse(lit) {
                assert_eq!(d.to_py_str(), formatted_py_str(&d), "{lit}");
            }
        }
        for d in [
            Dec::NaN,
            Dec::Infinite { neg: false },
            Dec::Infinite { neg: true },
        ] {
            assert_eq!(d.to_py_str(), formatted_py_str(&d));
        }
    }
}
