//! fhir.resources `Date`, `DateTime`, `Instant` and `Time` validation with
//! pydantic's `parse_date` / `parse_datetime` / `parse_time`, producing the
//! `isoformat()` the service's `.json()` writes.

use super::errors::PyError;
use super::pytext::{digit_value, is_py_digit, py_float_of_str};
use super::value::PyVal;

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
    let y: Vec<char> = chars.iter().take(4).copied().collect();
    y.len() == 4 && y.iter().all(|c| c.is_ascii_digit()) && y.iter().collect::<String>() != "0000"
}

fn two(chars: &[char], i: usize, ok: impl Fn(&str) -> bool) -> bool {
    let s: String = chars.iter().skip(i).take(2).collect();
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) && ok(&s)
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
    let hh: String = chars.iter().skip(i + 1).take(2).collect();
    if hh == "14" && lit(i + 3, ':') && two(chars, i + 4, |s| s == "00") {
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

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                29
            } else {
                28
            }
        }
        _ => 0,
    }
}

fn valid_date(y: u32, m: u32, d: u32) -> bool {
    (1..=9999).contains(&y)
        && (1..=12).contains(&m)
        && d >= 1
        && d <= days_in_month(i64::from(y), m)
}

/// A parsed `datetime.datetime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DateTimeParts {
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

/// Days since 0001-01-01 → (y, m, d) (proleptic Gregorian).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Shift to days since 0000-03-01 (Howard Hinnant's algorithm).
    let z = days + 719_468 - 719_162;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
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
    // days relative to 1970-01-01; civil_from_days takes days since 0001-01-01 offset handled inside.
    let (y, mo, d) = civil_from_days(days + 719_162);
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
fn parse_date(s: &str) -> Result<PyVal, PyError> {
    if let Some(n) = py_float_of_str(s) {
        let dt = from_unix_seconds(n)?;
        return Ok(PyVal::Date(iso_date(dt.y, dt.mo, dt.d)));
    }
    let chars: Vec<char> = s.chars().collect();
    let (y, m, d) = parse_date_str(&chars)?;
    Ok(PyVal::Date(iso_date(y, m, d)))
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
                if let Some((_, j2)) = digits_at(chars, i + 1, 1, 6) {
                    let frac: String = chars
                        .get(i + 1..j2)
                        .unwrap_or(&[])
                        .iter()
                        .map(|&c| char::from(b'0' + digit_value(c).unwrap_or(0) as u8))
                        .collect();
                    us = format!("{frac:0<6}").parse().unwrap_or(0);
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
fn parse_datetime(s: &str) -> Result<PyVal, PyError> {
    if let Some(n) = py_float_of_str(s) {
        return Ok(PyVal::DateTime(from_unix_seconds(n)?.iso()));
    }
    let chars: Vec<char> = s.chars().collect();
    let (y, i) = digits_at(&chars, 0, 4, 4).ok_or_else(PyError::datetime)?;
    if chars.get(i) != Some(&'-') {
        return Err(PyError::datetime());
    }
    let (mo, j) = digits_at(&chars, i + 1, 1, 2).ok_or_else(PyError::datetime)?;
    if chars.get(j) != Some(&'-') {
        return Err(PyError::datetime());
    }
    let (d, k) = digits_at(&chars, j + 1, 1, 2).ok_or_else(PyError::datetime)?;
    if !matches!(chars.get(k), Some('T') | Some(' ')) {
        return Err(PyError::datetime());
    }
    let (h, mi, sec, us, tz) = parse_time_expr(&chars, k + 1, PyError::datetime)?;
    if !valid_date(y, mo, d) || h > 23 || mi > 59 || sec > 59 {
        return Err(PyError::datetime());
    }
    Ok(PyVal::DateTime(
        DateTimeParts {
            y: i64::from(y),
            mo,
            d,
            h,
            mi,
            s: sec,
            us,
            tz,
        }
        .iso(),
    ))
}

/// A JSON non-string value as pydantic's `get_numeric` sees it.
pub fn numeric(v: &crate::json::Value) -> Numeric {
    use crate::json::{PyFloat, Value};
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
pub fn validate_date(v: &crate::json::Value) -> Result<PyVal, PyError> {
    let s = match v {
        crate::json::Value::Str(s) => s,
        other => {
            return match numeric(other) {
                Numeric::Number(n) => {
                    let dt = from_unix_seconds(n)?;
                    Ok(PyVal::Date(iso_date(dt.y, dt.mo, dt.d)))
                }
                Numeric::Invalid => Err(invalid_type("date")),
            }
        }
    };
    let chars: Vec<char> = s.chars().collect();
    match fhir_date_parts(&chars) {
        None => {
            if !fhir_year_prefix(&chars) {
                return Err(PyError::date());
            }
            parse_date(s)
        }
        Some((month, false)) => {
            if month.is_some_and(|m| m > 12) {
                return Err(PyError::date());
            }
            Ok(PyVal::Str(s.clone()))
        }
        Some((_, true)) => parse_date(s),
    }
}

/// fhir.resources `DateTime.validate`.
pub fn validate_datetime(v: &crate::json::Value) -> Result<PyVal, PyError> {
    let s = match v {
        crate::json::Value::Str(s) => s,
        other => {
            return match numeric(other) {
                Numeric::Number(n) => Ok(PyVal::DateTime(from_unix_seconds(n)?.iso())),
                Numeric::Invalid => Err(invalid_type("datetime")),
            }
        }
    };
    let chars: Vec<char> = s.chars().collect();
    match fhir_date_parts(&chars) {
        Some((_, true)) => parse_date(s),
        Some((month, false)) => {
            if month.is_some_and(|m| m > 12) {
                return Err(PyError::date());
            }
            Ok(PyVal::Str(s.clone()))
        }
        None => {
            if !fhir_year_prefix(&chars) {
                return Err(PyError::datetime());
            }
            parse_datetime(s)
        }
    }
}

/// fhir.resources `Instant.validate`.
pub fn validate_instant(v: &crate::json::Value) -> Result<PyVal, PyError> {
    match v {
        crate::json::Value::Str(s) => {
            let chars: Vec<char> = s.chars().collect();
            if !instant_prefix(&chars) {
                return Err(PyError::datetime());
            }
            parse_datetime(s)
        }
        other => match numeric(other) {
            Numeric::Number(n) => Ok(PyVal::DateTime(from_unix_seconds(n)?.iso())),
            Numeric::Invalid => Err(invalid_type("datetime")),
        },
    }
}

/// fhir.resources `Time.validate`.
pub fn validate_time(v: &crate::json::Value) -> Result<PyVal, PyError> {
    let number = match v {
        crate::json::Value::Str(s) => {
            let chars: Vec<char> = s.chars().collect();
            if !time_prefix(&chars) {
                return Err(PyError::time());
            }
            match py_float_of_str(s) {
                Some(n) => n,
                None => {
                    let (h, mi, sec, us, tz) = parse_time_expr(&chars, 0, PyError::time)?;
                    if h > 23 || mi > 59 || sec > 59 {
                        return Err(PyError::time());
                    }
                    return Ok(PyVal::Time(iso_time(h, mi, sec, us, tz)));
                }
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
    Ok(PyVal::Time(iso_time(
        (secs / 3600) as u32,
        ((secs % 3600) / 60) as u32,
        (secs % 60) as u32,
        (us_total % 1_000_000) as u32,
        None,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Value;

    fn s(v: &str) -> Value {
        Value::Str(v.to_string())
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
