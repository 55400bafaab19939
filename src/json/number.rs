//! Number literals as CPython's `_json` scanner reads them, and the limits of
//! the `int()` / `Decimal()` conversions it then applies.

/// A number literal found by [`scan_number`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberMatch {
    /// Byte offset just past the literal.
    pub end: usize,
    /// Whether it has a fraction or an exponent (`parse_float` → `Decimal`),
    /// as opposed to an integer (`int`).
    pub is_float: bool,
}

fn digit_at(bytes: &[u8], index: usize) -> bool {
    bytes.get(index).is_some_and(u8::is_ascii_digit)
}

fn skip_digits(bytes: &[u8], mut index: usize) -> usize {
    while digit_at(bytes, index) {
        index += 1;
    }
    index
}

/// The longest number literal starting at `start`, the way the scanner matches it:
/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`. A `.` not followed by a
/// digit, or an exponent without digits, is left out of the literal (the scanner
/// backtracks) rather than being an error. `None` when no literal starts here
/// (the scanner's `StopIteration(start)`, reported as "Expecting value").
pub fn scan_number(bytes: &[u8], start: usize) -> Option<NumberMatch> {
    let mut index = start;
    if bytes.get(index) == Some(&b'-') {
        index += 1;
    }
    match bytes.get(index) {
        Some(b'1'..=b'9') => index = skip_digits(bytes, index + 1),
        Some(b'0') => index += 1,
        _ => return None,
    }
    let mut is_float = false;
    if bytes.get(index) == Some(&b'.') && digit_at(bytes, index + 1) {
        is_float = true;
        index = skip_digits(bytes, index + 2);
    }
    if matches!(bytes.get(index), Some(b'e' | b'E')) {
        let mut exponent = index + 1;
        if matches!(bytes.get(exponent), Some(b'-' | b'+')) {
            exponent += 1;
        }
        if digit_at(bytes, exponent) {
            is_float = true;
            index = skip_digits(bytes, exponent + 1);
        }
    }
    Some(NumberMatch {
        end: index,
        is_float,
    })
}

/// Number of digits `int()` sees in an integer literal (its sign not counted).
pub fn int_digits(literal: &str) -> usize {
    literal.strip_prefix('-').unwrap_or(literal).len()
}

/// Largest adjusted exponent `Decimal(text)` accepts (libmpdec `MPD_MAX_EMAX` on 64-bit).
const DECIMAL_EMAX: i128 = 999_999_999_999_999_999;
/// Smallest adjusted exponent of a normal number (libmpdec `MPD_MIN_EMIN`).
const DECIMAL_EMIN: i128 = -999_999_999_999_999_999;
/// Smallest exponent of a subnormal number: `EMIN - (MAX_PREC - 1)`.
const DECIMAL_ETINY: i128 = DECIMAL_EMIN - (999_999_999_999_999_999 - 1);
/// Exponents are read saturating at this magnitude; anything that large is out of range anyway.
const EXPONENT_SATURATION: i128 = 1_000_000_000_000_000_000_000_000;

/// Whether `Decimal(literal)` succeeds on a JSON number literal with a fraction
/// or exponent. `Decimal()` converts exactly, so it raises
/// `decimal.InvalidOperation` when the exponent would have to be clamped or the
/// value rounded: a non-zero value whose adjusted exponent exceeds
/// `999999999999999999`, or which is subnormal with an exponent below
/// `-1999999999999999997`; a zero whose exponent lies outside those bounds.
pub fn decimal_in_range(literal: &str) -> bool {
    let unsigned = literal.strip_prefix('-').unwrap_or(literal);
    let (mantissa, exponent_text) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], &unsigned[at + 1..]),
        None => (unsigned, ""),
    };
    let (int_part, frac_part) = match mantissa.find('.') {
        Some(at) => (&mantissa[..at], &mantissa[at + 1..]),
        None => (mantissa, ""),
    };
    let written_exponent = parse_exponent(exponent_text);
    let exponent = written_exponent - frac_part.len() as i128;
    let leading_zeros = int_part
        .bytes()
        .chain(frac_part.bytes())
        .take_while(|&b| b == b'0')
        .count();
    let significant = (int_part.len() + frac_part.len() - leading_zeros) as i128;
    if significant == 0 {
        return (DECIMAL_ETINY..=DECIMAL_EMAX).contains(&exponent);
    }
    let adjusted = exponent + significant - 1;
    if adjusted > DECIMAL_EMAX {
        return false;
    }
    !(adjusted < DECIMAL_EMIN && exponent < DECIMAL_ETINY)
}

/// `[-+]?[0-9]*` as an integer, saturating far beyond any accepted exponent.
fn parse_exponent(text: &str) -> i128 {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let mut value: i128 = 0;
    for digit in digits.chars().map_while(|c| c.to_digit(10)) {
        value = (value * 10 + i128::from(digit)).min(EXPONENT_SATURATION);
    }
    if negative {
        -value
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> Option<(usize, bool)> {
        scan_number(text.as_bytes(), 0).map(|m| (m.end, m.is_float))
    }

    #[test]
    fn literals_and_backtracking() {
        assert_eq!(scan("0"), Some((1, false)));
        assert_eq!(scan("-0"), Some((2, false)));
        assert_eq!(scan("012"), Some((1, false)));
        assert_eq!(scan("123abc"), Some((3, false)));
        assert_eq!(scan("1.5"), Some((3, true)));
        assert_eq!(scan("1."), Some((1, false)));
        assert_eq!(scan("1.e5"), Some((1, false)));
        assert_eq!(scan("1e5"), Some((3, true)));
        assert_eq!(scan("1E+5"), Some((4, true)));
        assert_eq!(scan("1e-"), Some((1, false)));
        assert_eq!(scan("1e"), Some((1, false)));
        assert_eq!(scan("1.5e+x"), Some((3, true)));
        assert_eq!(scan("-"), None);
        assert_eq!(scan("-x"), None);
        assert_eq!(scan(".5"), None);
        assert_eq!(scan("+1"), None);
    }

    #[test]
    fn int_digit_count_ignores_sign() {
        assert_eq!(int_digits("-123"), 3);
        assert_eq!(int_digits("0"), 1);
    }

    #[test]
    fn decimal_exponent_limits() {
        assert!(decimal_in_range("1.5"));
        assert!(decimal_in_range("1e999999999999999999"));
        assert!(!decimal_in_range("1e1000000000000000000"));
        assert!(decimal_in_range("1.5e999999999999999999"));
        assert!(!decimal_in_range("10e999999999999999999"));
        assert!(decimal_in_range("1.0e999999999999999999"));
        assert!(decimal_in_range("1e-1999999999999999997"));
        assert!(!decimal_in_range("1e-1999999999999999998"));
        assert!(!decimal_in_range("10e-1999999999999999998"));
        assert!(!decimal_in_range("0e1000000000000000000"));
        assert!(decimal_in_range("0e999999999999999999"));
        assert!(decimal_in_range("0.0e-1999999999999999996"));
        assert!(!decimal_in_range("0.0e-1999999999999999997"));
        assert!(decimal_in_range("1e0000000000000000000000000000000001"));
        assert!(!decimal_in_range(
            "-1e99999999999999999999999999999999999999999"
        ));
        assert!(!decimal_in_range(
            "1e-99999999999999999999999999999999999999999"
        ));
    }
}
