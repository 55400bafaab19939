//! How a `Decimal` in the flat record reads once it becomes a number in the
//! recorded delta item: Python's `repr(float(value))`.

/// `repr(float(Decimal(text)))` for a finite result; `None` when the value
/// overflows to an infinity (not representable as a JSON number).
pub fn python_float_repr(decimal_text: &str) -> Option<String> {
    let value: f64 = decimal_text.parse().ok()?;
    value.is_finite().then(|| crate::pyfloat::repr(value))
}

/// Most significant digits a decimal may have for its shortest round-trip `float`
/// digits to be its own: any decimal of up to 15 digits comes back from the nearest
/// double unchanged, and no shorter text reaches the same double.
const EXACT_DIGITS: usize = 15;

/// [`python_float_repr`] written onto `out` for the common decimals
/// (`-?I.F` without exponent, at most [`EXACT_DIGITS`] significant digits, not
/// below 0.001), whose repr is their own digits with trailing zeros dropped;
/// `false` (nothing written) for any other text.
pub fn write_short_decimal(out: &mut String, decimal_text: &str) -> bool {
    let (negative, body) = match decimal_text.strip_prefix('-') {
        Some(body) => (true, body),
        None => (false, decimal_text),
    };
    let Some((int, fraction)) = body.split_once('.') else {
        return false;
    };
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || !all_digits(fraction) || (int.len() > 1 && int.starts_with('0')) {
        return false;
    }
    let fraction = fraction.trim_end_matches('0');
    if int == "0" {
        let significant = fraction.trim_start_matches('0');
        if significant.is_empty() {
            out.push_str(if negative { "-0.0" } else { "0.0" });
            return true;
        }
        // Python writes 0.0001 and below with an exponent.
        if fraction.len() - significant.len() >= 3 || significant.len() > EXACT_DIGITS {
            return false;
        }
    } else if int.len() + fraction.len() > EXACT_DIGITS {
        return false;
    }
    if negative {
        out.push('-');
    }
    out.push_str(int);
    out.push('.');
    out.push_str(if fraction.is_empty() { "0" } else { fraction });
    true
}

#[cfg(test)]
mod tests {
    use super::python_float_repr as r;

    #[test]
    fn short_decimals_read_as_the_general_repr() {
        let mut texts: Vec<String> = [
            "0.5",
            "0.50",
            "-0.5",
            "0.0",
            "-0.0",
            "0.000",
            "100.0",
            "1.000",
            "0.001",
            "0.0010",
            "0.0001",
            "0.00015",
            "0.01",
            "123.456",
            "999999999999999.0",
            "99999999999999.9",
            "0.123456789012345",
            "0.1234567890123456",
            "1.23456789012345",
            "12345678901234.56",
            "1234567890123456.0",
            "10000000000000000.0",
            "0.1e1",
            "1",
            "01.5",
            "1.",
            ".5",
            "1.5x",
            "-",
            "-.5",
            "1.-5",
            "١.٥",
            "1.٥",
            "",
            "0.9999999999999999",
            "9007199254740993.0",
            "0.30000000000000004",
            "5e-324",
            "1.7976931348623157",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        for int in [
            "0",
            "1",
            "7",
            "10",
            "12345",
            "100000000000000",
            "999999999999999",
        ] {
            for fraction in [
                "0",
                "00",
                "5",
                "05",
                "005",
                "0005",
                "125",
                "1000",
                "333333333333333",
            ] {
                texts.push(format!("{int}.{fraction}"));
                texts.push(format!("-{int}.{fraction}"));
            }
        }
        let mut written = 0;
        for text in &texts {
            let mut out = String::from("x");
            if super::write_short_decimal(&mut out, text) {
                written += 1;
                assert_eq!(out.get(1..), r(text).as_deref(), "{text}");
            } else {
                assert_eq!(out, "x", "{text}");
            }
        }
        assert!(written > 60, "{written}");
    }

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
