//! How a `Decimal` in the flat record reads once it becomes a number in the
//! recorded delta item: Python's `repr(float(value))`.

/// `repr(float(Decimal(text)))` for a finite result; `None` when the value
/// overflows to an infinity (not representable as a JSON number).
pub fn python_float_repr(decimal_text: &str) -> Option<String> {
    let value: f64 = decimal_text.parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    if value == 0.0 {
        return Some(
            if value.is_sign_negative() {
                "-0.0"
            } else {
                "0.0"
            }
            .to_string(),
        );
    }
    // Shortest round-trip digits and exponent, e.g. "1.2345e-5".
    let scientific = format!("{:e}", value.abs());
    let (mantissa, exponent) = scientific.split_once('e')?;
    let exponent: i32 = exponent.parse().ok()?;
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    // Python places the point after `point` digits: value = 0.DIGITS × 10^point.
    let point = exponent + 1;
    let body = if !(-4 < point && point <= 16) {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{first}{fraction}e{sign}{:02}", exponent.abs())
    } else if point <= 0 {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else {
        let point = point as usize;
        if digits.len() <= point {
            format!("{digits}{}.0", "0".repeat(point - digits.len()))
        } else {
            format!("{}.{}", &digits[..point], &digits[point..])
        }
    };
    Some(if value < 0.0 {
        format!("-{body}")
    } else {
        body
    })
}

#[cfg(test)]
mod tests {
    use super::python_float_repr as r;

    #[test]
    fn matches_python_repr() {
        for (text, expected) in [
            ("0.5", "0.5"),
            ("0.50", "0.5"),
            ("1e2", "100.0"),
            ("1E+2", "100.0"),
            ("1e-2", "0.01"),
            ("-0.0", "-0.0"),
            ("100.0", "100.0"),
            ("1.000000000000000000001", "1.0"),
            ("1e-400", "0.0"),
            ("0.1111111111111111111111111111", "0.1111111111111111"),
            ("2.50E-3", "0.0025"),
            ("0.00001", "1e-05"),
            ("1e-7", "1e-07"),
            ("0.0001", "0.0001"),
            ("1e16", "1e+16"),
            ("9999999999999998.0", "9999999999999998.0"),
            ("1.5e300", "1.5e+300"),
            ("-2.5", "-2.5"),
            ("123.456", "123.456"),
        ] {
            assert_eq!(r(text).as_deref(), Some(expected), "{text}");
        }
        assert_eq!(r("1e400"), None);
    }
}
