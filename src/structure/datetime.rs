//! fhir.resources `Date`, `DateTime`, `Instant` and `Time` validation with
//! pydantic's `parse_date` / `parse_datetime` / `parse_time`, producing the
//! `isoformat()` the service's `.json()` writes.

use super::errors::PyError;
use super::pytext::{digit_value, is_py_digit, py_float_of_str};
use super::value::PyVal;
use crate::calendar;
use crate::json::Value;

/// What a temporal validator accepted, before it is rendered as the Python
/// value pydantic stores (only [`parse`](super::parse) renders it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Temporal {
    /// The text as given (a partial date such as `2021-02`).
    Text,
    /// `datetime.date`.
    Date(i64, u32, u32),
    /// `datetime.datetime`.
    DateTime(DateTimeParts),
    /// `datetime.time` (hour, minute, second, microsecond, UTC offset in minutes).
    Time(u32, u32, u32, u32, Option<i32>),
}

impl Temporal {
    /// The Python value, `v` being the validated input (the text of [`Temporal::Text`]).
    pub fn into_value(self, v: &Value) -> PyVal {
        match self {
            Temporal::Text => PyVal::Str(match v {
                Value::Str(s) => s.as_str().to_owned(),
                _ => String::new(),
            }),
            Temporal::Date(y, m, d) => PyVal::Date(iso_date(y, m, d)),
            Temporal::DateTime(parts) => PyVal::DateTime(parts.iso()),
            Temporal::Time(h, mi, s, us, tz) => PyVal::Time(iso_time(h, mi, s, us, tz)),
        }
    }
}

/// Calls `f` with the characters of `s`, kept on the stack when there are few.
fn with_chars<R>(s: &str, f: impl FnOnce(&[char]) -> R) -> R {
    let mut buf = ['\0'; 48];
    let mut n = 0;
    for c in s.chars() {
        match buf.get_mut(n) {
            Some(slot) => *slot = c,
            None => {
                let all: Vec<char> = s.chars().collect();
                return f(&all);
            }
        }
        n += 1;
    }
    f(buf.get(..n).unwrap_or(&[]))
}

/// A run of Python `\d` characters starting at `i`, between `min` and `max` long (greedy).
fn digits_at(chars: &[char], i: usize, min: usize, max: usize) -> Option<(u32, usize)> {
    let mut n = 0;
    let mut v: u32 = 0;
    while n < max {
        match chars.get(i + n).and_then(|&c| digit_value(c)) {
            Some(d) => {
                v = v.saturating_mul(10).saturating_add(d);
                n += 1;
            }
            None => break,
        }
    }
    (n >= min).then_some((v, i + n))
}

/// Regex `$`: end of text, or before a final `\n`.
fn at_end(chars: &[char], i: usize) -> bool {
    i == chars.len() || (i + 1 == chars.len() && chars.get(i) == Some(&'\n'))
}

/// fhir.resources `FHIR_DATE_PARTS`: `(\d{4})(-(\d{2}))?(-(\d{2}))?$`, `match`ed.
/// Gives (has month, month value, has day).
fn fhir_date_parts(chars: &[char]) -> Option<(Option<u32>, bool)> {
    let (_, i) = digits_at(chars, 0, 4, 4)?;
    // Try the fullest parse first, backtracking as the regex would.
    let month = if chars.get(i) == Some(&'-') {
        digits_at(chars, i + 1, 2, 2)
    } else {
        None
    };
    if let Some((m, j)) = month {
        if chars.get(j) == Some(&'-') {
            if let Some((_, k)) = digits_at(chars, j + 1, 2, 2) {
                if at_end(chars, k) {
                    return Some((Some(m), true));
                }
            }
        }
        if at_end(chars, j) {
            return Some((Some(m), false));
        }
    }
    if at_end(chars, i) {
        return Some((None, false));
    }
    None
}

/// The FHIR `date`/`dateTime` regex `match`ed at the start: every part after
/// the year is optional, so it only needs a valid four-digit year.
fn fhir_year_prefix(chars: &[char]) -> bool {
    chars
        .get(..4)
        .is_some_and(|y| y.iter().all(|c| c.is_ascii_digit()) && y != ['0'; 4])
}

/// The two ASCII digits at `i`, as text.
fn two_digits(chars: &[char], i: usize) -> Option<[u8; 2]> {
    match (chars.get(i), chars.get(i + 1)) {
        (Some(&a), Some(&b)) if a.is_ascii_digit() && b.is_ascii_digit() => {
            Some([a as u8, b as u8])
        }
        _ => None,
    }
}

fn two(chars: &[char], i: usize, ok: impl Fn(&str) -> bool) -> bool {
    two_digits(chars, i).is_some_and(|d| std::str::from_utf8(&d).is_ok_and(ok))
}

/// The FHIR `instant` regex `match`ed at the start (full date, time and zone required).
fn instant_prefix(chars: &[char]) -> bool {
    if !fhir_year_prefix(chars) {
        return false;
    }
    let lit = |i: usize, c: char| chars.get(i) == Some(&c);
    if !(lit(4, '-')
        && two(chars, 5, |s| ("01"..="12").contains(&s))
        && lit(7, '-')
        && two(chars, 8, |s| ("01"..="31").contains(&s))
        && lit(10, 'T')
        && two(chars, 11, |s| s <= "23")
        && lit(13, ':')
        && two(chars, 14, |s| s <= "59")
        && lit(16, ':')
        && two(chars, 17, |s| s <= "60"))
    {
        return false;
    }
    let mut i = 19;
    if lit(i, '.') && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()) {
        i += 1;
        while chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
    }
    if lit(i, 'Z') {
        return true;
    }
    if !(lit(i, '+') || lit(i, '-')) {
        return false;
    }
    if chars.get(i + 1..i + 3) == Some(&['1', '4'][..])
        && lit(i + 3, ':')
        && two(chars, i + 4, |s| s == "00")
    {
        return true;
    }
    two(chars, i + 1, |s| s <= "13") && lit(i + 3, ':') && two(chars, i + 4, |s| s <= "59")
}

/// The FHIR `time` regex `match`ed at the start.
fn time_prefix(chars: &[char]) -> bool {
    two(chars, 0, |s| s <= "23")
        && chars.get(2) == Some(&':')
        && two(chars, 3, |s| s <= "59")
        && chars.get(5) == Some(&':')
        && two(chars, 6, |s| s <= "60")
}

fn valid_date(y: u32, m: u32, d: u32) -> bool {
    (1..=9999).contains(&y)
        && (1..=12).contains(&m)
        && d >= 1
        && i64::from(d) <= calendar::days_in_month(i64::from(y), i64::from(m))
}

/// A parsed `datetime.datetime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTimeParts {
    y: i64,
    mo: u32,
    d: u32,
    h: u32,
    mi: u32,
    s: u32,
    us: u32,
    /// UTC offset in minutes, `None` for a naive datetime.
    tz: Option<i32>,
}

fn iso_date(y: i64, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

fn iso_time(h: u32, mi: u32, s: u32, us: u32, tz: Option<i32>) -> String {
    let mut t = format!("{h:02}:{mi:02}:{s:02}");
    if us != 0 {
        t.push_str(&format!(".{us:06}"));
    }
    if let Some(off) = tz {
        let sign = if off < 0 { '-' } else { '+' };
        let a = off.unsigned_abs();
        t.push_str(&format!("{sign}{:02}:{:02}", a / 60, a % 60));
    }
    t
}

impl DateTimeParts {
    fn iso(&self) -> String {
        format!(
            "{}T{}",
            iso_date(self.y, self.mo, self.d),
            iso_time(self.h, self.mi, self.s, self.us, self.tz)
        )
    }
}

const MAX_NUMBER: f64 = 3e20;
const MS_WATERSHED: f64 = 2e10;

/// pydantic `from_unix_seconds`: a number as seconds since the epoch (UTC),
/// milliseconds and smaller units folded down while above 2e10.
fn from_unix_seconds(seconds: f64) -> Result<DateTimeParts, PyError> {
    if seconds > MAX_NUMBER {
        return Ok(DateTimeParts {
            y: 9999,
            mo: 12,
            d: 31,
            h: 23,
            mi: 59,
            s: 59,
            us: 999_999,
            tz: None,
        });
    }
    if seconds < -MAX_NUMBER {
        return Ok(DateTimeParts {
            y: 1,
            mo: 1,
            d: 1,
            h: 0,
            mi: 0,
            s: 0,
            us: 0,
            tz: None,
        });
    }
    if seconds.is_nan() {
        return Err(PyError::value_error("cannot convert float NaN to integer"));
    }
    let mut secs = seconds;
    while secs.abs() > MS_WATERSHED {
        secs /= 1000.0;
    }
    let total_us = (secs * 1e6).round_ties_even_compat() as i64;
    let day_us: i64 = 86_400_000_000;
    let days = total_us.div_euclid(day_us);
    let rem = total_us.rem_euclid(day_us);
    let (y, mo, d) = calendar::civil_from_days(days);
    let (mo, d) = (mo as u32, d as u32);
    let secs_of_day = rem / 1_000_000;
    Ok(DateTimeParts {
        y,
        mo,
        d,
        h: (secs_of_day / 3600) as u32,
        mi: ((secs_of_day % 3600) / 60) as u32,
        s: (secs_of_day % 60) as u32,
        us: (rem % 1_000_000) as u32,
        tz: Some(0),
    })
}

trait RoundTiesEven {
    fn round_ties_even_compat(self) -> f64;
}

impl RoundTiesEven for f64 {
    fn round_ties_even_compat(self) -> f64 {
        let r = self.round();
        if (self - self.trunc()).abs() == 0.5 && r % 2.0 != 0.0 {
            r - self.signum()
        } else {
            r
        }
    }
}

/// What a non-string value means to pydantic's parsers (`get_numeric`).
pub enum Numeric {
    Number(f64),
    /// Not a number: `TypeError("invalid type; expected {what}, string, bytes, int or float")`.
    Invalid,
}

fn invalid_type(what: &str) -> PyError {
    PyError::type_error(format!(
        "invalid type; expected {what}, string, bytes, int or float"
    ))
}

/// `\d{4}-\d{1,2}-\d{1,2}$` (pydantic `date_re`), then `date(**kw)`.
fn parse_date_str(chars: &[char]) -> Result<(i64, u32, u32), PyError> {
    let (y, i) = digits_at(chars, 0, 4, 4).ok_or_else(PyError::date)?;
    if chars.get(i) != Some(&'-') {
        return Err(PyError::date());
    }
    let (m, j) = digits_at(chars, i + 1, 1, 2).ok_or_else(PyError::date)?;
    if chars.get(j) != Some(&'-') {
        return Err(PyError::date());
    }
    let (d, k) = digits_at(chars, j + 1, 1, 2).ok_or_else(PyError::date)?;
    if !at_end(chars, k) || !valid_date(y, m, d) {
        return Err(PyError::date());
    }
    Ok((i64::from(y), m, d))
}

/// pydantic `parse_date` on a `str`.
fn parse_date(s: &str, chars: &[char]) -> Result<Temporal, PyError> {
    if let Some(n) = py_float_of_str(s) {
        let dt = from_unix_seconds(n)?;
        return Ok(Temporal::Date(dt.y, dt.mo, dt.d));
    }
    let (y, m, d) = parse_date_str(chars)?;
    Ok(Temporal::Date(y, m, d))
}

/// The time part of pydantic's `time_expr` from `i`: returns the parts and whether it ended at `$`.
fn parse_time_expr(
    chars: &[char],
    i: usize,
    err: fn() -> PyError,
) -> Result<(u32, u32, u32, u32, Option<i32>), PyError> {
    let (h, i) = digits_at(chars, i, 1, 2).ok_or_else(err)?;
    if chars.get(i) != Some(&':') {
        return Err(err());
    }
    let (mi, mut i) = digits_at(chars, i + 1, 1, 2).ok_or_else(err)?;
    let mut s = 0;
    let mut us = 0;
    if chars.get(i) == Some(&':') {
        if let Some((sv, j)) = digits_at(chars, i + 1, 1, 2) {
            s = sv;
            i = j;
            if chars.get(i) == Some(&'.') {
                if let Some((frac, j2)) = digits_at(chars, i + 1, 1, 6) {
                    // `'{:0<6}'.format(fraction)`: the digits scaled to microseconds.
                    let given = j2 - (i + 1);
                    us = (given..6).fold(frac, |v, _| v * 10);
                    i = j2;
                    // up to six more digits are matched and ignored
                    let mut extra = 0;
                    while extra < 6 && chars.get(i).is_some_and(|&c| is_py_digit(c)) {
                        i += 1;
                        extra += 1;
                    }
                }
            }
        }
    }
    let mut tz = None;
    match chars.get(i) {
        Some('Z') => {
            tz = Some(0);
            i += 1;
        }
        Some(&c) if c == '+' || c == '-' => {
            if let Some((hh, j)) = digits_at(chars, i + 1, 2, 2) {
                let mut end = j;
                let mut mm = 0;
                let mut has_mm = false;
                let k = if chars.get(j) == Some(&':') { j + 1 } else { j };
                if let Some((m2, k2)) = digits_at(chars, k, 2, 2) {
                    mm = m2;
                    end = k2;
                    has_mm = true;
                }
                if !has_mm && chars.get(j) == Some(&':') {
                    end = j; // the optional group did not match; `:` is left over
                }
                let off = (60 * hh + mm) as i32;
                let off = if c == '-' { -off } else { off };
                if off.unsigned_abs() >= 24 * 60 {
                    return Err(err());
                }
                tz = Some(off);
                i = end;
            }
        }
        _ => {}
    }
    if !at_end(chars, i) {
        return Err(err());
    }
    Ok((h, mi, s, us, tz))
}

/// pydantic `parse_datetime` on a `str`.
fn parse_datetime(s: &str, chars: &[char]) -> Result<Temporal, PyError> {
    if let Some(n) = py_float_of_str(s) {
        return Ok(Temporal::DateTime(from_unix_seconds(n)?));
    }
    let (y, i) = digits_at(chars, 0, 4, 4).ok_or_else(PyError::datetime)?;
    if chars.get(i) != Some(&'-') {
        return Err(PyError::datetime());
    }
    let (mo, j) = digits_at(chars, i + 1, 1, 2).ok_or_else(PyError::datetime)?;
    if chars.get(j) != Some(&'-') {
        return Err(PyError::datetime());
    }
    let (d, k) = digits_at(chars, j + 1, 1, 2).ok_or_else(PyError::datetime)?;
    if !matches!(chars.get(k), Some('T') | Some(' ')) {
        return Err(PyError::datetime());
    }
    let (h, mi, sec, us, tz) = parse_time_expr(chars, k + 1, PyError::datetime)?;
    if !valid_date(y, mo, d) || h > 23 || mi > 59 || sec > 59 {
        return Err(PyError::datetime());
    }
    Ok(Temporal::DateTime(DateTimeParts {
        y: i64::from(y),
        mo,
        d,
        h,
        mi,
        s: sec,
        us,
        tz,
    }))
}

/// A JSON non-string value as pydantic's `get_numeric` sees it.
pub fn numeric(v: &Value) -> Numeric {
    use crate::json::PyFloat;
    match v {
        Value::Bool(b) => Numeric::Number(if *b { 1.0 } else { 0.0 }),
        Value::Int(d) => Numeric::Number(d.parse::<f64>().unwrap_or(f64::INFINITY)),
        Value::Decimal(t) => Numeric::Number(
            super::pytext::Dec::from_literal(t)
                .map(|d| d.to_f64())
                .unwrap_or(f64::NAN),
        ),
        Value::Float(PyFloat::NaN) => Numeric::Number(f64::NAN),
        Value::Float(PyFloat::Infinity) => Numeric::Number(f64::INFINITY),
        Value::Float(PyFloat::NegInfinity) => Numeric::Number(f64::NEG_INFINITY),
        _ => Numeric::Invalid,
    }
}

/// fhir.resources `Date.validate`.
pub fn validate_date(v: &Value) -> Result<PyVal, PyError> {
    check_date(v).map(|t| t.into_value(v))
}

/// fhir.resources `DateTime.validate`.
pub fn validate_datetime(v: &Value) -> Result<PyVal, PyError> {
    check_datetime(v).map(|t| t.into_value(v))
}

/// fhir.resources `Instant.validate`.
pub fn validate_instant(v: &Value) -> Result<PyVal, PyError> {
    check_instant(v).map(|t| t.into_value(v))
}

/// fhir.resources `Time.validate`.
pub fn validate_time(v: &Value) -> Result<PyVal, PyError> {
    check_time(v).map(|t| t.into_value(v))
}

/// [`validate_date`] without rendering the value.
pub fn check_date(v: &Value) -> Result<Temporal, PyError> {
    if let Value::Str(s) = v {
        if let Some(date) = canonical_date(s) {
            return date.ok_or_else(PyError::date);
        }
    }
    check_date_general(v)
}

fn check_date_general(v: &Value) -> Result<Temporal, PyError> {
    let s = match v {
        Value::Str(s) => s,
        other => {
            return match numeric(other) {
                Numeric::Number(n) => {
                    let dt = from_unix_seconds(n)?;
                    Ok(Temporal::Date(dt.y, dt.mo, dt.d))
                }
                Numeric::Invalid => Err(invalid_type("date")),
            }
        }
    };
    with_chars(s, |chars| match fhir_date_parts(chars) {
        None => {
            if !fhir_year_prefix(chars) {
                return Err(PyError::date());
            }
            parse_date(s, chars)
        }
        Some((month, false)) => {
            if month.is_some_and(|m| m > 12) {
                return Err(PyError::date());
            }
            Ok(Temporal::Text)
        }
        Some((_, true)) => parse_date(s, chars),
    })
}

/// [`validate_datetime`] without rendering the value.
pub fn check_datetime(v: &Value) -> Result<Temporal, PyError> {
    if let Value::Str(s) = v {
        if let Some(date) = canonical_date(s) {
            return date.ok_or_else(PyError::date);
        }
        if let Some(datetime) = canonical_datetime(s) {
            return datetime.ok_or_else(PyError::datetime);
        }
    }
    check_datetime_general(v)
}

/// Two ASCII digits at `i` as a number.
fn ascii2(b: &[u8], i: usize) -> Option<u32> {
    match (b.get(i), b.get(i + 1)) {
        (Some(&x), Some(&y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
            Some(u32::from(x - b'0') * 10 + u32::from(y - b'0'))
        }
        _ => None,
    }
}

/// `YYYY-MM-DD` in ASCII digits, which both the date and dateTime
/// validators read as a `datetime.date`: `Some(None)` when no such date exists,
/// `None` for any other text.
fn canonical_date(s: &str) -> Option<Option<Temporal>> {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let y = ascii2(b, 0)? * 100 + ascii2(b, 2)?;
    let (m, d) = (ascii2(b, 5)?, ascii2(b, 8)?);
    Some(valid_date(y, m, d).then_some(Temporal::Date(i64::from(y), m, d)))
}

/// `YYYY-MM-DDThh:mm:ss[.f{1,6}](Z|±hh:mm)` in ASCII, the form nearly every
/// dateTime takes: `Some(None)` when it names no valid datetime, `None` for
/// any other text (left to the general path).
fn canonical_datetime(s: &str) -> Option<Option<Temporal>> {
    let b = s.as_bytes();
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(at(4, b'-') && at(7, b'-') && at(10, b'T') && at(13, b':') && at(16, b':')) {
        return None;
    }
    let y = ascii2(b, 0)? * 100 + ascii2(b, 2)?;
    let (mo, d, h, mi, sec) = (
        ascii2(b, 5)?,
        ascii2(b, 8)?,
        ascii2(b, 11)?,
        ascii2(b, 14)?,
        ascii2(b, 17)?,
    );
    let mut i = 19;
    let mut us = 0;
    if at(i, b'.') {
        let fraction = b.get(i + 1..).unwrap_or(&[]);
        let n = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=6).contains(&n) {
            return None;
        }
        let digits = fraction.get(..n).unwrap_or(&[]);
        us = digits.iter().fold(0, |v, &c| v * 10 + u32::from(c - b'0'));
        us *= 10u32.pow(6 - n as u32);
        i += 1 + n;
    }
    let tz: i32 = match b.get(i) {
        Some(b'Z') => {
            i += 1;
            0
        }
        Some(&sign @ (b'+' | b'-')) => {
            if !at(i + 3, b':') {
                return None;
            }
            let off = (60 * ascii2(b, i + 1)? + ascii2(b, i + 4)?) as i32;
            i += 6;
            if sign == b'-' {
                -off
            } else {
                off
            }
        }
        _ => return None,
    };
    if i != b.len() {
        return None;
    }
    let valid = y != 0
        && tz.unsigned_abs() < 24 * 60
        && valid_date(y, mo, d)
        && h <= 23
        && mi <= 59
        && sec <= 59;
    Some(valid.then_some(Temporal::DateTime(DateTimeParts {
        y: i64::from(y),
        mo,
        d,
        h,
        mi,
        s: sec,
        us,
        tz: Some(tz),
    })))
}

fn check_datetime_general(v: &Value) -> Result<Temporal, PyError> {
    let s = match v {
        Value::Str(s) => s,
        other => {
            return match numeric(other) {
                Numeric::Number(n) => Ok(Temporal::DateTime(from_unix_seconds(n)?)),
                Numeric::Invalid => Err(invalid_type("datetime")),
            }
        }
    };
    with_chars(s, |chars| match fhir_date_parts(chars) {
        Some((_, true)) => parse_date(s, chars),
        Some((month, false)) => {
            if month.is_some_and(|m| m > 12) {
                return Err(PyError::date());
            }
            Ok(Temporal::Text)
        }
        None => {
            if !fhir_year_prefix(chars) {
                return Err(PyError::datetime());
            }
            parse_datetime(s, chars)
        }
    })
}

/// [`validate_instant`] without rendering the value.
pub fn check_instant(v: &Value) -> Result<Temporal, PyError> {
    match v {
        Value::Str(s) => with_chars(s, |chars| {
            if !instant_prefix(chars) {
                return Err(PyError::datetime());
            }
            parse_datetime(s, chars)
        }),
        other => match numeric(other) {
            Numeric::Number(n) => Ok(Temporal::DateTime(from_unix_seconds(n)?)),
            Numeric::Invalid => Err(invalid_type("datetime")),
        },
    }
}

/// [`validate_time`] without rendering the value.
pub fn check_time(v: &Value) -> Result<Temporal, PyError> {
    let number = match v {
        Value::Str(s) => {
            let parsed = with_chars(s, |chars| {
                if !time_prefix(chars) {
                    return Err(PyError::time());
                }
                match py_float_of_str(s) {
                    Some(n) => Ok(Err(n)),
                    None => {
                        let (h, mi, sec, us, tz) = parse_time_expr(chars, 0, PyError::time)?;
                        if h > 23 || mi > 59 || sec > 59 {
                            return Err(PyError::time());
                        }
                        Ok(Ok(Temporal::Time(h, mi, sec, us, tz)))
                    }
                }
            })?;
            match parsed {
                Ok(time) => return Ok(time),
                Err(n) => n,
            }
        }
        other => match numeric(other) {
            Numeric::Number(n) => n,
            Numeric::Invalid => return Err(invalid_type("time")),
        },
    };
    if number >= 86400.0 || number.is_nan() || number < 0.0 {
        return Err(PyError::time());
    }
    let us_total = (number * 1e6).round_ties_even_compat() as i64;
    let secs = us_total / 1_000_000;
    Ok(Temporal::Time(
        (secs / 3600) as u32,
        ((secs % 3600) / 60) as u32,
        (secs % 60) as u32,
        (us_total % 1_000_000) as u32,
        None,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::Str(v.into())
    }

    #[test]
    fn datetime_values_render_like_isoformat() {
        assert_eq!(
            validate_datetime(&s("2021-02-14T13:28:17.271+00:00")),
            Ok(PyVal::DateTime("2021-02-14T13:28:17.271000+00:00".into()))
        );
        assert_eq!(
            validate_datetime(&s("2021-02-14T13:28:17Z")),
            Ok(PyVal::DateTime("2021-02-14T13:28:17+00:00".into()))
        );
        assert_eq!(
            validate_datetime(&s("2021-02-14")),
            Ok(PyVal::Date("2021-02-14".into()))
        );
        assert_eq!(
            validate_datetime(&s("2021-02")),
            Ok(PyVal::Str("2021-02".into()))
        );
        assert_eq!(validate_datetime(&s("2021-13")), Err(PyError::date()));
        assert_eq!(validate_datetime(&s("2021-02-30")), Err(PyError::date()));
        assert_eq!(validate_datetime(&s("x")), Err(PyError::datetime()));
        assert_eq!(
            validate_datetime(&s("20210214")),
            Ok(PyVal::DateTime("1970-08-22T21:56:54+00:00".into()))
        );
        assert_eq!(
            validate_datetime(&s("2021-02-14T13:28:17-05:30")),
            Ok(PyVal::DateTime("2021-02-14T13:28:17-05:30".into()))
        );
    }

    /// Texts around the canonical forms: each must get the general path's answer.
    fn near_canonical() -> Vec<String> {
        let mut out = Vec::new();
        let bases = [
            "2021-02-07T13:28:17+00:00",
            "2021-02-07T13:28:17.271Z",
            "2020-02-29T23:59:59.123456-14:00",
            "2021-02-07",
            "1965-02-28",
        ];
        let swaps = [
            "0", "9", "3", "-", ":", "T", " ", "Z", "+", ".", "x", "\n", "١", "",
        ];
        for base in bases {
            out.push(base.to_string());
            let chars: Vec<char> = base.chars().collect();
            for i in 0..=chars.len() {
                for with in swaps {
                    let mut t: String = chars.iter().take(i).collect();
                    t.push_str(with);
                    t.extend(chars.iter().skip(i + 1));
                    out.push(t.clone());
                    let mut inserted: String = chars.iter().take(i).collect();
                    inserted.push_str(with);
                    inserted.extend(chars.iter().skip(i));
                    out.push(inserted);
                }
            }
        }
        for extra in [
            "0000-01-01T00:00:00Z",
            "2021-02-29T00:00:00Z",
            "2021-02-07T24:00:00Z",
            "2021-02-07T23:60:00Z",
            "2021-02-07T23:59:60Z",
            "2021-02-07T13:28:17+24:00",
            "2021-02-07T13:28:17-23:59",
            "2021-02-07T13:28:17+23:60",
            "2021-02-07T13:28:17.1234567Z",
            "2021-02-07T13:28:17.Z",
            "2021-02-07T13:28:17+0000",
            "2021-00-07",
            "2021-13-07",
            "0000-01-01",
        ] {
            out.push(extra.to_string());
        }
        out
    }

    #[test]
    fn canonical_forms_answer_like_the_general_path() {
        for text in near_canonical() {
            let v = s(&text);
            assert_eq!(check_datetime(&v), check_datetime_general(&v), "{text:?}");
            assert_eq!(check_date(&v), check_date_general(&v), "{text:?}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(
            validate_date(&s("1965-02-28")),
            Ok(PyVal::Date("1965-02-28".into()))
        );
        assert_eq!(validate_date(&s("1965")), Ok(PyVal::Str("1965".into())));
        assert_eq!(
            validate_date(&s("1965-02-28T00:00:00")),
            Err(PyError::date())
        );
        assert_eq!(
            validate_date(&Value::Int("0".into())),
            Ok(PyVal::Date("1970-01-01".into()))
        );
    }
}
