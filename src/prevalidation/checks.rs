//! The shared field checks of upstream `PreValidation` (`for_string`, `for_list`,
//! `for_date`, `for_date_time`, ...): each raises the exception, with the text,
//! the upstream check raises for the same value.

use super::generic::{is_valid_simple_snomed, nhs_number_mod11_check};
use super::strptime::{self, Format};
use super::Context;
use crate::json::key_eq;
use crate::python::{char_isspace, str_isspace, str_len, PyException, PyResult, PyVal, PyView};

/// Options of upstream `PreValidation.for_string`.
#[derive(Debug, Clone, Copy, Default)]
pub struct StringRules<'r> {
    /// Exact length required (`defined_length`).
    pub defined_length: Option<usize>,
    /// Maximum length (`max_length`).
    pub max_length: Option<usize>,
    /// Allowed values (`predefined_values`).
    pub predefined_values: Option<&'r [&'r str]>,
    /// `spaces_allowed=False` forbids any `" "`.
    pub no_spaces: bool,
}

/// Options of upstream `PreValidation.for_list`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListRules {
    pub defined_length: Option<usize>,
    pub max_length: Option<usize>,
    pub elements_are_strings: bool,
    pub string_element_max_length: Option<usize>,
    pub elements_are_dicts: bool,
}

/// `PreValidation.for_string(value, location)` with no options: a non-empty, non-blank str.
pub fn for_string(value: &PyVal<'_>, location: &str) -> PyResult<()> {
    // A str starting with a character that is not whitespace is neither empty nor blank.
    let starts_visibly = value
        .as_str()
        .and_then(|text| text.chars().next())
        .is_some_and(|first| !char_isspace(first));
    if starts_visibly {
        return Ok(());
    }
    for_string_with(value, location, &StringRules::default())
}

/// `PreValidation.for_string` with options.
pub fn for_string_with(value: &PyVal<'_>, location: &str, rules: &StringRules<'_>) -> PyResult<()> {
    let Some(text) = value.as_str() else {
        return Err(PyException::type_error(format!(
            "{location} must be a string"
        )));
    };
    if str_isspace(text) {
        return Err(PyException::value_error(format!(
            "{location} must be a non-empty string"
        )));
    }
    // `len(text)`, counted only where a rule needs more than emptiness: a text of
    // at most `max` bytes has at most `max` characters.
    let length = || str_len(text);
    match rules.defined_length.filter(|n| *n != 0) {
        Some(defined) => {
            if length() != defined {
                return Err(PyException::value_error(format!(
                    "{location} must be {defined} characters"
                )));
            }
        }
        None => {
            if text.is_empty() {
                return Err(PyException::value_error(format!(
                    "{location} must be a non-empty string"
                )));
            }
        }
    }
    if let Some(max) = rules.max_length.filter(|n| *n != 0) {
        if text.len() > max && length() > max {
            return Err(PyException::value_error(format!(
                "{location} must be {max} or fewer characters"
            )));
        }
    }
    if let Some(allowed) = rules.predefined_values.filter(|v| !v.is_empty()) {
        if !allowed.iter().any(|value| key_eq(value, text)) {
            return Err(PyException::value_error(format!(
                "{location} must be one of the following: {}",
                allowed.join(", ")
            )));
        }
    }
    if rules.no_spaces && text.contains(' ') {
        return Err(PyException::value_error(format!(
            "{location} must not contain spaces"
        )));
    }
    Ok(())
}

/// `PreValidation.for_list`: a non-empty list meeting the length and element rules.
pub fn for_list(value: &PyVal<'_>, location: &str, rules: &ListRules) -> PyResult<()> {
    let PyView::List(items) = value.view() else {
        return Err(PyException::type_error(format!(
            "{location} must be an array"
        )));
    };
    match rules.defined_length.filter(|n| *n != 0) {
        Some(defined) => {
            if items.len() != defined {
                return Err(PyException::value_error(format!(
                    "{location} must be an array of length {defined}"
                )));
            }
        }
        None => {
            if items.is_empty() {
                return Err(PyException::value_error(format!(
                    "{location} must be a non-empty array"
                )));
            }
        }
    }
    if let Some(max) = rules.max_length {
        if items.len() > max {
            return Err(PyException::value_error(format!(
                "{location} must be an array of maximum length {max}"
            )));
        }
    }
    if rules.elements_are_strings {
        let element_rules = StringRules {
            max_length: rules.string_element_max_length,
            ..StringRules::default()
        };
        for (index, element) in items.iter().enumerate() {
            let element = PyVal::Node(element);
            // The element's location only enters the message of a failure.
            if for_string_with(&element, "", &element_rules).is_err() {
                for_string_with(&element, &format!("{location}[{index}]"), &element_rules)?;
            }
        }
    }
    if rules.elements_are_dicts {
        for element in items {
            match PyVal::Node(element).view() {
                PyView::Dict(members) => {
                    if members.is_empty() {
                        return Err(PyException::value_error(format!(
                            "{location} must be an array of non-empty objects"
                        )));
                    }
                }
                _ => {
                    return Err(PyException::type_error(format!(
                        "{location} must be an array of objects"
                    )))
                }
            }
        }
    }
    Ok(())
}

/// `PreValidation.for_date`: a `YYYY-MM-DD` str (as `datetime.strptime` reads
/// it) that, unless `future_date_allowed`, is not after today's UTC date.
pub fn for_date(
    value: &PyVal<'_>,
    location: &str,
    future_date_allowed: bool,
    ctx: &Context,
) -> PyResult<()> {
    let Some(text) = value.as_str() else {
        return Err(PyException::type_error(format!(
            "{location} must be a string"
        )));
    };
    let Some(parsed) = strptime::strptime(text, Format::Date) else {
        return Err(PyException::value_error(format!(
            "{location} must be a valid date string in the format \"YYYY-MM-DD\""
        )));
    };
    let day = crate::calendar::days_from_civil(parsed.year, parsed.month, parsed.day);
    if !future_date_allowed && day > ctx.today_epoch_days() {
        return Err(PyException::value_error(format!(
            "{location} must not be in the future"
        )));
    }
    Ok(())
}

/// The message upstream `for_date_time` raises for any rejected value.
pub fn date_time_error_message(location: &str, strict_timezone: bool) -> String {
    let mut message = format!(
        "{location} must be a valid datetime in one of the following formats:\
         - 'YYYY-MM-DD' — Full date only\
         - 'YYYY-MM-DDThh:mm:ss%z' — Full date and time with timezone (e.g. +00:00 or +01:00)\
         - 'YYYY-MM-DDThh:mm:ss.f%z' — Full date and time with milliseconds and timezone\
         -  Date must not be in the future."
    );
    if strict_timezone {
        message.push_str(&format!(
            "Only '+00:00' and '+01:00' are accepted as valid timezone offsets.\n\
             Note that partial dates are not allowed for {location} in this service.\n"
        ));
    }
    message
}

/// `PreValidation.for_date_time`: a str in one of the accepted formats, not in
/// the future, and (when `strict_timezone`) with a `+00:00`/`+01:00` offset.
///
/// Upstream raises its "must not be in the future" text inside the loop over
/// formats and swallows it there, so every rejection ends in the one long message.
pub fn for_date_time(
    value: &PyVal<'_>,
    location: &str,
    strict_timezone: bool,
    ctx: &Context,
) -> PyResult<()> {
    let Some(text) = value.as_str() else {
        return Err(PyException::type_error(format!(
            "{location} must be a string"
        )));
    };
    const ALLOWED_SUFFIXES: [&str; 4] = ["+00:00", "+01:00", "+0000", "+0100"];
    let formats = [
        Format::Date,
        Format::DateTimeZone,
        Format::DateTimeFractionZone,
    ];
    let now = ctx.now_epoch_micros();
    let accepted = strptime::strptime_first(text, &formats, |parsed| {
        parsed.epoch_micros() <= now
            && !(strict_timezone
                && parsed.offset_micros.is_some()
                && !ALLOWED_SUFFIXES.iter().any(|s| text.ends_with(s)))
    });
    if accepted.is_some() {
        return Ok(());
    }
    Err(PyException::value_error(date_time_error_message(
        location,
        strict_timezone,
    )))
}

/// `PreValidation.for_snomed_code`: a str that passes upstream `is_valid_simple_snomed`.
pub fn for_snomed_code(value: &PyVal<'_>, location: &str) -> PyResult<()> {
    let valid = value.as_str().is_some_and(is_valid_simple_snomed);
    if valid {
        Ok(())
    } else {
        Err(PyException::value_error(format!(
            "{location} is not a valid snomed code"
        )))
    }
}

/// `PreValidation.for_boolean`.
pub fn for_boolean(value: &PyVal<'_>, location: &str) -> PyResult<()> {
    if value.is_bool() {
        Ok(())
    } else {
        Err(PyException::type_error(format!(
            "{location} must be a boolean"
        )))
    }
}

/// `PreValidation.for_positive_integer`: an `int` (not a bool) from 1 to `max_value`.
pub fn for_positive_integer(
    value: &PyVal<'_>,
    location: &str,
    max_value: Option<u64>,
) -> PyResult<()> {
    let PyView::Int(text) = value.view() else {
        return Err(PyException::type_error(format!(
            "{location} must be a positive integer"
        )));
    };
    let negative = text.starts_with('-');
    let digits = text.trim_start_matches('-').trim_start_matches('0');
    if negative || digits.is_empty() {
        return Err(PyException::value_error(format!(
            "{location} must be a positive integer"
        )));
    }
    if let Some(max) = max_value.filter(|m| *m != 0) {
        let exceeds =
            digits.len() > 20 || digits.parse::<u128>().map_or(true, |v| v > u128::from(max));
        if exceeds {
            return Err(PyException::value_error(format!(
                "{location} must be an integer in the range 1 to {max}"
            )));
        }
    }
    Ok(())
}

/// `PreValidation.for_integer_or_decimal`: an `int` or a `Decimal` (not a bool or float).
pub fn for_integer_or_decimal(value: &PyVal<'_>, location: &str) -> PyResult<()> {
    if value.is_exact_int() || value.is_decimal() {
        Ok(())
    } else {
        Err(PyException::type_error(format!(
            "{location} must be a number"
        )))
    }
}

/// `PreValidation.require_system_when_code_present`.
pub fn require_system_when_code_present(
    code: &PyVal<'_>,
    system: &PyVal<'_>,
    code_location: &str,
    system_location: &str,
) -> PyResult<()> {
    if !code.is_none() && system.is_none() {
        return Err(PyException::value_error(format!(
            "If {code_location} is present, {system_location} must also be present"
        )));
    }
    Ok(())
}

/// `PreValidation.for_unique_list`: `item[key]` is unique over the items;
/// `location` (built only when an item repeats) holds `FIELD_TO_REPLACE`,
/// replaced by the repeated value.
pub fn for_unique_list(
    list: &PyVal<'_>,
    key: &str,
    location: impl FnOnce() -> String,
) -> PyResult<()> {
    let mut found: Vec<PyVal<'_>> = Vec::new();
    for item in list.iter()? {
        let value = item.getitem(key)?;
        if crate::python::list_contains(&found, &value)? {
            let Some(text) = value.as_str() else {
                // Argument checking names `None` itself rather than its type.
                let given = if value.is_none() {
                    "None"
                } else {
                    value.type_name()
                };
                return Err(PyException::type_error(format!(
                    "replace() argument 2 must be str, not {given}"
                )));
            };
            return Err(PyException::value_error(format!(
                "{} must be unique",
                location().replace("FIELD_TO_REPLACE", text)
            )));
        }
        found.push(value);
    }
    Ok(())
}

/// `PreValidation.for_nhs_number`: passes the modulus 11 check.
pub fn for_nhs_number(value: &str, location: &str) -> PyResult<()> {
    if nhs_number_mod11_check(value)? {
        Ok(())
    } else {
        Err(PyException::value_error(format!(
            "{location} is not a valid NHS number"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{Node, Value};

    fn s(text: &str) -> Node {
        Node::synthetic(Value::Str(text.into()))
    }
    fn msg(r: PyResult<()>) -> String {
        r.unwrap_err().message
    }
    fn ctx() -> Context {
        // 2025-06-01T12:00:00Z
        Context::at_epoch_seconds(1_748_779_200)
    }

    #[test]
    fn string_rules() {
        let blank = s("  ");
        assert_eq!(
            msg(for_string(&PyVal::from(&blank), "x")),
            "x must be a non-empty string"
        );
        let empty = s("");
        assert_eq!(
            msg(for_string(&PyVal::from(&empty), "x")),
            "x must be a non-empty string"
        );
        let n = Node::synthetic(Value::Int("1".into()));
        assert_eq!(msg(for_string(&PyVal::from(&n), "x")), "x must be a string");
        let status = s("done");
        let rules = StringRules {
            predefined_values: Some(&["completed"]),
            ..StringRules::default()
        };
        assert_eq!(
            msg(for_string_with(&PyVal::from(&status), "status", &rules)),
            "status must be one of the following: completed"
        );
        let spaced = s("12345 7890");
        let rules = StringRules {
            defined_length: Some(10),
            no_spaces: true,
            ..StringRules::default()
        };
        assert_eq!(
            msg(for_string_with(&PyVal::from(&spaced), "v", &rules)),
            "v must not contain spaces"
        );
        assert_eq!(
            msg(for_string_with(&PyVal::from(&empty), "v", &rules)),
            "v must be 10 characters"
        );
    }

    #[test]
    fn date_rules() {
        let c = ctx();
        assert!(for_date(&PyVal::from(&s("2025-06-01")), "d", false, &c).is_ok());
        assert_eq!(
            msg(for_date(&PyVal::from(&s("2025-06-02")), "d", false, &c)),
            "d must not be in the future"
        );
        assert_eq!(
            msg(for_date(&PyVal::from(&s("2025-6-2x")), "d", false, &c)),
            "d must be a valid date string in the format \"YYYY-MM-DD\""
        );
        assert!(
            for_date_time(&PyVal::from(&s("2025-06-01T12:00:00+00:00")), "o", true, &c).is_ok()
        );
        assert!(
            for_date_time(&PyVal::from(&s("2025-06-01T13:00:01+01:00")), "o", true, &c).is_err()
        );
        assert!(for_date_time(&PyVal::from(&s("2021-02-07T13:28:17Z")), "o", true, &c).is_err());
        assert!(for_date_time(&PyVal::from(&s("2021-02-07T13:28:17Z")), "r", false, &c).is_ok());
        assert!(for_date_time(
            &PyVal::from(&s("2021-02-07T13:28:17.123+0100")),
            "o",
            true,
            &c
        )
        .is_ok());
        assert!(for_date_time(&PyVal::from(&s("2021-02-07")), "o", true, &c).is_ok());
        let m = msg(for_date_time(&PyVal::from(&s("x")), "recorded", false, &c));
        assert!(m.starts_with("recorded must be a valid datetime in one of the following formats:- 'YYYY-MM-DD' — Full date only- "));
        assert!(m.ends_with("-  Date must not be in the future."));
    }
}
