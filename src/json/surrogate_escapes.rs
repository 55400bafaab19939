//! JSON text (such as a request line) may carry lone surrogates as `\uD800`
//! escapes, which Rust strings cannot hold. Before such text is read with
//! `serde_json`, each lone surrogate escape is replaced by the escape of its
//! stand-in character (see [`super::lone_surrogate_char`]), so a request body
//! keeps its lone surrogates the way Python's `json` reads them.

use super::lone_surrogate_char;
use std::borrow::Cow;

/// `text` with every lone surrogate `\uXXXX` escape replaced by the escaped
/// stand-in character; borrowed unchanged when there is none.
pub fn map_lone_surrogate_escapes(text: &str) -> Cow<'_, str> {
    if !text.contains("\\u") && !text.contains("\\U") {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        let Some(unit) = escape_unit(bytes, i) else {
            i += 2; // `\\`, `\"` and the other two-character escapes
            continue;
        };
        if (0xD800..0xDC00).contains(&unit)
            && escape_unit(bytes, i + 6).is_some_and(|low| (0xDC00..0xE000).contains(&low))
        {
            i += 12; // a proper pair
            continue;
        }
        if (0xD800..0xE000).contains(&unit) {
            let buffer = out.get_or_insert_with(|| String::with_capacity(text.len() + 16));
            buffer.push_str(&text[copied..i]);
            let mut units = [0u16; 2];
            for half in lone_surrogate_char(unit).encode_utf16(&mut units) {
                buffer.push_str(&format!("\\u{half:04x}"));
            }
            copied = i + 6;
        }
        i += 6;
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut buffer) => {
            buffer.push_str(&text[copied..]);
            Cow::Owned(buffer)
        }
    }
}

/// The code unit of a `\uXXXX` escape starting at `at`.
fn escape_unit(bytes: &[u8], at: usize) -> Option<u32> {
    if bytes.get(at) != Some(&b'\\') || bytes.get(at + 1) != Some(&b'u') {
        return None;
    }
    let hex = bytes.get(at + 2..at + 6)?;
    let hex = std::str::from_utf8(hex).ok()?;
    u32::from_str_radix(hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::as_lone_surrogate;

    #[test]
    fn lone_escapes_become_stand_ins_and_pairs_stay() {
        let mapped =
            map_lone_surrogate_escapes(r#"{"a": "x\ud800y", "b": "\ud83d\ude00", "c": "\\ud800"}"#);
        let value: serde_json::Value = serde_json::from_str(&mapped).unwrap();
        let a: Vec<char> = value["a"].as_str().unwrap().chars().collect();
        assert_eq!(as_lone_surrogate(a[1]), Some(0xD800));
        assert_eq!(value["b"], "😀");
        assert_eq!(value["c"], "\\ud800");
    }

    #[test]
    fn text_without_escapes_is_borrowed() {
        assert!(matches!(
            map_lone_surrogate_escapes("{\"a\": 1}"),
            Cow::Borrowed(_)
        ));
    }
}
