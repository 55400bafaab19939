//! Python's `repr(float)`: the shortest decimal digits that read back as the
//! same double (the closest such digits when several are as short), written
//! in fixed notation for decimal exponents -4 to 15 (`100.0`, `0.0001`) and
//! as `1e+16` / `2.5e-07` otherwise; `nan`, `inf` and `-inf` for the rest.
//!
//! The digits come from the JSON writer's shortest round-trip float
//! formatting, which the module carries already, so no second float printer
//! is linked in.

use serde_json::ser::{CompactFormatter, Formatter};

/// The shortest round-trip digits of a finite, non-zero `x` (no leading or
/// trailing zeros) and the decimal exponent of the first: `x = ±d.ddd × 10^exp`.
fn shortest_digits(x: f64) -> (Vec<u8>, i32) {
    let mut text = Vec::with_capacity(32);
    // Writing into a vector cannot fail.
    let _ = CompactFormatter.write_f64(&mut text, x.abs());
    let (mantissa, exp) = match text.iter().position(|&b| b == b'e' || b == b'E') {
        Some(at) => (text.get(..at).unwrap_or(&[]), parse_exp(text.get(at + 1..))),
        None => (&text[..], 0),
    };
    let point = mantissa
        .iter()
        .position(|&b| b == b'.')
        .unwrap_or(mantissa.len());
    let mut digits: Vec<u8> = mantissa
        .iter()
        .copied()
        .filter(u8::is_ascii_digit)
        .collect();
    // The first digit sits `point - 1` places above the units.
    let mut exp = exp + i32::try_from(point).unwrap_or(0) - 1;
    let leading = digits.iter().take_while(|&&d| d == b'0').count();
    digits.drain(..leading);
    exp -= i32::try_from(leading).unwrap_or(0);
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    (digits, exp)
}

/// A written exponent (`+16`, `-7`, `16`).
fn parse_exp(text: Option<&[u8]>) -> i32 {
    let text = text.unwrap_or(&[]);
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    let value = digits.iter().fold(0i32, |n, &d| {
        n.saturating_mul(10)
            .saturating_add(i32::from(d.saturating_sub(b'0')))
    });
    if negative {
        -value
    } else {
        value
    }
}

/// `repr(x)` in Python.
pub fn repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let mut out = String::with_capacity(24);
    if x.is_sign_negative() {
        out.push('-');
    }
    if x == 0.0 {
        out.push_str("0.0");
        return out;
    }
    let (digits, exp) = shortest_digits(x);
    let digits = std::str::from_utf8(&digits).unwrap_or("0");
    if !(-4..16).contains(&exp) {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let magnitude = exp.unsigned_abs();
        if magnitude < 10 {
            out.push('0');
        }
        push_decimal(&mut out, magnitude);
    } else if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(digits);
    } else {
        let point = usize::try_from(exp + 1).unwrap_or(0);
        if digits.len() <= point {
            out.push_str(digits);
            for _ in digits.len()..point {
                out.push('0');
            }
            out.push_str(".0");
        } else {
            let (whole, fraction) = digits.split_at(point);
            out.push_str(whole);
            out.push('.');
            out.push_str(fraction);
        }
    }
    out
}

fn push_decimal(out: &mut String, n: u32) {
    if n >= 10 {
        push_decimal(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `repr(float)` built on the standard library's shortest `{:e}` digits,
    /// which round an exact tie between two shortest candidates up where
    /// Python (and [`repr`]) take the even one.
    fn repr_by_lower_exp(x: f64) -> String {
        if x.is_nan() {
            return "nan".to_string();
        }
        if x.is_infinite() {
            return if x > 0.0 { "inf" } else { "-inf" }.to_string();
        }
        let sci = format!("{x:e}");
        let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
        let exp: i64 = exp.parse().unwrap_or(0);
        let (negative, mantissa) = match mantissa.strip_prefix('-') {
            Some(m) => (true, m),
            None => (false, mantissa),
        };
        let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
        let sign = if negative { "-" } else { "" };
        let body = if !(-4..16).contains(&exp) {
            let (first, rest) = digits.split_at(1);
            let fraction = if rest.is_empty() {
                String::new()
            } else {
                format!(".{rest}")
            };
            let exp_sign = if exp < 0 { '-' } else { '+' };
            format!("{first}{fraction}e{exp_sign}{:02}", exp.abs())
        } else if exp < 0 {
            format!("0.{}{digits}", "0".repeat((-exp - 1) as usize))
        } else {
            let point = (exp + 1) as usize;
            if digits.len() <= point {
                format!("{digits}{}.0", "0".repeat(point - digits.len()))
            } else {
                format!("{}.{}", &digits[..point], &digits[point..])
            }
        };
        format!("{sign}{body}")
    }

    #[test]
    fn python_spellings() {
        for (x, text) in [
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (100.0, "100.0"),
            (1.5, "1.5"),
            (0.1234, "0.1234"),
            (1e16, "1e+16"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (-2.5e-7, "-2.5e-07"),
            (123456789.125, "123456789.125"),
            (1234567890123456.0, "1234567890123456.0"),
            (1e22, "1e+22"),
            (1e100, "1e+100"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
            (5e-324, "5e-324"),
            (-5e-324, "-5e-324"),
            (0.1 + 0.2, "0.30000000000000004"),
            (f64::NAN, "nan"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
        ] {
            assert_eq!(repr(x), text, "{x:e}");
        }
    }

    /// Exact ties between two shortest candidates go to the even digit, as in
    /// Python (`repr(2**-25)`, `repr(2**50 + 0.25)`).
    #[test]
    fn ties_go_to_the_even_digit() {
        for (bits, text) in [
            (0x3e60000000000000u64, "2.9802322387695312e-08"),
            (0x4310000000000001, "1125899906842624.2"),
            (0x42b7fa57c450e950, "26363981746409.312"),
            (0xc2d8c0fe9119c088, "-108868734838530.12"),
            (0xc2bf0dc905b07310, "-34144067629171.062"),
            (0x42e2c53c12f17494, "165106605853604.62"),
        ] {
            assert_eq!(repr(f64::from_bits(bits)), text);
        }
    }

    /// Same text as the `{:e}` digits give, over edges and a spread of bit
    /// patterns, except at exact ties, where the digits read back as the same
    /// double and end in the even digit of the two.
    #[test]
    fn agrees_with_standard_shortest_digits() {
        let mut values: Vec<f64> = Vec::new();
        for e in -330..=310 {
            let p = format!("1e{e}").parse::<f64>().unwrap_or(0.0);
            values.extend([p, p * 1.5, p * 9.999_999_999_999_999, -p, p * 2.0 / 3.0]);
        }
        for e in -1075..=1024 {
            let p = 2f64.powi(e);
            values.extend([p, p * 3.0, f64::from_bits(p.to_bits().wrapping_add(1))]);
            values.push(f64::from_bits(p.to_bits().wrapping_sub(1)));
        }
        for n in 0..100_000u64 {
            values.push(n as f64);
            values.push(n as f64 / 1000.0);
            values.push(f64::from_bits(n)); // subnormals
        }
        // xorshift over all bit patterns
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..2_000_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            values.push(f64::from_bits(state));
        }
        let mut ties = 0;
        for x in values {
            let (ours, standard) = (repr(x), repr_by_lower_exp(x));
            if ours != standard {
                ties += 1;
                assert_eq!(ours.parse::<f64>().ok(), Some(x), "{:#x}", x.to_bits());
                assert_eq!(ours.len(), standard.len(), "{:#x}", x.to_bits());
                let mantissa = ours.split('e').next().unwrap_or(&ours);
                let last = mantissa.bytes().last().unwrap_or(b'0');
                assert_eq!((last - b'0') % 2, 0, "{ours} {standard}");
            }
        }
        assert!(ties < 1000, "{ties}");
    }
}
