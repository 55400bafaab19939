//! JSON Pointer (RFC 6901) over the parsed tree, for pointing at a place in the body.

use super::value::{Node, Value};

/// Escapes one key or index as a pointer reference token (`~` → `~0`, `/` → `~1`).
pub fn pointer_token(key: &str) -> String {
    let mut token = String::with_capacity(key.len());
    for ch in key.chars() {
        match ch {
            '~' => token.push_str("~0"),
            '/' => token.push_str("~1"),
            _ => token.push(ch),
        }
    }
    token
}

/// Undoes [`pointer_token`]; `None` for a `~` not followed by `0` or `1`.
fn unescape_token(token: &str) -> Option<String> {
    let mut key = String::with_capacity(token.len());
    let mut chars = token.chars();
    while let Some(ch) = chars.next() {
        if ch == '~' {
            match chars.next() {
                Some('0') => key.push('~'),
                Some('1') => key.push('/'),
                _ => return None,
            }
        } else {
            key.push(ch);
        }
    }
    Some(key)
}

/// Array index token: `0` or digits without a leading zero.
fn array_index(token: &str) -> Option<usize> {
    let well_formed = !token.is_empty()
        && token.bytes().all(|b| b.is_ascii_digit())
        && (token == "0" || !token.starts_with('0'));
    if well_formed {
        token.parse().ok()
    } else {
        None
    }
}

/// The node a JSON Pointer designates (`""` is the root, `/a/0/b~1c` walks
/// key `a`, index 0, key `b/c`); `None` when the path does not exist or the
/// pointer is malformed.
pub fn pointer_get<'a>(root: &'a Node, pointer: &str) -> Option<&'a Node> {
    if pointer.is_empty() {
        return Some(root);
    }
    let rest = pointer.strip_prefix('/')?;
    let mut node = root;
    for token in rest.split('/') {
        node = match &node.value {
            Value::Object(_) => node.get(&unescape_token(token)?)?,
            Value::Array(items) => items.get(array_index(token)?)?,
            _ => return None,
        };
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::loads;

    #[test]
    fn tokens_round_trip() {
        assert_eq!(pointer_token("a/b~c"), "a~1b~0c");
        assert_eq!(unescape_token("a~1b~0c").as_deref(), Some("a/b~c"));
        assert_eq!(unescape_token("~01").as_deref(), Some("~1"));
        assert_eq!(unescape_token("a~2"), None);
        assert_eq!(unescape_token("a~"), None);
    }

    #[test]
    fn walks_objects_and_arrays() {
        let root = match loads(r#"{"a": [10, {"b/c": "x", "": 1, "~": 2}], "0": 3}"#) {
            Ok(root) => root,
            Err(e) => panic!("{e}"),
        };
        let at = |p: &str| pointer_get(&root, p).map(|n| n.value.clone());
        assert_eq!(at(""), Some(root.value.clone()));
        assert_eq!(at("/a/0"), Some(Value::Int("10".into())));
        assert_eq!(at("/a/1/b~1c"), Some(Value::Str("x".into())));
        assert_eq!(at("/a/1/"), Some(Value::Int("1".into())));
        assert_eq!(at("/a/1/~0"), Some(Value::Int("2".into())));
        assert_eq!(at("/0"), Some(Value::Int("3".into())));
        assert_eq!(at("/a/01"), None);
        assert_eq!(at("/a/2"), None);
        assert_eq!(at("/a/-"), None);
        assert_eq!(at("/a/0/x"), None);
        assert_eq!(at("a"), None);
        assert_eq!(at("/missing"), None);
        let span = pointer_get(&root, "/a/1/b~1c").map(|n| n.span);
        assert_eq!(span.map(|s| (s.start, s.end)), Some((19, 22)));
    }
}
