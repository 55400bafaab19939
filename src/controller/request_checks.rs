//! The controller's own checks before the service sees the request
//! (`FhirController`, `aws_apig_event_utils`): headers, path id, E-Tag and the
//! body's JSON.

use super::answer::{Answer, Placement};
use crate::api::Request;
use crate::json::{self, LoadError, Node};

/// `get_supplier_system_header`: an absent header is `UnauthorizedError`.
pub fn supplier_system(request: &Request) -> Result<&str, Answer> {
    request
        .supplier_system
        .as_deref()
        .ok_or_else(|| Answer::rejected(403, "forbidden", "Unauthorized request"))
}

/// `get_resource_version_header`: an absent E-Tag is `ResourceVersionNotProvidedError`.
pub fn version_header(request: &Request) -> Result<&str, Answer> {
    request.version.as_deref().ok_or_else(|| {
        Answer::rejected(
            400,
            "invariant",
            "Validation errors: Immunization resource version not specified in the request headers",
        )
    })
}

/// `_is_valid_immunization_id`: `re.match(r"^[A-Za-z0-9\-.]{1,64}$", id)`.
/// Python's `$` also matches just before a final newline.
pub fn immunization_id(id: &str) -> Result<(), Answer> {
    let core = id.strip_suffix('\n').unwrap_or(id);
    let length = core.chars().count();
    let allowed = core
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    if allowed && (1..=64).contains(&length) {
        Ok(())
    } else {
        Err(Answer::rejected(
            400,
            "invalid",
            "Validation errors: the provided event ID is either missing or not in the expected format.",
        ))
    }
}

/// `_is_valid_resource_version`: `version.isdigit() and int(version) > 0`;
/// returns the version as Python's `int()` reads it.
pub fn resource_version(version: &str) -> Result<u64, Answer> {
    let invalid = || {
        Answer::rejected(
            400,
            "invariant",
            format!(
                "Validation errors: Immunization resource version:{version} in the request headers is invalid."
            ),
        )
    };
    if version.is_empty()
        || !version
            .chars()
            .all(|c| is_python_digit(c) || is_digit_symbol(c))
    {
        return Err(invalid());
    }
    if version.chars().any(is_digit_symbol) {
        // `isdigit()` passes, then `int()` raises ValueError in the controller.
        return Err(Answer::server_error());
    }
    let value = python_digits_value(version).ok_or_else(invalid)?;
    if value == 0 {
        return Err(invalid());
    }
    Ok(value)
}

/// `str.isdigit()` for the characters `int()` can read: the decimal digits of
/// every script (Unicode `Nd`), which Rust exposes through `to_digit` only for
/// ASCII; the other blocks are recognised by their zero code point.
fn is_python_digit(c: char) -> bool {
    digit_value(c).is_some()
}

fn digit_value(c: char) -> Option<u32> {
    if let Some(d) = c.to_digit(10) {
        return Some(d);
    }
    const ZEROS: &[u32] = &[
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
        0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0,
        0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0,
        0xAA50, 0xABF0, 0xFF10,
    ];
    let code = c as u32;
    ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&code))
        .map(|zero| code - zero)
}

/// Characters `str.isdigit()` accepts that are not decimal digits
/// (superscripts, subscripts, circled and dingbat digits): `int()` rejects them.
fn is_digit_symbol(c: char) -> bool {
    const RANGES: &[(u32, u32)] = &[
        (0x00B2, 0x00B3),
        (0x00B9, 0x00B9),
        (0x1369, 0x1371),
        (0x19DA, 0x19DA),
        (0x2070, 0x2070),
        (0x2074, 0x2079),
        (0x2080, 0x2089),
        (0x2460, 0x2468),
        (0x2474, 0x247C),
        (0x2488, 0x2490),
        (0x24EA, 0x24EA),
        (0x24F5, 0x24FD),
        (0x24FF, 0x24FF),
        (0x2776, 0x277E),
        (0x2780, 0x2788),
        (0x278A, 0x2792),
    ];
    let code = c as u32;
    RANGES.iter().any(|&(lo, hi)| (lo..=hi).contains(&code))
}

/// The value of a run of digits; `None` when it does not fit in 64 bits
/// (such a version can never match a stored one).
fn python_digits_value(digits: &str) -> Option<u64> {
    digits.chars().try_fold(0u64, |acc, c| {
        acc.checked_mul(10)?.checked_add(u64::from(digit_value(c)?))
    })
}

/// `json.loads(body, parse_float=Decimal)`: a `JSONDecodeError` is the
/// controller's `InvalidJsonError` (400 invalid); a `RecursionError` reaches
/// the global handler (500).
pub fn parse_body(body: &str) -> Result<Node, Answer> {
    parse_body_with_nesting(body).map(|(node, _)| node)
}

/// [`parse_body`], and how deeply arrays and objects nest in the body
/// ([`json::loads_with_nesting`]).
pub fn parse_body_with_nesting(body: &str) -> Result<(Node, usize), Answer> {
    json::loads_with_nesting(body).map_err(|error| match error {
        LoadError::Decode(decode) => Answer::Rejected {
            status: 400,
            code: "invalid",
            diagnostics: format!("Request's body contains malformed JSON: {decode}"),
            vaccine_type: None,
            placement: Box::new(Placement::Offset(decode.byte_offset)),
        },
        // RecursionError, or int()'s ValueError past 4,300 digits: not a JSONDecodeError.
        _ => Answer::server_error(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnostics(answer: Answer) -> String {
        match answer {
            Answer::Rejected { diagnostics, .. } => diagnostics,
            Answer::Accepted { .. } => String::new(),
        }
    }

    #[test]
    fn immunization_id_pattern() {
        assert!(immunization_id("60dfcbb1-a35c-4a7f-991e-747a774407b6").is_ok());
        assert!(immunization_id("a.b-C").is_ok());
        assert!(immunization_id("abc\n").is_ok());
        assert!(immunization_id("").is_err());
        assert!(immunization_id("abc\n\n").is_err());
        assert!(immunization_id("a_b").is_err());
        assert!(immunization_id(&"a".repeat(65)).is_err());
        assert!(immunization_id(&"a".repeat(64)).is_ok());
    }

    #[test]
    fn resource_version_rules() {
        assert_eq!(resource_version("3").ok(), Some(3));
        assert_eq!(resource_version("007").ok(), Some(7));
        assert_eq!(resource_version("\u{0663}").ok(), Some(3));
        assert_eq!(
            diagnostics(resource_version("0").unwrap_err()),
            "Validation errors: Immunization resource version:0 in the request headers is invalid."
        );
        assert!(resource_version("-1").is_err());
        assert!(resource_version("1.0").is_err());
        assert!(resource_version("").is_err());
        assert!(resource_version(" 1").is_err());
        assert!(matches!(
            resource_version("\u{00B2}"),
            Err(Answer::Rejected { status: 500, .. })
        ));
    }
}
