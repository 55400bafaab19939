//! Python number semantics the stored resource depends on: `decimal.Decimal(text)`
//! and `str(Decimal)`, `int(x)` as pydantic's integer validator calls it, and
//! `repr(float)`.

/// A finite `decimal.Decimal`: sign, coefficient digits (no leading zeros, `"0"` for zero)
/// and exponent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyDecimal {
    pub negative: bool,
    pub digits: String,
    pub exponent: i64,
}

/// What `Decimal(text)` makes of a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecimalParse {
    Finite(PyDecimal),
    /// `Infinity`, `NaN`, `sNaN` (pydantic rejects them as not finite).
    NonFinite,
    /// `decimal.InvalidOperation` (pydantic: "value is not a valid decimal").
    Invalid,
}

/// Python's `str.strip()` whitespace set.
pub fn is_py_whitespace(c: char) -> bool {
    matches!(c, '\u{1c}'..='\u{1f}') || c.is_whitespace()
}

/// Digits with single underscores allowed between them (Python numeric literal rules
/// as `int()` / `Decimal()` apply them to strings). Returns the digits without underscores.
fn digits_with_underscores(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut previous_underscore = true; // no leading underscore
    for c in text.chars() {
        if c == '_' {
            if previous_underscore {
                return None;
            }
            previous_underscore = true;
        } else if c.is_ascii_digit() {
            out.push(c);
            previous_underscore = false;
        } else {
            return None;
        }
    }
    if previous_underscore {
        return None; // empty or trailing underscore
    }
    Some(out)
}

impl PyDecimal {
    /// `Decimal(text)` for a string (surrounding whitespace allowed, underscores between digits).
    pub fn parse(text: &str) -> DecimalParse {
        let body = text.trim_matches(is_py_whitespace);
        let (negative, rest) = match body.as_bytes().first() {
            Some(b'-') => (true, &body[1..]),
            Some(b'+') => (false, &body[1..]),
            _ => (false, body),
        };
        let lower = rest.to_ascii_lowercase();
        if matches!(lower.as_str(), "inf" | "infinity") {
            return DecimalParse::NonFinite;
        }
        if let Some(payload) = lower
            .strip_prefix("snan")
            .or_else(|| lower.strip_prefix("nan"))
        {
            if payload.is_empty() || payload.bytes().all(|b| b.is_ascii_digit()) {
                return DecimalParse::NonFinite;
            }
            return DecimalParse::Invalid;
        }
        let (mantissa, exp_text) = match rest.find(['e', 'E']) {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        let (int_part, frac_part) = match mantissa.find('.') {
            Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
            None => (mantissa, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return DecimalParse::Invalid;
        }
        let int_digits = if int_part.is_empty() {
            String::new()
        } else {
            match digits_with_underscores(int_part) {
                Some(d) => d,
                None => return DecimalParse::Invalid,
            }
        };
        let frac_digits = if frac_part.is_empty() {
            String::new()
        } else {
            match digits_with_underscores(frac_part) {
                Some(d) => d,
                None => return DecimalParse::Invalid,
            }
        };
        let mut exponent: i64 = 0;
        if let Some(e) = exp_text {
            let (eneg, edigits) = match e.as_bytes().first() {
                Some(b'-') => (true, &e[1..]),
                Some(b'+') => (false, &e[1..]),
                _ => (false, e),
            };
            let Some(d) = digits_with_underscores(edigits) else {
                return DecimalParse::Invalid;
            };
            let trimmed = d.trim_start_matches('0');
            if trimmed.len() > 15 {
                return DecimalParse::Invalid;
            }
            exponent = trimmed.parse::<i64>().unwrap_or(0);
            if eneg {
                exponent = -exponent;
            }
        }
        exponent -= frac_digits.len() as i64;
        let all = format!("{int_digits}{frac_digits}");
        let stripped = all.trim_start_matches('0');
        let digits = if stripped.is_empty() {
            "0".to_string()
        } else {
            stripped.to_string()
        };
        DecimalParse::Finite(PyDecimal {
            negative,
            digits,
            exponent,
        })
    }

    /// `Decimal(int)` for an integer written as digits (optional leading `-`).
    pub fn from_int_text(text: &str) -> PyDecimal {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, text),
        };
        let stripped = digits.trim_start_matches('0');
        PyDecimal {
            negative,
            digits: if stripped.is_empty() {
                "0".to_string()
            } else {
                stripped.to_string()
            },
            exponent: 0,
        }
    }

    /// `str(Decimal)`: plain notation when the exponent is not positive and the
    /// adjusted exponent is at least -6, scientific (`1E+2`, `1.5E-7`) otherwise.
    pub fn to_py_string(&self) -> String {
        let n = self.digits.len() as i64;
        let leftdigits = self.exponent + n;
        let dotplace = if self.exponent <= 0 && leftdigits > -6 {
            leftdigits
        } else {
            1
        };
        let mut out = String::new();
        if self.negative {
            out.push('-');
        }
        if dotplace <= 0 {
            out.push_str("0.");
            for _ in 0..(-dotplace) {
                out.push('0');
            }
            out.push_str(&self.digits);
        } else if dotplace >= n {
            out.push_str(&self.digits);
            for _ in 0..(dotplace - n) {
                out.push('0');
            }
        } else {
            let split = dotplace as usize;
            out.push_str(&self.digits[..split]);
            out.push('.');
            out.push_str(&self.digits[split..]);
        }
        if leftdigits != dotplace {
            let e = leftdigits - dotplace;
            out.push('E');
            if e >= 0 {
                out.push('+');
            }
            out.push_str(&e.to_string());
        }
        out
    }

    /// `int(Decimal)`: truncation towards zero, as digits with optional `-`.
    pub fn truncate_to_int_text(&self) -> String {
        let n = self.digits.len() as i64;
        let int_digits: String = if self.exponent >= 0 {
            if self.digits == "0" {
                "0".to_string()
            } else {
                let zeros = self.exponent.min(100_000) as usize;
                format!("{}{}", self.digits, "0".repeat(zeros))
            }
        } else if -self.exponent >= n {
            "0".to_string()
        } else {
            self.digits[..(n + self.exponent) as usize].to_string()
        };
        if self.negative && int_digits != "0" {
            format!("-{int_digits}")
        } else {
            int_digits
        }
    }

    /// `float(Decimal)` (correctly rounded).
    pub fn to_f64(&self) -> f64 {
        let text = format!(
            "{}{}e{}",
            if self.negative { "-" } else { "" },
            self.digits,
            self.exponent
        );
        text.parse::<f64>().unwrap_or(f64::NAN)
    }
}

/// `int(text)` for a string: surrounding whitespace, optional sign, ASCII digits with
/// single underscores between them. Returns normalised digits (optional `-`).
pub fn py_int_from_str(text: &str) -> Option<String> {
    let body = text.trim_matches(is_py_whitespace);
    let (negative, rest) = match body.as_bytes().first() {
        Some(b'-') => (true, &body[1..]),
        Some(b'+') => (false, &body[1..]),
        _ => (false, body),
    };
    let digits = digits_with_underscores(rest)?;
    Some(normalise_int_digits(negative, &digits))
}

/// Digits with leading zeros removed and `-` unless zero.
pub fn normalise_int_digits(negative: bool, digits: &str) -> String {
    let stripped = digits.trim_start_matches('0');
    if stripped.is_empty() {
        "0".to_string()
    } else if negative {
        format!("-{stripped}")
    } else {
        stripped.to_string()
    }
}

/// Compares two integers given as normalised digit strings (optional `-`).
pub fn cmp_int_text(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (an, ad) = match a.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, a),
    };
    let (bn, bd) = match b.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, b),
    };
    let magnitude = ad.len().cmp(&bd.len()).then_with(|| ad.cmp(bd));
    match (an, bn) {
        (false, false) => magnitude,
        (true, true) => magnitude.reverse(),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
    }
}

/// `repr(float)`: shortest round-trip digits; scientific (`1e-05`, `1e+16`) when the
/// decimal exponent is below -4 or at least 16, otherwise fixed with at least one
/// fractional digit (`100.0`).
pub fn py_float_repr(x: f64) -> String {
    crate::pyfloat::repr(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> String {
        match PyDecimal::parse(text) {
            DecimalParse::Finite(d) => d.to_py_string(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn decimal_str_matches_python() {
        assert_eq!(s("0.5"), "0.5");
        assert_eq!(s("100.0"), "100.0");
        assert_eq!(s("1e2"), "1E+2");
        assert_eq!(s("1E-7"), "1E-7");
        assert_eq!(s("0.0000001"), "1E-7");
        assert_eq!(s("0.000001"), "0.000001");
        assert_eq!(s("-0.0"), "-0.0");
        assert_eq!(s("0e5"), "0E+5");
        assert_eq!(s("1.50"), "1.50");
        assert_eq!(s(" 1_000 "), "1000");
        assert_eq!(s("12.5e1"), "125");
        assert_eq!(s("12.5e-1"), "1.25");
        assert_eq!(s(".5"), "0.5");
        assert_eq!(s("5."), "5");
        assert_eq!(s("1__0"), "Invalid");
        assert_eq!(s("NaN"), "NonFinite");
        assert_eq!(s("-Infinity"), "NonFinite");
        assert_eq!(s("abc"), "Invalid");
    }

    #[test]
    fn int_truncation() {
        let d = |t: &str| match PyDecimal::parse(t) {
            DecimalParse::Finite(d) => d.truncate_to_int_text(),
            _ => String::new(),
        };
        assert_eq!(d("1.7"), "1");
        assert_eq!(d("-1.7"), "-1");
        assert_eq!(d("1e2"), "100");
        assert_eq!(d("0.3"), "0");
        assert_eq!(d("-0.3"), "0");
        assert_eq!(py_int_from_str(" +0_3 "), Some("3".to_string()));
        assert_eq!(py_int_from_str("3.0"), None);
    }

    #[test]
    fn float_repr_matches_python() {
        assert_eq!(py_float_repr(100.0), "100.0");
        assert_eq!(py_float_repr(0.1234), "0.1234");
        assert_eq!(py_float_repr(1e-5), "1e-05");
        assert_eq!(py_float_repr(0.0001), "0.0001");
        assert_eq!(py_float_repr(1e16), "1e+16");
        assert_eq!(py_float_repr(1234567890123456.0), "1234567890123456.0");
        assert_eq!(py_float_repr(-2.5e-7), "-2.5e-07");
        assert_eq!(py_float_repr(0.0), "0.0");
    }
}
