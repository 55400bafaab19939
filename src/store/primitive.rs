//! The value fhir.resources keeps for a FHIR primitive element, as it comes back out
//! of `.json()`: pydantic 1.10's coercions (`str_validator`, `bool_validator`,
//! `int_validator`, `decimal_validator`) and fhir.resources' `Date` / `DateTime` /
//! `Instant` / `Time` parsing, rendered with `isoformat()`.

use super::pydatetime::{
    from_unix_seconds, pydantic_parse_date_str, pydantic_parse_datetime_str,
    pydantic_parse_time_str, Numeric, PyDateTime,
};
use super::pyjson;
use super::pynum::{cmp_int_text, normalise_int_digits, py_int_from_str, DecimalParse, PyDecimal};
use crate::delta::doc::{scalar_kind, Kind as TapeKind};
use crate::fhir_model::Primitive;
use crate::json::{PyFloat, Value};

/// Why a primitive value would not be stored (fhir.resources would have rejected it).
pub type Rejected = String;

/// The canonical value of `value` held by a primitive element of type `ty`.
pub fn canonical(ty: Primitive, value: &Value) -> Result<Value, Rejected> {
    match ty {
        Primitive::Boolean => boolean(value),
        Primitive::Integer => integer(value, None),
        Primitive::UnsignedInt => integer(value, Some("0")),
        Primitive::PositiveInt => integer(value, Some("1")),
        Primitive::Decimal => decimal(value),
        Primitive::Date => date(value).map(Temporal::into_value),
        Primitive::DateTime => date_time(value).map(Temporal::into_value),
        Primitive::Instant => instant(value).map(Temporal::into_value),
        Primitive::Time => time(value).map(Temporal::into_value),
        Primitive::Uuid => uuid(value),
        Primitive::String
        | Primitive::Code
        | Primitive::Id
        | Primitive::Uri
        | Primitive::Oid
        | Primitive::Canonical
        | Primitive::Url
        | Primitive::Markdown
        | Primitive::Xhtml
        | Primitive::Base64Binary => match value {
            Value::Str(s) => Ok(Value::Str(s.clone())),
            _ => string(value).map(|s| Value::Str(s.into())),
        },
    }
}

/// Whether `ty` keeps a string as it is (`str_validator` and nothing more).
pub fn keeps_strings(ty: Primitive) -> bool {
    matches!(
        ty,
        Primitive::String
            | Primitive::Code
            | Primitive::Id
            | Primitive::Uri
            | Primitive::Oid
            | Primitive::Canonical
            | Primitive::Url
            | Primitive::Markdown
            | Primitive::Xhtml
            | Primitive::Base64Binary
    )
}

/// Writes [`canonical`]`(ty, value)` as `.json()` writes it (`ensure_ascii` text),
/// without copying strings that are kept as they are. Answers the kind of the
/// literal written as the delta's reader records it ([`TapeKind`]), or `None`
/// where it does not say (the text is then read again).
pub fn write_canonical(
    ty: Primitive,
    value: &Value,
    out: &mut String,
) -> Result<Option<TapeKind>, Rejected> {
    if let Value::Str(s) = value {
        if keeps_strings(ty) {
            return Ok(Some(string_kind(pyjson::write_str_reporting(out, s, true))));
        }
    }
    if let Some((text, kind)) = kept_as_written(ty, value) {
        out.push_str(text);
        return Ok(Some(kind));
    }
    let temporal = match ty {
        Primitive::Date => Some(date(value)?),
        Primitive::DateTime => Some(date_time(value)?),
        Primitive::Instant => Some(instant(value)?),
        Primitive::Time => Some(time(value)?),
        _ => None,
    };
    if let Some(temporal) = temporal {
        return Ok(Some(temporal.write(out)));
    }
    let start = out.len();
    match canonical(ty, value)? {
        Value::Str(s) => {
            return Ok(Some(string_kind(pyjson::write_str_reporting(
                out, &s, true,
            ))))
        }
        Value::Int(text) | Value::Decimal(text) => out.push_str(&text),
        Value::Bool(true) => return Ok(Some(write_literal(out, "true", TapeKind::True))),
        Value::Bool(false) => return Ok(Some(write_literal(out, "false", TapeKind::False))),
        other => out.push_str(&pyjson::dumps(&crate::json::Node::synthetic(other), true)),
    }
    Ok(out.get(start..).and_then(scalar_kind))
}

/// The kind of a string literal written with `ensure_ascii`: as it is (`plain`), or
/// with at least one escape.
fn string_kind(plain: bool) -> TapeKind {
    if plain {
        TapeKind::PlainStr
    } else {
        TapeKind::EscapedStr
    }
}

fn write_literal(out: &mut String, text: &str, kind: TapeKind) -> TapeKind {
    out.push_str(text);
    kind
}

/// The JSON text of a boolean, integer or decimal that `.json()` writes exactly as
/// the body wrote it: `true`/`false` for a boolean, digits without sign or leading
/// zero for the integer types, and for a decimal `-?D.F` with no exponent where
/// `str(Decimal)` keeps the digits as they are (a whole part other than `0`, or at
/// most six fraction digits, within which Python never switches to `E` notation).
/// `None` when the value must be worked out by [`canonical`].
fn kept_as_written(ty: Primitive, value: &Value) -> Option<(&str, TapeKind)> {
    /// Longer texts go the general way.
    const SHORT: usize = 32;
    match (ty, value) {
        (Primitive::Boolean, Value::Bool(true)) => Some(("true", TapeKind::True)),
        (Primitive::Boolean, Value::Bool(false)) => Some(("false", TapeKind::False)),
        (Primitive::Integer | Primitive::UnsignedInt | Primitive::PositiveInt, Value::Int(d)) => {
            let b = d.as_bytes();
            let kept = b.len() <= SHORT
                && matches!(b.first(), Some(b'1'..=b'9'))
                && b.iter().all(u8::is_ascii_digit);
            kept.then_some((d.as_str(), TapeKind::Int))
        }
        (Primitive::Decimal, Value::Decimal(text)) => {
            let unsigned = text.strip_prefix('-').unwrap_or(text);
            let (whole, fraction) = unsigned.split_once('.')?;
            let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
            let kept = text.len() <= SHORT
                && digits(whole)
                && digits(fraction)
                && match whole.as_bytes() {
                    [b'0'] => fraction.len() <= 6,
                    [first, ..] => *first != b'0',
                    [] => false,
                };
            kept.then_some((text.as_str(), TapeKind::Decimal))
        }
        _ => None,
    }
}

/// pydantic `str_validator`: strings as they are; `int`, `float` and `Decimal` by `str()`.
pub fn string(value: &Value) -> Result<String, Rejected> {
    match value {
        Value::Str(s) => Ok(s.as_str().to_owned()),
        Value::Int(digits) => Ok(int_str(digits)),
        Value::Bool(b) => Ok(if *b { "True" } else { "False" }.to_string()),
        Value::Decimal(text) => Ok(decimal_str(text)),
        Value::Float(PyFloat::NaN) => Ok("nan".into()),
        Value::Float(PyFloat::Infinity) => Ok("inf".into()),
        Value::Float(PyFloat::NegInfinity) => Ok("-inf".into()),
        _ => Err("str type expected".into()),
    }
}

/// `str(int)` for digits as written in JSON (`-0` is `0`).
fn int_str(digits: &str) -> String {
    match digits.strip_prefix('-') {
        Some(d) => normalise_int_digits(true, d),
        None => normalise_int_digits(false, digits),
    }
}

/// `str(Decimal(text))` for a JSON number literal.
fn decimal_str(text: &str) -> String {
    match PyDecimal::parse(text) {
        DecimalParse::Finite(d) => d.to_py_string(),
        _ => text.to_string(),
    }
}

/// pydantic `bool_validator`.
fn boolean(value: &Value) -> Result<Value, Rejected> {
    let rejected = || "value could not be parsed to a boolean".to_string();
    match value {
        Value::Bool(b) => Ok(Value::Bool(*b)),
        Value::Int(digits) => match int_str(digits).as_str() {
            "0" => Ok(Value::Bool(false)),
            "1" => Ok(Value::Bool(true)),
            _ => Err(rejected()),
        },
        Value::Decimal(text) => match PyDecimal::parse(text) {
            DecimalParse::Finite(d) if d.digits == "0" => Ok(Value::Bool(false)),
            DecimalParse::Finite(d) if !d.negative && is_one(&d) => Ok(Value::Bool(true)),
            _ => Err(rejected()),
        },
        Value::Str(s) => match s.to_lowercase().as_str() {
            "0" | "off" | "f" | "false" | "n" | "no" => Ok(Value::Bool(false)),
            "1" | "on" | "t" | "true" | "y" | "yes" => Ok(Value::Bool(true)),
            _ => Err(rejected()),
        },
        _ => Err(rejected()),
    }
}

/// Whether a finite decimal equals 1 (`Decimal("1.00") == 1`).
fn is_one(d: &PyDecimal) -> bool {
    let trimmed = d.digits.trim_end_matches('0');
    let zeros = (d.digits.len() - trimmed.len()) as i64;
    trimmed == "1" && d.exponent + zeros == 0
}

/// pydantic `int_validator`, then the `ge`/`gt` bound of `UnsignedInt` / `PositiveInt`.
fn integer(value: &Value, minimum: Option<&str>) -> Result<Value, Rejected> {
    let rejected = || "value is not a valid integer".to_string();
    let digits = match value {
        Value::Int(d) => int_str(d),
        Value::Bool(b) => if *b { "1" } else { "0" }.to_string(),
        Value::Decimal(text) => match PyDecimal::parse(text) {
            DecimalParse::Finite(d) => d.truncate_to_int_text(),
            _ => return Err(rejected()),
        },
        Value::Str(s) => {
            if s.len() > 4300 {
                return Err(rejected());
            }
            py_int_from_str(s).ok_or_else(rejected)?
        }
        _ => return Err(rejected()),
    };
    if let Some(min) = minimum {
        if cmp_int_text(&digits, min) == std::cmp::Ordering::Less {
            return Err(format!(
                "ensure this value is greater than or equal to {min}"
            ));
        }
    }
    Ok(Value::Int(digits.into()))
}

/// pydantic `decimal_validator`: `Decimal(str(v).strip())`, finite only.
fn decimal(value: &Value) -> Result<Value, Rejected> {
    let rejected = || "value is not a valid decimal".to_string();
    let parsed = match value {
        Value::Decimal(text) => PyDecimal::parse(text),
        Value::Int(digits) => DecimalParse::Finite(PyDecimal::from_int_text(&int_str(digits))),
        Value::Str(s) => PyDecimal::parse(s),
        Value::Bool(_) => DecimalParse::Invalid,
        Value::Float(_) => DecimalParse::NonFinite,
        _ => return Err(rejected()),
    };
    match parsed {
        DecimalParse::Finite(d) => Ok(Value::Decimal(d.to_py_string().into())),
        DecimalParse::NonFinite => Err("value is not a valid decimal".into()),
        DecimalParse::Invalid => Err(rejected()),
    }
}

/// A non-string value as pydantic's `get_numeric` takes it.
fn numeric(value: &Value) -> Option<Numeric> {
    match value {
        Value::Int(d) => Some(Numeric::Int(int_str(d))),
        Value::Bool(b) => Some(Numeric::Int(if *b { "1" } else { "0" }.into())),
        Value::Decimal(text) => match PyDecimal::parse(text) {
            DecimalParse::Finite(d) => Some(Numeric::Float(d.to_f64())),
            _ => None,
        },
        Value::Float(PyFloat::NaN) => Some(Numeric::Float(f64::NAN)),
        Value::Float(PyFloat::Infinity) => Some(Numeric::Float(f64::INFINITY)),
        Value::Float(PyFloat::NegInfinity) => Some(Numeric::Float(f64::NEG_INFINITY)),
        _ => None,
    }
}

/// fhir.resources `FHIR_DATE_PARTS`: `(\d{4})(-(\d{2}))?(-(\d{2}))?$`, giving the month
/// (if any) and whether a day is present.
fn fhir_date_parts(s: &str) -> Option<(Option<u32>, bool)> {
    let b = s.as_bytes();
    let digits = |from: usize, n: usize| -> bool {
        b.len() >= from + n && b[from..from + n].iter().all(u8::is_ascii_digit)
    };
    let at_end = |pos: usize| pos == b.len() || (pos + 1 == b.len() && b[pos] == b'\n');
    if !digits(0, 4) {
        return None;
    }
    let mut pos = 4;
    let mut month = None;
    let mut day = false;
    if b.get(pos) == Some(&b'-') && digits(pos + 1, 2) {
        month = Some(u32::from(b[pos + 1] - b'0') * 10 + u32::from(b[pos + 2] - b'0'));
        pos += 3;
    }
    if b.get(pos) == Some(&b'-') && digits(pos + 1, 2) {
        day = true;
        pos += 3;
    }
    if at_end(pos) {
        return Some((month, day));
    }
    // `(-\d{2})?(-\d{2})?` may also take the second group alone when the first is skipped.
    if month.is_some() && !day && b.get(4) == Some(&b'-') {
        return None;
    }
    None
}

/// The fhir.resources year pattern `([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)`
/// at the start of `b` (any four digits but `0000`).
fn fhir_year_prefix(b: &[u8]) -> bool {
    b.len() >= 4 && b[..4].iter().all(u8::is_ascii_digit) && &b[..4] != b"0000"
}

/// fhir.resources `Instant.regex` matched at the start of the text.
fn instant_prefix(s: &str) -> bool {
    let b = s.as_bytes();
    let d = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let within = |i: usize, lo: u8, hi: u8| b.get(i).is_some_and(|c| (lo..=hi).contains(c));
    if !fhir_year_prefix(b) || b.get(4) != Some(&b'-') {
        return false;
    }
    let month_ok = (b.get(5) == Some(&b'0') && within(6, b'1', b'9'))
        || (b.get(5) == Some(&b'1') && within(6, b'0', b'2'));
    let day_ok = (b.get(8) == Some(&b'0') && within(9, b'1', b'9'))
        || (within(8, b'1', b'2') && d(9))
        || (b.get(8) == Some(&b'3') && within(9, b'0', b'1'));
    let hour_ok =
        (within(11, b'0', b'1') && d(12)) || (b.get(11) == Some(&b'2') && within(12, b'0', b'3'));
    let second_ok =
        (within(17, b'0', b'5') && d(18)) || (b.get(17) == Some(&b'6') && b.get(18) == Some(&b'0'));
    if !(month_ok
        && b.get(7) == Some(&b'-')
        && day_ok
        && b.get(10) == Some(&b'T')
        && hour_ok
        && b.get(13) == Some(&b':')
        && within(14, b'0', b'5')
        && d(15)
        && b.get(16) == Some(&b':')
        && second_ok)
    {
        return false;
    }
    let mut pos = 19;
    if b.get(pos) == Some(&b'.') && d(pos + 1) {
        pos += 1;
        while d(pos) {
            pos += 1;
        }
    }
    match b.get(pos) {
        Some(b'Z') => true,
        Some(b'+' | b'-') => {
            let p = pos + 1;
            let zone_hour = (b.get(p) == Some(&b'0') && d(p + 1))
                || (b.get(p) == Some(&b'1') && within(p + 1, b'0', b'3'));
            (zone_hour && b.get(p + 2) == Some(&b':') && within(p + 3, b'0', b'5') && d(p + 4))
                || b.get(p..p + 5) == Some(b"14:00")
        }
        _ => false,
    }
}

/// fhir.resources `Time.regex` matched at the start of the text.
fn time_prefix(s: &str) -> bool {
    let b = s.as_bytes();
    let d = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let within = |i: usize, lo: u8, hi: u8| b.get(i).is_some_and(|c| (lo..=hi).contains(c));
    let hour_ok =
        (within(0, b'0', b'1') && d(1)) || (b.first() == Some(&b'2') && within(1, b'0', b'3'));
    let second_ok =
        (within(6, b'0', b'5') && d(7)) || (b.get(6) == Some(&b'6') && b.get(7) == Some(&b'0'));
    hour_ok
        && b.get(2) == Some(&b':')
        && within(3, b'0', b'5')
        && d(4)
        && b.get(5) == Some(&b':')
        && second_ok
}

/// A date/time value as fhir.resources keeps it: the text as written, or a parsed
/// value that `.json()` writes with `isoformat()`.
enum Temporal<'a> {
    AsWritten(&'a str),
    Date(PyDateTime),
    DateTime(PyDateTime),
    Time(PyDateTime),
}

impl Temporal<'_> {
    fn into_value(self) -> Value {
        Value::Str(match self {
            Temporal::AsWritten(s) => s.into(),
            Temporal::Date(d) => d.date_isoformat().into(),
            Temporal::DateTime(d) => d.datetime_isoformat().into(),
            Temporal::Time(d) => d.time_isoformat().into(),
        })
    }

    /// The value as a JSON string (`isoformat()` text needs no escapes).
    /// Writes the value as `.json()` does, answering the literal's kind (see
    /// [`write_canonical`]): `isoformat()` writes only digits and ASCII punctuation.
    fn write(&self, out: &mut String) -> TapeKind {
        match self {
            Temporal::AsWritten(s) => {
                return string_kind(pyjson::write_str_reporting(out, s, true))
            }
            Temporal::Date(d) => {
                out.push('"');
                d.write_date_isoformat(out);
            }
            Temporal::DateTime(d) => {
                out.push('"');
                d.write_datetime_isoformat(out);
            }
            Temporal::Time(d) => {
                out.push('"');
                d.write_time_isoformat(out);
            }
        }
        out.push('"');
        TapeKind::PlainStr
    }
}

/// fhir.resources `Date.validate`.
fn date(value: &Value) -> Result<Temporal<'_>, Rejected> {
    let rejected = || "invalid date format".to_string();
    let Value::Str(s) = value else {
        let n = numeric(value).ok_or_else(rejected)?;
        return from_unix_seconds(&n)
            .map(|dt| Temporal::Date(PyDateTime::date(dt.year, dt.month, dt.day)))
            .map_err(|_| rejected());
    };
    match fhir_date_parts(s) {
        Some((month, false)) => {
            if month.is_some_and(|m| m > 12) {
                return Err(rejected());
            }
            Ok(Temporal::AsWritten(s))
        }
        Some((_, true)) => pydantic_parse_date_str(s)
            .map(Temporal::Date)
            .map_err(|_| rejected()),
        None => {
            // Date.regex has the same year prefix as DateTime.
            if !fhir_year_prefix(s.as_bytes()) {
                return Err(rejected());
            }
            pydantic_parse_date_str(s)
                .map(Temporal::Date)
                .map_err(|_| rejected())
        }
    }
}

/// fhir.resources `DateTime.validate`: full dates become `date`s, year and year-month
/// stay as written, anything else goes through pydantic's `parse_datetime`
/// (`datetime.max` / `datetime.min` come back naive).
fn date_time(value: &Value) -> Result<Temporal<'_>, Rejected> {
    let rejected = || "invalid datetime format".to_string();
    let Value::Str(s) = value else {
        let n = numeric(value).ok_or_else(rejected)?;
        return from_unix_seconds(&n)
            .map(Temporal::DateTime)
            .map_err(|_| rejected());
    };
    match fhir_date_parts(s) {
        Some((_, true)) => pydantic_parse_date_str(s)
            .map(Temporal::Date)
            .map_err(|_| "invalid date format".to_string()),
        Some((month, false)) => {
            if month.is_some_and(|m| m > 12) {
                return Err("invalid date format".into());
            }
            Ok(Temporal::AsWritten(s))
        }
        None => {
            if !fhir_year_prefix(s.as_bytes()) {
                return Err(rejected());
            }
            pydantic_parse_datetime_str(s)
                .map(Temporal::DateTime)
                .map_err(|_| rejected())
        }
    }
}

/// fhir.resources `Instant.validate`.
fn instant(value: &Value) -> Result<Temporal<'_>, Rejected> {
    let rejected = || "invalid datetime format".to_string();
    match value {
        Value::Str(s) => {
            if !instant_prefix(s) {
                return Err(rejected());
            }
            pydantic_parse_datetime_str(s)
                .map(Temporal::DateTime)
                .map_err(|_| rejected())
        }
        other => {
            let n = numeric(other).ok_or_else(rejected)?;
            from_unix_seconds(&n)
                .map(Temporal::DateTime)
                .map_err(|_| rejected())
        }
    }
}

/// fhir.resources `Time.validate`.
fn time(value: &Value) -> Result<Temporal<'_>, Rejected> {
    let rejected = || "invalid time format".to_string();
    match value {
        Value::Str(s) => {
            if !time_prefix(s) {
                return Err(rejected());
            }
            pydantic_parse_time_str(s)
                .map(Temporal::Time)
                .map_err(|_| rejected())
        }
        _ => Err(rejected()),
    }
}

/// pydantic's UUID: `uuid.UUID(text)`, written back as `str(uuid)`.
fn uuid(value: &Value) -> Result<Value, Rejected> {
    let rejected = || "value is not a valid uuid".to_string();
    let Value::Str(s) = value else {
        return Err(rejected());
    };
    let hex = s.replace("urn:", "").replace("uuid:", "");
    let hex = hex.trim_matches(['{', '}']).replace('-', "");
    if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(rejected());
    }
    let h = hex.to_ascii_lowercase();
    Ok(Value::Str(
        format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
        .into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(ty: Primitive, v: Value) -> String {
        match canonical(ty, &v) {
            Ok(Value::Str(s)) => s.into_string(),
            Ok(Value::Int(s)) | Ok(Value::Decimal(s)) => format!("#{s}"),
            Ok(Value::Bool(b)) => format!("{b}"),
            Ok(other) => format!("{other:?}"),
            Err(e) => format!("ERR {e}"),
        }
    }

    fn s(t: &str) -> Value {
        Value::Str(t.into())
    }

    #[test]
    fn strings_coerce_like_pydantic() {
        assert_eq!(c(Primitive::String, Value::Int("123".into())), "123");
        assert_eq!(c(Primitive::String, Value::Decimal("1.50".into())), "1.50");
        assert_eq!(c(Primitive::String, Value::Bool(true)), "True");
        assert_eq!(c(Primitive::String, s(" ")), " ");
    }

    #[test]
    fn numbers_and_booleans() {
        assert_eq!(c(Primitive::Boolean, s("yes")), "true");
        assert_eq!(c(Primitive::Boolean, Value::Int("1".into())), "true");
        assert_eq!(c(Primitive::Boolean, Value::Decimal("1.00".into())), "true");
        assert_eq!(
            c(Primitive::PositiveInt, Value::Decimal("1.7".into())),
            "#1"
        );
        assert_eq!(c(Primitive::PositiveInt, s("3")), "#3");
        assert!(c(Primitive::PositiveInt, Value::Int("0".into())).starts_with("ERR"));
        assert_eq!(c(Primitive::Decimal, s("1e2")), "#1E+2");
        assert_eq!(c(Primitive::Decimal, Value::Int("5".into())), "#5");
        assert_eq!(
            c(Primitive::Decimal, Value::Decimal("0.0000001".into())),
            "#1E-7"
        );
    }

    #[test]
    fn dates_and_datetimes() {
        assert_eq!(c(Primitive::DateTime, s("2021")), "2021");
        assert_eq!(c(Primitive::DateTime, s("2021-02")), "2021-02");
        assert!(c(Primitive::DateTime, s("2021-13")).starts_with("ERR"));
        assert_eq!(c(Primitive::DateTime, s("2021-02-07")), "2021-02-07");
        assert_eq!(
            c(Primitive::DateTime, s("2021-02-07T13:28:17.271Z")),
            "2021-02-07T13:28:17.271000+00:00"
        );
        assert_eq!(
            c(Primitive::DateTime, Value::Int("1612704497".into())),
            "2021-02-07T13:28:17+00:00"
        );
        assert_eq!(c(Primitive::Date, s("2021-2-7")), "2021-02-07");
        assert_eq!(c(Primitive::Date, s("1965-02-28")), "1965-02-28");
        assert!(c(Primitive::Date, s("2021-02-30")).starts_with("ERR"));
        assert_eq!(
            c(Primitive::Instant, s("2021-02-07T13:28:17.5+01:00")),
            "2021-02-07T13:28:17.500000+01:00"
        );
        assert_eq!(c(Primitive::Time, s("13:28:17")), "13:28:17");
    }

    #[test]
    fn written_values_are_the_canonical_values() {
        let types = Primitive::ALL;
        let surrogate: String = ['x', crate::json::lone_surrogate_char(0xDC00)]
            .iter()
            .collect();
        let values = [
            s(""),
            s("é\"\u{1}"),
            s(&surrogate),
            s("2021"),
            s("2021-02\n"),
            s("2021-02-07"),
            s("2021-2-7"),
            s("2021-02-07T13:28:17.271Z"),
            s("2021-02-07T13:28:17+01:30"),
            s("13:28:17.5"),
            s("\u{0663}"),
            s("urn:uuid:{12345678-1234-1234-1234-1234567890AB}"),
            s("yes"),
            Value::Int("1612704497".into()),
            Value::Int("-0".into()),
            Value::Int("0".into()),
            Value::Int("1".into()),
            Value::Int("-12".into()),
            Value::Int("007".into()),
            Value::Int("1".repeat(40).into()),
            Value::Int("\u{0663}".into()),
            Value::Decimal("1.50".into()),
            Value::Decimal("-1.50".into()),
            Value::Decimal("-0.0".into()),
            Value::Decimal("0.000000".into()),
            Value::Decimal("0.0000000".into()),
            Value::Decimal("0.000001".into()),
            Value::Decimal("0.0000001".into()),
            Value::Decimal("-0.0000100".into()),
            Value::Decimal("10.000".into()),
            Value::Decimal("00.5".into()),
            Value::Decimal(".5".into()),
            Value::Decimal("5.".into()),
            Value::Decimal("1.5e3".into()),
            Value::Decimal("1E+2".into()),
            Value::Decimal("--1.5".into()),
            Value::Decimal(format!("1.{}", "0".repeat(40)).into()),
            Value::Decimal("1.\u{0663}".into()),
            Value::Bool(true),
            Value::Decimal("1e400".into()),
            Value::Bool(false),
            Value::Float(PyFloat::NaN),
            Value::Null,
            Value::Array(vec![]),
        ];
        for ty in types {
            for value in &values {
                let mut written = String::new();
                let direct = write_canonical(ty, value, &mut written);
                let general = canonical(ty, value)
                    .map(|v| crate::store::pyjson::dumps(&crate::json::Node::synthetic(v), true));
                match (direct, general) {
                    (Ok(kind), Ok(text)) => {
                        assert_eq!(written, text, "{ty:?} {value:?}");
                        assert_eq!(kind, scalar_kind(&text), "{ty:?} {value:?}");
                    }
                    (Err(a), Err(b)) => assert_eq!(a, b, "{ty:?} {value:?}"),
                    (a, b) => panic!("{ty:?} {value:?}: {a:?} {b:?}"),
                }
            }
        }
    }
}
