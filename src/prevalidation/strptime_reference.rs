//! The original allocation-per-step backtracking matcher, kept to check the
//! allocation-free matcher of [`super::strptime`] against on many inputs.

use super::strptime::{DateTime, Format, Token, DATE, DATE_TIME_FRACTION_ZONE, DATE_TIME_ZONE};
use crate::python::decimal_value;

fn is_d(c: Option<&char>) -> bool {
    c.is_some_and(|c| decimal_value(*c).is_some())
}

fn in_range(c: Option<&char>, lo: char, hi: char) -> bool {
    c.is_some_and(|c| (lo..=hi).contains(c))
}

/// Lengths (in characters) the directive's regex alternatives can match at
/// `input`, in the order the regex engine tries them.
fn candidates(token: Token, input: &[char]) -> Vec<usize> {
    let c0 = input.first();
    let c1 = input.get(1);
    let mut out = Vec::new();
    match token {
        Token::Literal(expected) => {
            let matches = c0.is_some_and(|c| *c == expected || (expected == 'T' && *c == 't'));
            if matches {
                out.push(1);
            }
        }
        Token::Year => {
            if input.len() >= 4 && input[..4].iter().all(|c| decimal_value(*c).is_some()) {
                out.push(4);
            }
        }
        Token::Month => {
            // 1[0-2]|0[1-9]|[1-9]
            if c0 == Some(&'1') && in_range(c1, '0', '2') {
                out.push(2);
            }
            if c0 == Some(&'0') && in_range(c1, '1', '9') {
                out.push(2);
            }
            if in_range(c0, '1', '9') {
                out.push(1);
            }
        }
        Token::Day => {
            // 3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9]
            if c0 == Some(&'3') && in_range(c1, '0', '1') {
                out.push(2);
            }
            if in_range(c0, '1', '2') && is_d(c1) {
                out.push(2);
            }
            if c0 == Some(&'0') && in_range(c1, '1', '9') {
                out.push(2);
            }
            if in_range(c0, '1', '9') {
                out.push(1);
            }
            if c0 == Some(&' ') && in_range(c1, '1', '9') {
                out.push(2);
            }
        }
        Token::Hour => {
            // 2[0-3]|[0-1]\d|\d
            if c0 == Some(&'2') && in_range(c1, '0', '3') {
                out.push(2);
            }
            if in_range(c0, '0', '1') && is_d(c1) {
                out.push(2);
            }
            if is_d(c0) {
                out.push(1);
            }
        }
        Token::Minute => {
            // [0-5]\d|\d
            if in_range(c0, '0', '5') && is_d(c1) {
                out.push(2);
            }
            if is_d(c0) {
                out.push(1);
            }
        }
        Token::Second => {
            // 6[0-1]|[0-5]\d|\d
            if c0 == Some(&'6') && in_range(c1, '0', '1') {
                out.push(2);
            }
            if in_range(c0, '0', '5') && is_d(c1) {
                out.push(2);
            }
            if is_d(c0) {
                out.push(1);
            }
        }
        Token::Fraction => {
            // [0-9]{1,6}, greedy
            let run = input
                .iter()
                .take(6)
                .take_while(|c| c.is_ascii_digit())
                .count();
            out.extend((1..=run).rev());
        }
        Token::Zone => zone_candidates(input, &mut out),
    }
    out
}

/// `[+-]\d\d:?[0-5]\d(:?[0-5]\d(\.\d{1,6})?)?|(?-i:Z)` in backtracking order.
fn zone_candidates(input: &[char], out: &mut Vec<usize>) {
    let at = |i: usize| input.get(i);
    if matches!(at(0), Some('+') | Some('-')) && is_d(at(1)) && is_d(at(2)) {
        // `:?` is greedy: with the colon first, then without.
        let mut colon_options = Vec::new();
        if at(3) == Some(&':') {
            colon_options.push(4);
        }
        colon_options.push(3);
        for pos in colon_options {
            if !(in_range(at(pos), '0', '5') && is_d(at(pos + 1))) {
                continue;
            }
            let base = pos + 2;
            // Optional seconds group, greedy: tried before skipping it.
            let mut second_options = Vec::new();
            if at(base) == Some(&':') {
                second_options.push(base + 1);
            }
            second_options.push(base);
            for spos in second_options {
                if in_range(at(spos), '0', '5') && is_d(at(spos + 1)) {
                    let after = spos + 2;
                    if at(after) == Some(&'.') {
                        let run = (after + 1..after + 7).take_while(|&i| is_d(at(i))).count();
                        for len in (1..=run).rev() {
                            out.push(after + 1 + len);
                        }
                    }
                    out.push(after);
                }
            }
            out.push(base);
        }
    }
    if at(0) == Some(&'Z') {
        out.push(1);
    }
}

fn match_tokens(
    tokens: &[Token],
    input: &[char],
    pos: usize,
    spans: &mut Vec<(usize, usize)>,
) -> bool {
    let Some((&token, rest)) = tokens.split_first() else {
        return true;
    };
    let here = input.get(pos..).unwrap_or(&[]);
    for len in candidates(token, here) {
        spans.push((pos, pos + len));
        if match_tokens(rest, input, pos + len, spans) {
            return true;
        }
        spans.pop();
    }
    false
}

/// `int()` of captured digits (any script; a leading space as `%d` allows).
fn int_of(chars: &[char]) -> Option<i64> {
    let mut value: i64 = 0;
    let mut any = false;
    for c in chars.iter().filter(|c| **c != ' ') {
        value = value * 10 + i64::from(decimal_value(*c)?);
        any = true;
    }
    any.then_some(value)
}

/// The `%z` capture as upstream's `_strptime` reads it: offset in microseconds,
/// `None` when it raises `ValueError`.
fn zone_offset(z: &[char]) -> Option<i64> {
    if z == ['Z'] {
        return Some(0);
    }
    let mut z: Vec<char> = z.to_vec();
    if z.get(3) == Some(&':') {
        z.remove(3);
        if z.len() > 5 {
            if z.get(5) != Some(&':') {
                return None;
            }
            z.remove(5);
        }
    }
    let hours = int_of(z.get(1..3)?)?;
    let minutes = int_of(z.get(3..5)?)?;
    let seconds = match z.get(5..7.min(z.len())) {
        Some(part) if !part.is_empty() => int_of(part)?,
        _ => 0,
    };
    let remainder: Vec<char> = z.get(8..).unwrap_or(&[]).to_vec();
    let fraction = if remainder.is_empty() {
        0
    } else {
        let mut padded = remainder;
        while padded.len() < 6 {
            padded.push('0');
        }
        int_of(&padded)?
    };
    let mut offset = (hours * 3600 + minutes * 60 + seconds) * 1_000_000 + fraction;
    if z.first() == Some(&'-') {
        offset = -offset;
    }
    // datetime.timezone requires strictly less than a day either way.
    (offset.abs() < 86_400_000_000).then_some(offset)
}

/// `datetime.strptime(text, format)`: the parsed value, or `None` where Python raises `ValueError`.
pub fn strptime(text: &str, format: Format) -> Option<DateTime> {
    let tokens = match format {
        Format::Date => DATE,
        Format::DateTimeZone => DATE_TIME_ZONE,
        Format::DateTimeFractionZone => DATE_TIME_FRACTION_ZONE,
    };
    let input: Vec<char> = text.chars().collect();
    let mut spans = Vec::with_capacity(tokens.len());
    if !match_tokens(tokens, &input, 0, &mut spans) {
        return None;
    }
    // "unconverted data remains"
    if spans.last().map_or(0, |s| s.1) != input.len() {
        return None;
    }
    let mut value = DateTime::UNSET;
    for (token, (start, end)) in tokens.iter().zip(spans) {
        let part = input.get(start..end)?;
        match token {
            Token::Year => value.year = int_of(part)?,
            Token::Month => value.month = int_of(part)?,
            Token::Day => value.day = int_of(part)?,
            Token::Hour => value.hour = int_of(part)?,
            Token::Minute => value.minute = int_of(part)?,
            Token::Second => value.second = int_of(part)?,
            Token::Fraction => {
                let mut digits = part.to_vec();
                while digits.len() < 6 {
                    digits.push('0');
                }
                value.microsecond = int_of(&digits)?;
            }
            Token::Zone => value.offset_micros = Some(zone_offset(part)?),
            Token::Literal(_) => {}
        }
    }
    value.is_valid().then_some(value)
}
