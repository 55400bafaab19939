//! Python `datetime` values as the stored resource and the delta converter see them:
//! pydantic 1.10's `parse_date` / `parse_datetime` / `parse_time` (which fhir.resources
//! calls for `date`, `dateTime`, `instant` and `time` elements), `isoformat()`,
//! Python 3.11's `datetime.fromisoformat` and the `strftime` codes the delta uses.

use super::pynum::{DecimalParse, PyDecimal};
use crate::calendar;

/// A Python `date` / `datetime` / `time` value. `offset_seconds` is the `tzinfo`
/// (`None` for a naive value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PyDateTime {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub microsecond: u32,
    pub offset_seconds: Option<i32>,
}

/// Why a value is not a valid date/time (pydantic's `DateError` / `DateTimeError` /
/// `TimeError`, or Python 3.11 `fromisoformat`'s `ValueError` text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeInvalid(pub String);

// The calendar in this module's field types (`datetime`'s ranges fit them).
fn days_in_month(year: i32, month: u32) -> u32 {
    calendar::days_in_month(i64::from(year), i64::from(month)) as u32
}

fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    calendar::days_from_civil(i64::from(year), i64::from(month), i64::from(day))
}

fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let (year, month, day) = calendar::civil_from_days(days);
    (year as i32, month as u32, day as u32)
}

impl PyDateTime {
    pub fn date(year: i32, month: u32, day: u32) -> Self {
        PyDateTime {
            year,
            month,
            day,
            hour: 0,
            minute: 0,
            second: 0,
            microsecond: 0,
            offset_seconds: None,
        }
    }

    /// Python's range checks of `datetime(...)`, with its `ValueError` texts.
    pub fn check(&self) -> Result<(), DateTimeInvalid> {
        if !(1..=9999).contains(&self.year) {
            return Err(DateTimeInvalid(format!(
                "year {} is out of range",
                self.year
            )));
        }
        if !(1..=12).contains(&self.month) {
            return Err(DateTimeInvalid("month must be in 1..12".into()));
        }
        if self.day < 1 || self.day > days_in_month(self.year, self.month) {
            return Err(DateTimeInvalid("day is out of range for month".into()));
        }
        if self.hour > 23 {
            return Err(DateTimeInvalid("hour must be in 0..23".into()));
        }
        if self.minute > 59 {
            return Err(DateTimeInvalid("minute must be in 0..59".into()));
        }
        if self.second > 59 {
            return Err(DateTimeInvalid("second must be in 0..59".into()));
        }
        if let Some(offset) = self.offset_seconds {
            if offset.abs() >= 86400 {
                return Err(DateTimeInvalid(
                    "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24).".into(),
                ));
            }
        }
        Ok(())
    }

    /// Microseconds since the epoch of the wall-clock value (ignoring the offset).
    fn local_micros(&self) -> i128 {
        let days = days_from_civil(self.year, self.month, self.day);
        let secs = i128::from(days) * 86400
            + i128::from(self.hour) * 3600
            + i128::from(self.minute) * 60
            + i128::from(self.second);
        secs * 1_000_000 + i128::from(self.microsecond)
    }

    /// The instant in microseconds since the epoch (the offset applied; naive treated as UTC).
    pub fn utc_micros(&self) -> i128 {
        self.local_micros() - i128::from(self.offset_seconds.unwrap_or(0)) * 1_000_000
    }

    fn from_local_micros(micros: i128, offset_seconds: Option<i32>) -> Self {
        let secs = micros.div_euclid(1_000_000);
        let microsecond = micros.rem_euclid(1_000_000) as u32;
        let days = secs.div_euclid(86400) as i64;
        let sod = secs.rem_euclid(86400) as u32;
        let (year, month, day) = civil_from_days(days);
        PyDateTime {
            year,
            month,
            day,
            hour: sod / 3600,
            minute: sod / 60 % 60,
            second: sod % 60,
            microsecond,
            offset_seconds,
        }
    }

    /// `date.isoformat()`.
    pub fn date_isoformat(&self) -> String {
        let mut out = String::with_capacity(10);
        self.write_date_isoformat(&mut out);
        out
    }

    /// [`PyDateTime::date_isoformat`] written onto `out`.
    pub fn write_date_isoformat(&self, out: &mut String) {
        if self.year < 0 {
            out.push('-');
            push_padded(out, u64::from(self.year.unsigned_abs()), 3);
        } else {
            push_padded(out, u64::from(self.year.unsigned_abs()), 4);
        }
        out.push('-');
        push_padded(out, u64::from(self.month), 2);
        out.push('-');
        push_padded(out, u64::from(self.day), 2);
    }

    /// `time.isoformat()` (with the offset when aware).
    pub fn time_isoformat(&self) -> String {
        let mut out = String::with_capacity(21);
        self.write_time_isoformat(&mut out);
        out
    }

    /// [`PyDateTime::time_isoformat`] written onto `out`.
    pub fn write_time_isoformat(&self, out: &mut String) {
        push_padded(out, u64::from(self.hour), 2);
        out.push(':');
        push_padded(out, u64::from(self.minute), 2);
        out.push(':');
        push_padded(out, u64::from(self.second), 2);
        if self.microsecond != 0 {
            out.push('.');
            push_padded(out, u64::from(self.microsecond), 6);
        }
        if let Some(offset) = self.offset_seconds {
            write_offset(out, offset, ":");
        }
    }

    /// `datetime.isoformat()`: `2021-02-14T13:28:17.271000+00:00`.
    pub fn datetime_isoformat(&self) -> String {
        let mut out = String::with_capacity(32);
        self.write_datetime_isoformat(&mut out);
        out
    }

    /// [`PyDateTime::datetime_isoformat`] written onto `out`.
    pub fn write_datetime_isoformat(&self, out: &mut String) {
        self.write_date_isoformat(out);
        out.push('T');
        self.write_time_isoformat(out);
    }

    /// `strftime` with the codes the delta converter uses (`%Y %m %d %H %M %S %z`);
    /// `%Y` is not zero-padded below year 1000, as with glibc.
    pub fn strftime(&self, format: &str) -> String {
        let mut out = String::new();
        let mut chars = format.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('Y') => out.push_str(&self.year.to_string()),
                Some('m') => out.push_str(&format!("{:02}", self.month)),
                Some('d') => out.push_str(&format!("{:02}", self.day)),
                Some('H') => out.push_str(&format!("{:02}", self.hour)),
                Some('M') => out.push_str(&format!("{:02}", self.minute)),
                Some('S') => out.push_str(&format!("{:02}", self.second)),
                Some('z') => {
                    if let Some(offset) = self.offset_seconds {
                        out.push_str(&format_offset(offset, ""));
                    }
                }
                Some(other) => {
                    out.push('%');
                    out.push(other);
                }
                None => out.push('%'),
            }
        }
        out
    }
}

/// `+HH<sep>MM[<sep>SS]` for a UTC offset.
fn format_offset(offset: i32, sep: &str) -> String {
    let mut out = String::with_capacity(10);
    write_offset(&mut out, offset, sep);
    out
}

/// `+HH:MM` (`:SS` when there are seconds), `sep` between the parts.
fn write_offset(out: &mut String, offset: i32, sep: &str) {
    out.push(if offset < 0 { '-' } else { '+' });
    let abs = offset.unsigned_abs();
    push_padded(out, u64::from(abs / 3600), 2);
    out.push_str(sep);
    push_padded(out, u64::from(abs / 60 % 60), 2);
    if !abs.is_multiple_of(60) {
        out.push_str(sep);
        push_padded(out, u64::from(abs % 60), 2);
    }
}

/// `format!("{value:0width$}")`.
fn push_padded(out: &mut String, value: u64, width: usize) {
    if width == 2 && value < 100 {
        out.push(char::from(b'0' + (value / 10) as u8));
        out.push(char::from(b'0' + (value % 10) as u8));
        return;
    }
    let mut digits = [b'0'; 20];
    let mut n = value;
    let mut len = 0;
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
        len += 1;
        if n == 0 {
            break;
        }
    }
    for _ in len..width {
        out.push('0');
    }
    let start = digits.len() - len;
    for &d in digits.get(start..).unwrap_or(&[]) {
        out.push(char::from(d));
    }
}

/// A number as pydantic's `get_numeric` sees it: an `int` (digits) or a `float`.
#[derive(Debug, Clone, PartialEq)]
pub enum Numeric {
    Int(String),
    Float(f64),
}

/// pydantic `from_unix_seconds`: values beyond ±3e20 give `datetime.max` / `datetime.min`
/// (naive); values beyond 2e10 are taken as milliseconds (divided by 1000 until below);
/// otherwise the epoch plus the seconds, in UTC.
pub fn from_unix_seconds(number: &Numeric) -> Result<PyDateTime, DateTimeInvalid> {
    const MAX_NUMBER: f64 = 3e20;
    const WATERSHED: f64 = 2e10;
    let max = PyDateTime {
        year: 9999,
        month: 12,
        day: 31,
        hour: 23,
        minute: 59,
        second: 59,
        microsecond: 999_999,
        offset_seconds: None,
    };
    let min = PyDateTime::date(1, 1, 1);
    let seconds: f64 = match number {
        Numeric::Int(digits) => {
            let negative = digits.starts_with('-');
            let magnitude = digits.trim_start_matches('-');
            if magnitude.len() <= 11 {
                let value: i64 = magnitude.parse().unwrap_or(0);
                let value = if negative { -value } else { value };
                if (value.abs() as f64) <= WATERSHED {
                    let dt = PyDateTime::from_local_micros(i128::from(value) * 1_000_000, Some(0));
                    return Ok(dt);
                }
                value as f64
            } else {
                let f: f64 = digits.parse().unwrap_or(f64::INFINITY);
                if f > MAX_NUMBER {
                    return Ok(max);
                }
                if f < -MAX_NUMBER {
                    return Ok(min);
                }
                f
            }
        }
        Numeric::Float(f) => *f,
    };
    if seconds.is_nan() {
        return Err(DateTimeInvalid(
            "cannot convert float NaN to integer".into(),
        ));
    }
    if seconds > MAX_NUMBER {
        return Ok(max);
    }
    if seconds < -MAX_NUMBER {
        return Ok(min);
    }
    let mut s = seconds;
    while s.abs() > WATERSHED {
        s /= 1000.0;
    }
    let whole = s.trunc();
    let frac_us = ((s - whole) * 1e6).round_ties_even();
    let micros = (whole as i128) * 1_000_000 + frac_us as i128;
    Ok(PyDateTime::from_local_micros(micros, Some(0)))
}

/// pydantic `get_numeric` for a string: `float(value)` when it parses.
pub fn str_as_float(text: &str) -> Option<f64> {
    if cannot_be_number(text) {
        return None;
    }
    parsed_as_float(text)
}

/// Texts no number literal can be: a `:` anywhere, or a `-` right after an ASCII
/// digit (a sign only leads the number or its exponent). Dates and times are.
fn cannot_be_number(text: &str) -> bool {
    let b = text.as_bytes();
    b.contains(&b':') || b.windows(2).any(|w| w[1] == b'-' && w[0].is_ascii_digit())
}

/// [`str_as_float`] by parsing the text as a decimal.
fn parsed_as_float(text: &str) -> Option<f64> {
    match PyDecimal::parse(text) {
        DecimalParse::Finite(d) => Some(d.to_f64()),
        DecimalParse::NonFinite => {
            let lower = text.trim().to_ascii_lowercase();
            let body = lower.trim_start_matches(['+', '-']);
            match body {
                "inf" | "infinity" => Some(if lower.starts_with('-') {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                }),
                "nan" => Some(f64::NAN),
                _ => None,
            }
        }
        DecimalParse::Invalid => None,
    }
}

/// A cursor over a string for hand-written regular-expression matching.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor {
            bytes: text.as_bytes(),
            pos: 0,
        }
    }
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }
    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    /// `\d{min,max}` (greedy), returning the digits' value.
    fn digits(&mut self, min: usize, max: usize) -> Option<(u64, usize)> {
        let start = self.pos;
        let mut value: u64 = 0;
        while self.pos - start < max {
            match self.peek() {
                Some(b) if b.is_ascii_digit() => {
                    value = value * 10 + u64::from(b - b'0');
                    self.pos += 1;
                }
                _ => break,
            }
        }
        let n = self.pos - start;
        if n < min {
            self.pos = start;
            None
        } else {
            Some((value, n))
        }
    }
    /// Python regex `$`: end of text, or just before a final newline.
    fn at_dollar(&self) -> bool {
        self.pos == self.bytes.len()
            || (self.pos + 1 == self.bytes.len() && self.bytes[self.pos] == b'\n')
    }
}

/// pydantic `date_expr`: `(\d{4})-(\d{1,2})-(\d{1,2})`.
fn match_date_expr(c: &mut Cursor) -> Option<(i32, u32, u32)> {
    let (year, _) = c.digits(4, 4)?;
    if !c.eat(b'-') {
        return None;
    }
    let (month, _) = c.digits(1, 2)?;
    if !c.eat(b'-') {
        return None;
    }
    let (day, _) = c.digits(1, 2)?;
    Some((year as i32, month as u32, day as u32))
}

/// pydantic `time_expr` (up to and including the final `$`): hour, minute, optional
/// second and fraction (first six digits kept, up to six more ignored), optional
/// `Z` / `±HH[[:]MM]` zone.
/// (hour, minute, second, microsecond, zone: `Some(offset)` when written).
type TimeMatch = (u32, u32, u32, u32, Option<Option<i32>>);

fn match_time_expr(c: &mut Cursor) -> Option<TimeMatch> {
    let (hour, _) = c.digits(1, 2)?;
    if !c.eat(b':') {
        return None;
    }
    let (minute, _) = c.digits(1, 2)?;
    let mut second = 0;
    let mut microsecond = 0;
    let save = c.pos;
    if c.eat(b':') {
        match c.digits(1, 2) {
            Some((s, _)) => {
                second = s as u32;
                let before_fraction = c.pos;
                if c.eat(b'.') {
                    let start = c.pos;
                    let mut n = 0;
                    while n < 12 && c.peek().is_some_and(|b| b.is_ascii_digit()) {
                        c.pos += 1;
                        n += 1;
                    }
                    if n == 0 {
                        c.pos = before_fraction;
                    } else {
                        let kept = &c.bytes[start..start + n.min(6)];
                        let mut value: u32 = 0;
                        for b in kept {
                            value = value * 10 + u32::from(b - b'0');
                        }
                        for _ in kept.len()..6 {
                            value *= 10;
                        }
                        microsecond = value;
                    }
                }
            }
            None => c.pos = save,
        }
    }
    // Zone: Z | [+-]\d{2}(:?\d{2})?
    let zone = match c.peek() {
        Some(b'Z') => {
            c.pos += 1;
            Some(Some(0))
        }
        Some(sign @ (b'+' | b'-')) => {
            let save = c.pos;
            c.pos += 1;
            match c.digits(2, 2) {
                Some((hours, _)) => {
                    let after_hours = c.pos;
                    let colon = c.eat(b':');
                    let minutes = match c.digits(2, 2) {
                        Some((m, _)) => m,
                        None => {
                            let _ = colon;
                            c.pos = after_hours;
                            0
                        }
                    };
                    let mut offset = (hours * 60 + minutes) as i32;
                    if sign == b'-' {
                        offset = -offset;
                    }
                    Some(Some(offset * 60))
                }
                None => {
                    c.pos = save;
                    None
                }
            }
        }
        _ => None,
    };
    if !c.at_dollar() {
        return None;
    }
    Some((hour as u32, minute as u32, second, microsecond, zone))
}

/// pydantic `parse_datetime` for a string.
pub fn pydantic_parse_datetime_str(text: &str) -> Result<PyDateTime, DateTimeInvalid> {
    if let Some(f) = str_as_float(text) {
        return from_unix_seconds(&Numeric::Float(f));
    }
    let invalid = || DateTimeInvalid("invalid datetime format".into());
    let mut c = Cursor::new(text);
    let (year, month, day) = match_date_expr(&mut c).ok_or_else(invalid)?;
    if !(c.eat(b'T') || c.eat(b' ')) {
        return Err(invalid());
    }
    let (hour, minute, second, microsecond, zone) = match_time_expr(&mut c).ok_or_else(invalid)?;
    let dt = PyDateTime {
        year,
        month,
        day,
        hour,
        minute,
        second,
        microsecond,
        offset_seconds: zone.flatten(),
    };
    dt.check().map_err(|_| invalid())?;
    Ok(dt)
}

/// pydantic `parse_date` for a string.
pub fn pydantic_parse_date_str(text: &str) -> Result<PyDateTime, DateTimeInvalid> {
    if let Some(f) = str_as_float(text) {
        return from_unix_seconds(&Numeric::Float(f))
            .map(|dt| PyDateTime::date(dt.year, dt.month, dt.day));
    }
    let invalid = || DateTimeInvalid("invalid date format".into());
    let mut c = Cursor::new(text);
    let (year, month, day) = match_date_expr(&mut c).ok_or_else(invalid)?;
    if !c.at_dollar() {
        return Err(invalid());
    }
    let d = PyDateTime::date(year, month, day);
    d.check().map_err(|_| invalid())?;
    Ok(d)
}

/// pydantic `parse_time` for a string.
pub fn pydantic_parse_time_str(text: &str) -> Result<PyDateTime, DateTimeInvalid> {
    let invalid = || DateTimeInvalid("invalid time format".into());
    if let Some(f) = str_as_float(text) {
        if !(0.0..=86399.0).contains(&f) && !f.is_nan() {
            return Err(invalid());
        }
        let micros = (f * 1e6).round_ties_even() as i128;
        let mut t = PyDateTime::from_local_micros(micros, None);
        t.year = 1;
        return Ok(t);
    }
    let mut c = Cursor::new(text);
    let (hour, minute, second, microsecond, zone) = match_time_expr(&mut c).ok_or_else(invalid)?;
    let t = PyDateTime {
        year: 1,
        month: 1,
        day: 1,
        hour,
        minute,
        second,
        microsecond,
        offset_seconds: zone.flatten(),
    };
    t.check().map_err(|_| invalid())?;
    Ok(t)
}

/// Python 3.11 `datetime.fromisoformat(text)`; the error is the `ValueError` text.
pub fn fromisoformat(text: &str) -> Result<PyDateTime, DateTimeInvalid> {
    let invalid = || {
        DateTimeInvalid(format!(
            "Invalid isoformat string: {}",
            crate::python::repr_str(text)
        ))
    };
    let bytes = text.as_bytes();
    let len = bytes.len();
    // Reading past the end sees the terminating NUL, as the C implementation does.
    let at = |i: usize| -> u8 { bytes.get(i).copied().unwrap_or(0) };
    let separator = separator_location(&at, len).ok_or_else(invalid)?;
    let (year, month, day) = parse_iso_date(&at, separator).ok_or_else(invalid)?;
    let mut dt = PyDateTime::date(year, month, day);
    if len > separator {
        // Skip the separator character (any single character).
        let lead = at(separator);
        let width = if lead & 0x80 == 0 {
            1
        } else {
            match lead & 0xf0 {
                0xe0 => 3,
                0xf0 => 4,
                _ => 2,
            }
        };
        let start = separator + width;
        let (h, m, s, us, offset) = parse_iso_time(bytes, start).ok_or_else(invalid)?;
        dt.hour = h;
        dt.minute = m;
        dt.second = s;
        dt.microsecond = us;
        dt.offset_seconds = offset;
    }
    dt.check()?;
    Ok(dt)
}

fn separator_location(at: &dyn Fn(usize) -> u8, len: usize) -> Option<usize> {
    if len == 7 {
        return Some(7);
    }
    if at(4) == b'-' {
        if at(5) == b'W' {
            if len < 8 {
                return None;
            }
            if len > 8 && at(8) == b'-' {
                if len == 9 {
                    return None;
                }
                if len > 10 && at(10).is_ascii_digit() {
                    return Some(8);
                }
                return Some(10);
            }
            return Some(8);
        }
        return Some(10);
    }
    if at(4) == b'W' {
        let mut idx = 7;
        while idx < len && at(idx).is_ascii_digit() {
            idx += 1;
        }
        if idx < 9 {
            return Some(idx);
        }
        return Some(if idx % 2 == 0 { 7 } else { 8 });
    }
    Some(8)
}

fn parse_fixed_digits(at: &dyn Fn(usize) -> u8, pos: &mut usize, n: usize) -> Option<u32> {
    let mut value = 0u32;
    for _ in 0..n {
        let b = at(*pos);
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u32::from(b - b'0');
        *pos += 1;
    }
    Some(value)
}

fn parse_iso_date(at: &dyn Fn(usize) -> u8, len: usize) -> Option<(i32, u32, u32)> {
    let mut p = 0;
    let year = parse_fixed_digits(at, &mut p, 4)? as i32;
    let uses_separator = at(p) == b'-';
    if uses_separator {
        p += 1;
    }
    if at(p) == b'W' {
        p += 1;
        let week = parse_fixed_digits(at, &mut p, 2)?;
        let weekday = if p < len {
            if uses_separator {
                let c = at(p);
                p += 1;
                if c != b'-' {
                    return None;
                }
            }
            parse_fixed_digits(at, &mut p, 1)?
        } else {
            1
        };
        return iso_week_to_date(year, week, weekday);
    }
    let month = parse_fixed_digits(at, &mut p, 2)?;
    if uses_separator {
        let c = at(p);
        p += 1;
        if c != b'-' {
            return None;
        }
    }
    let day = parse_fixed_digits(at, &mut p, 2)?;
    Some((year, month, day))
}

fn iso_week_to_date(year: i32, week: u32, weekday: u32) -> Option<(i32, u32, u32)> {
    if week == 0 || week > 53 || weekday == 0 || weekday > 7 {
        return None;
    }
    if week == 53 {
        // Only valid when the year has 53 ISO weeks.
        let jan1 = days_from_civil(year, 1, 1);
        let jan1_weekday = (jan1 + 3).rem_euclid(7); // 0 = Monday
        let leap = days_in_month(year, 2) == 29;
        if !(jan1_weekday == 3 || (jan1_weekday == 2 && leap)) {
            return None;
        }
    }
    let jan4 = days_from_civil(year, 1, 4);
    let jan4_weekday = (jan4 + 3).rem_euclid(7);
    let week1_monday = jan4 - jan4_weekday;
    let day = week1_monday + i64::from(week - 1) * 7 + i64::from(weekday - 1);
    Some(civil_from_days(day))
}

type IsoTime = (u32, u32, u32, u32, Option<i32>);

/// `parse_isoformat_time` of CPython 3.11 over `bytes[start..]`.
fn parse_iso_time(bytes: &[u8], start: usize) -> Option<IsoTime> {
    let end = bytes.len();
    let at = |i: usize| -> u8 { bytes.get(i).copied().unwrap_or(0) };
    let mut tz_pos = start;
    loop {
        let b = at(tz_pos);
        if b == b'Z' || b == b'+' || b == b'-' {
            break;
        }
        tz_pos += 1;
        if tz_pos >= end {
            break;
        }
    }
    let (rv, h, m, s, us) = parse_hh_mm_ss_ff(&at, start, tz_pos)?;
    if tz_pos >= end {
        return if rv { None } else { Some((h, m, s, us, None)) };
    }
    if at(tz_pos) == b'Z' {
        return if at(tz_pos + 1) != 0 {
            None
        } else {
            Some((h, m, s, us, Some(0)))
        };
    }
    let sign: i32 = if at(tz_pos) == b'-' { -1 } else { 1 };
    let (rv2, th, tm, ts, _tus) = parse_hh_mm_ss_ff(&at, tz_pos + 1, end)?;
    if rv2 {
        return None;
    }
    let offset = sign * (th as i32 * 3600 + tm as i32 * 60 + ts as i32);
    Some((h, m, s, us, Some(offset)))
}

/// Returns (trailing-garbage flag, hour, minute, second, microsecond).
fn parse_hh_mm_ss_ff(
    at: &dyn Fn(usize) -> u8,
    start: usize,
    end: usize,
) -> Option<(bool, u32, u32, u32, u32)> {
    let mut vals = [0u32; 3];
    let mut p = start;
    let mut has_separator = true;
    let mut broke_for_fraction = false;
    for (i, slot) in vals.iter_mut().enumerate() {
        *slot = parse_fixed_digits(at, &mut p, 2)?;
        let c = at(p);
        p += 1;
        if i == 0 {
            has_separator = c == b':';
        }
        if p >= end {
            return Some((c != 0, vals[0], vals[1], vals[2], 0));
        } else if has_separator && c == b':' {
            continue;
        } else if c == b'.' || c == b',' {
            broke_for_fraction = true;
            break;
        } else if !has_separator {
            p -= 1;
        } else {
            return None;
        }
    }
    let _ = broke_for_fraction;
    let remains = end.saturating_sub(p);
    let to_parse = remains.min(6);
    let mut us = parse_fixed_digits(at, &mut p, to_parse)?;
    if to_parse < 6 {
        if to_parse == 0 {
            return None;
        }
        us *= 10u32.pow((6 - to_parse) as u32);
    }
    while at(p).is_ascii_digit() {
        p += 1;
    }
    Some((at(p) != 0, vals[0], vals[1], vals[2], us))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_that_cannot_be_numbers_are_not_parsed() {
        for text in [
            "2021-02-07",
            "2021-02-07T13:28:17+00:00",
            "13:28",
            "1-2",
            "-1",
            "+1e-5",
            " -5 ",
            "1E-2",
            "-inf",
            "nan",
            "1_000.5",
            "\u{0663}-1",
            "",
            "-",
            "e-",
        ] {
            let quick = cannot_be_number(text);
            let parsed = parsed_as_float(text);
            if quick {
                assert_eq!(parsed, None, "{text}");
            }
            assert_eq!(
                str_as_float(text).map(f64::to_bits),
                parsed.map(f64::to_bits),
                "{text}"
            );
        }
        assert!(cannot_be_number("2021-02-07"));
        assert!(!cannot_be_number("-1e-5"));
    }

    #[test]
    fn isoformat_digits_match_formatted_text() {
        for (year, micro, offset) in [
            (1, 0, None),
            (999, 5, Some(0)),
            (2021, 271_000, Some(3600)),
            (9999, 999_999, Some(-(13 * 3600 + 59 * 60 + 59))),
            (-5, 1, Some(-60)),
            (12345, 0, Some(86_399)),
        ] {
            let dt = PyDateTime {
                year,
                month: 2,
                day: 14,
                hour: 3,
                minute: 7,
                second: 9,
                microsecond: micro,
                offset_seconds: offset,
            };
            let mut expected = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second
            );
            if micro != 0 {
                expected.push_str(&format!(".{micro:06}"));
            }
            if let Some(o) = offset {
                let abs = o.unsigned_abs();
                expected.push_str(&format!(
                    "{}{:02}:{:02}",
                    if o < 0 { '-' } else { '+' },
                    abs / 3600,
                    abs / 60 % 60
                ));
                if abs % 60 != 0 {
                    expected.push_str(&format!(":{:02}", abs % 60));
                }
            }
            assert_eq!(dt.datetime_isoformat(), expected);
        }
        let mut out = String::new();
        push_padded(&mut out, 1234567, 2);
        push_padded(&mut out, 0, 3);
        push_padded(&mut out, 7, 2);
        push_padded(&mut out, 99, 2);
        push_padded(&mut out, 100, 2);
        assert_eq!(out, "12345670000799100");
    }

    fn dt(text: &str) -> String {
        match pydantic_parse_datetime_str(text) {
            Ok(d) => d.datetime_isoformat(),
            Err(e) => format!("ERR {}", e.0),
        }
    }

    #[test]
    fn pydantic_datetimes_render_like_isoformat() {
        assert_eq!(
            dt("2021-02-14T13:28:17.271Z"),
            "2021-02-14T13:28:17.271000+00:00"
        );
        assert_eq!(dt("2021-02-07T13:28:17.000Z"), "2021-02-07T13:28:17+00:00");
        assert_eq!(dt("2021-02-07T13:28Z"), "2021-02-07T13:28:00+00:00");
        assert_eq!(dt("2021-2-7 3:28"), "2021-02-07T03:28:00");
        assert_eq!(
            dt("2021-02-07T13:28:17.1234567+01:30"),
            "2021-02-07T13:28:17.123456+01:30"
        );
        assert_eq!(dt("2021-02-07T13:28:17-0500"), "2021-02-07T13:28:17-05:00");
        assert_eq!(dt("2021-02-07T13:28:17+01"), "2021-02-07T13:28:17+01:00");
        assert_eq!(dt("2021-02-07T13:28:17Z\n"), "2021-02-07T13:28:17+00:00");
        assert_eq!(dt("1612704497"), "2021-02-07T13:28:17+00:00");
        assert_eq!(dt("2021-02-07T24:00:00Z"), "ERR invalid datetime format");
        assert_eq!(dt("2021-02-07T13:28:60Z"), "ERR invalid datetime format");
        assert!(dt("2021-02-07T13:28:17.1234567890123Z").starts_with("ERR"));
    }

    #[test]
    fn fromisoformat_python_311() {
        let ok = |t: &str| fromisoformat(t).map(|d| d.datetime_isoformat());
        assert_eq!(ok("2021-02-07").unwrap(), "2021-02-07T00:00:00");
        assert_eq!(
            ok("2021-02-07T13:28:17.271000+00:00").unwrap(),
            "2021-02-07T13:28:17.271000+00:00"
        );
        assert_eq!(
            ok("2021-02-07T13:28:17Z").unwrap(),
            "2021-02-07T13:28:17+00:00"
        );
        assert_eq!(ok("20210207T132817").unwrap(), "2021-02-07T13:28:17");
        assert_eq!(
            ok("2021").unwrap_err().0,
            "Invalid isoformat string: '2021'"
        );
        assert_eq!(
            ok("2021-02").unwrap_err().0,
            "Invalid isoformat string: '2021-02'"
        );
        assert_eq!(ok("").unwrap_err().0, "Invalid isoformat string: ''");
        assert_eq!(ok("2021-13-01").unwrap_err().0, "month must be in 1..12");
    }

    #[test]
    fn strftime_codes() {
        let d = fromisoformat("2021-02-07T13:28:17+01:00").unwrap();
        assert_eq!(d.strftime("%Y%m%dT%H%M%S%z"), "20210207T132817+0100");
        assert_eq!(PyDateTime::date(999, 1, 2).strftime("%Y%m%d"), "9990102");
    }
}
