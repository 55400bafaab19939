//! The stored Resource text escaped as the contents of a JSON string (the item's
//! `Resource` attribute), placed by the tape its writer recorded rather than found by
//! scanning: in a text written by [`super::render`] every `"` and `\` stands in a
//! string literal, and a plain literal holds only its two quotes.

use super::pyjson;
use crate::delta::doc::{Kind, Slot};

/// Appends `text` to `out` as the contents of a JSON string, exactly as
/// [`pyjson::write_str_body`] writes it without `ensure_ascii`, where `tape` is the
/// tape of `text` (slots in text order, as [`super::render::Renderer`] records them).
/// A backslash goes before the quote at each end of every string literal the tape
/// names, the text between copied as it is; the inside of a literal with escapes
/// goes the general way (which escapes character by character). When the tape does
/// not fit the text (a literal not bounded by quotes, slots out of order), the whole
/// text goes the general way.
pub fn write_escaped(out: &mut String, text: &str, tape: &[Slot]) {
    let start = out.len();
    out.reserve(text.len() + text.len() / 4 + 16);
    if !write_by_tape(out, text, tape) {
        out.truncate(start);
        pyjson::write_str_body(out, text, false);
    }
}

/// [`write_escaped`] by the tape; `false` (with `out` part written) when the tape
/// does not fit the text.
fn write_by_tape(out: &mut String, text: &str, tape: &[Slot]) -> bool {
    let bytes = text.as_bytes();
    let is_quote = |at: usize| bytes.get(at) == Some(&b'"');
    // The end of what `out` holds of `text`.
    let mut copied = 0;
    for slot in tape {
        let plain = match slot.kind {
            Kind::PlainStr => true,
            Kind::RawStr | Kind::EscapedStr => false,
            _ => continue,
        };
        let close = slot.end.wrapping_sub(1);
        if slot.start < copied || close <= slot.start || !is_quote(slot.start) || !is_quote(close) {
            return false;
        }
        let (Some(before), Some(inside)) =
            (text.get(copied..slot.start), text.get(slot.start..close))
        else {
            return false;
        };
        out.push_str(before);
        out.push('\\');
        if plain {
            // The opening quote and the literal's printable ASCII.
            out.push_str(inside);
        } else {
            out.push('"');
            pyjson::write_str_body(out, inside.get(1..).unwrap_or(""), false);
        }
        out.push('\\');
        copied = close;
    }
    match text.get(copied..) {
        Some(rest) => {
            out.push_str(rest);
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{stored_resource, StoredResource};

    fn general(text: &str) -> String {
        let mut out = String::new();
        pyjson::write_str_body(&mut out, text, false);
        out
    }

    fn by_tape(text: &str, tape: &[Slot]) -> String {
        let mut out = String::from("prefix");
        write_escaped(&mut out, text, tape);
        out.strip_prefix("prefix")
            .unwrap_or("lost prefix")
            .to_string()
    }

    /// Whether the text is written by its tape (not the general way).
    fn fits(text: &str, tape: &[Slot]) -> bool {
        write_by_tape(&mut String::new(), text, tape)
    }

    fn resource(body: &str) -> StoredResource {
        stored_resource(&crate::json::loads(body).expect("body")).expect("stored")
    }

    #[test]
    fn resource_texts_escape_as_the_general_path() {
        let bodies = [
            r#"{"resourceType": "Immunization", "id": "1", "status": "completed"}"#,
            r#"{"resourceType": "Immunization", "id": "", "status": "", "lotNumber": "a\"b\\c\/d"}"#,
            r#"{"resourceType": "Immunization", "lotNumber": "\u0000\u001f\u007f\n\t\r\b\f é 😀 \ud800 \udfff"}"#,
            r#"{"resourceType": "Immunization", "occurrenceDateTime": "2021-02-07T13:28:17.271+00:00", "recorded": "2021-02-07"}"#,
            r#"{"resourceType": "Immunization", "doseQuantity": {"value": 0.50, "unit": "\"ml\""}, "_status": {"id": "x\\"}}"#,
            r#"{"resourceType": "Immunization", "note": [{"text": "«»"}, {"text": ""}], "protocolApplied": [{"doseNumberPositiveInt": 1}]}"#,
            r#"{"resourceType": "Immunization", "contained": [{"resourceType": "Patient", "id": "P\"1", "name": [{"given": ["\u00e9", null, "x"]}]}]}"#,
            r#"{"resourceType": "Immunization", "fhir_comments": ["a\"", "", "\u2028"]}"#,
        ];
        for body in bodies {
            let stored = resource(body);
            let tape = stored.tape_of(&stored.text).expect("a tape");
            assert!(fits(&stored.text, tape), "{body}");
            assert_eq!(by_tape(&stored.text, tape), general(&stored.text), "{body}");
        }
        let long = format!(
            r#"{{"resourceType": "Immunization", "lotNumber": "{}", "id": "{}"}}"#,
            "\\\"é".repeat(2000),
            "q".repeat(5000)
        );
        let stored = resource(&long);
        let tape = stored.tape_of(&stored.text).expect("a tape");
        assert!(fits(&stored.text, tape));
        assert_eq!(by_tape(&stored.text, tape), general(&stored.text));
    }

    #[test]
    fn a_tape_that_does_not_fit_goes_the_general_way() {
        let stored = resource(r#"{"resourceType": "Immunization", "id": "a\"b", "status": "x"}"#);
        let text = &stored.text;
        let tape = stored.tape_of(text).expect("a tape").to_vec();
        let expected = general(text);
        assert!(fits(text, &tape));
        let mut shifted = tape.clone();
        for slot in &mut shifted {
            slot.start += 1;
        }
        assert!(!fits(text, &shifted));
        assert_eq!(by_tape(text, &shifted), expected);
        let mut reversed = tape.clone();
        reversed.reverse();
        assert!(!fits(text, &reversed));
        assert_eq!(by_tape(text, &reversed), expected);
        let mut past_the_end = tape.clone();
        if let Some(last) = past_the_end.last_mut() {
            last.end = text.len() + 10;
            last.kind = Kind::PlainStr;
        }
        assert_eq!(by_tape(text, &past_the_end), expected);
        let empty_literal = [Slot {
            kind: Kind::PlainStr,
            start: 0,
            end: 1,
            len: 0,
            next: 1,
        }];
        assert_eq!(by_tape("\"", &empty_literal), general("\""));
        assert_eq!(by_tape("", &empty_literal), "");
    }

    fn string_slot(kind: Kind, start: usize, end: usize) -> Slot {
        Slot {
            kind,
            start,
            end,
            len: 0,
            next: 0,
        }
    }

    #[test]
    fn literals_with_escapes_are_escaped_inside() {
        let text = r#"["a\"b\\c\u00e9", "", "plain", 1.50]"#;
        let tape = [
            string_slot(Kind::Array, 0, text.len()),
            string_slot(Kind::EscapedStr, 1, 16),
            string_slot(Kind::PlainStr, 18, 20),
            string_slot(Kind::PlainStr, 22, 29),
            string_slot(Kind::Decimal, 31, 35),
        ];
        assert!(fits(text, &tape));
        assert_eq!(by_tape(text, &tape), general(text));
        // Characters the writer never leaves in a literal, escaped as the general
        // way escapes them.
        let odd = "[\"é\\\"\u{1}\u{10ffff}\"]";
        let tape = [string_slot(Kind::RawStr, 1, odd.len() - 1)];
        assert!(fits(odd, &tape));
        assert_eq!(by_tape(odd, &tape), general(odd));
    }
}
