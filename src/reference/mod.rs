//! The service's configuration files, embedded. The files in this folder are
//! byte-for-byte copies of the service's own (pretty-printed); what is embedded
//! is the same JSON without the whitespace between tokens, computed at compile
//! time, so the copies stay easy to compare with the service's while the
//! module carries only the data.

/// The service's `disease_mapping.json`.
pub(crate) static DISEASE_MAPPING: &str = utf8(&DISEASE_MAPPING_BYTES);
/// The service's supplier-permission config of its dev deployment.
pub(crate) static PERMISSIONS_DEV: &str = utf8(&PERMISSIONS_DEV_BYTES);
/// The service's supplier-permission config of its preprod deployment.
pub(crate) static PERMISSIONS_PREPROD: &str = utf8(&PERMISSIONS_PREPROD_BYTES);
/// The service's supplier-permission config of its prod deployment.
pub(crate) static PERMISSIONS_PROD: &str = utf8(&PERMISSIONS_PROD_BYTES);

const DISEASE_MAPPING_JSON: &[u8] = include_bytes!("disease_mapping.json");
const PERMISSIONS_DEV_JSON: &[u8] = include_bytes!("supplier_permissions/dev.json");
const PERMISSIONS_PREPROD_JSON: &[u8] = include_bytes!("supplier_permissions/preprod.json");
const PERMISSIONS_PROD_JSON: &[u8] = include_bytes!("supplier_permissions/prod.json");

const DISEASE_MAPPING_BYTES: [u8; minified_len(DISEASE_MAPPING_JSON)] =
    minified(DISEASE_MAPPING_JSON);
const PERMISSIONS_DEV_BYTES: [u8; minified_len(PERMISSIONS_DEV_JSON)] =
    minified(PERMISSIONS_DEV_JSON);
const PERMISSIONS_PREPROD_BYTES: [u8; minified_len(PERMISSIONS_PREPROD_JSON)] =
    minified(PERMISSIONS_PREPROD_JSON);
const PERMISSIONS_PROD_BYTES: [u8; minified_len(PERMISSIONS_PROD_JSON)] =
    minified(PERMISSIONS_PROD_JSON);

/// Whether the byte is JSON whitespace (RFC 8259: space, tab, line feed, carriage return).
const fn is_json_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

/// Calls `keep` on every byte of `json` that is not whitespace between tokens,
/// in order, counting them; whitespace inside strings (after any escape) is kept.
/// A `const fn` cannot take a closure, so the two users below share this walk
/// through `out`: `None` counts only, `Some` also writes.
const fn minify_into<const N: usize>(json: &[u8], mut out: Option<&mut [u8; N]>) -> usize {
    let mut written = 0;
    let mut in_string = false;
    let mut escaped = false;
    let mut at = 0;
    while at < json.len() {
        let byte = json[at];
        at += 1;
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
        } else if byte == b'"' {
            in_string = true;
        } else if is_json_whitespace(byte) {
            continue;
        }
        if let Some(buffer) = &mut out {
            buffer[written] = byte;
        }
        written += 1;
    }
    written
}

/// The length of `json` without the whitespace between its tokens.
const fn minified_len(json: &[u8]) -> usize {
    minify_into::<0>(json, None)
}

/// `json` without the whitespace between its tokens (`N` is [`minified_len`]).
const fn minified<const N: usize>(json: &[u8]) -> [u8; N] {
    let mut buffer = [0u8; N];
    minify_into(json, Some(&mut buffer));
    buffer
}

/// The bytes as text; evaluated at compile time, so invalid UTF-8 fails the build.
const fn utf8(bytes: &'static [u8]) -> &'static str {
    match core::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => panic!("embedded reference data is not UTF-8"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minify(json: &str) -> String {
        let mut buffer = [0u8; 64];
        let len = minify_into(json.as_bytes(), Some(&mut buffer));
        assert_eq!(len, minified_len(json.as_bytes()));
        String::from_utf8(buffer[..len].to_vec()).unwrap()
    }

    #[test]
    fn whitespace_between_tokens_goes_and_whitespace_in_strings_stays() {
        assert_eq!(minify(" [ {\n\t\"a b\" :\r\n 1 } ] "), "[{\"a b\":1}]");
        assert_eq!(
            minify(r#"{"k": "x\" y \\", "n": [1, 2]}"#),
            r#"{"k":"x\" y \\","n":[1,2]}"#
        );
        assert_eq!(
            minify(r#"["\\", " é ", "\u0020 "]"#),
            r#"["\\"," é ","\u0020 "]"#
        );
        assert_eq!(minify(""), "");
        assert_eq!(
            minify("\u{a0}1"),
            "\u{a0}1",
            "only JSON whitespace is removed"
        );
    }

    #[test]
    fn embedded_files_are_the_same_json_as_the_services_copies() {
        for (embedded, original) in [
            (DISEASE_MAPPING, DISEASE_MAPPING_JSON),
            (PERMISSIONS_DEV, PERMISSIONS_DEV_JSON),
            (PERMISSIONS_PREPROD, PERMISSIONS_PREPROD_JSON),
            (PERMISSIONS_PROD, PERMISSIONS_PROD_JSON),
        ] {
            let original = std::str::from_utf8(original).unwrap();
            assert!(embedded.len() < original.len());
            assert!(!embedded.contains('\n'));
            let embedded: serde_json::Value = serde_json::from_str(embedded).unwrap();
            let original: serde_json::Value = serde_json::from_str(original).unwrap();
            assert_eq!(embedded, original);
        }
    }
}
