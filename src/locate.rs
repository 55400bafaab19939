//! Resolves the field locations the service names in its diagnostics
//! (`contained[?(@.resourceType=='Patient')].name[0].family`, or pydantic's
//! `contained -> 1 -> name -> 0 -> family`) to a JSON Pointer into the body,
//! so that each issue can be shown at its line.

use crate::json::{Node, Value};

/// One step of a field location.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// `.name` or `name`
    Key(String),
    /// `[3]`
    Index(usize),
    /// `[*]`: the first element
    Any,
    /// `[?(@.a.b=='v')]`: the first element whose path `a.b` holds the string `v`
    Filter { path: Vec<String>, value: String },
}

/// Where a location was found in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// JSON Pointer (RFC 6901) of the node found.
    pub pointer: String,
    /// Byte offset of that node in the body text.
    pub offset: usize,
    /// Whether the whole location resolved (otherwise the pointer names the
    /// deepest existing ancestor, e.g. the object a mandatory field is missing from).
    pub exact: bool,
}

/// Resolves `location` in `root`. Returns `None` for an empty or unparsable
/// location, or when not even its first step exists in the body.
pub fn locate(root: &Node, location: &str) -> Option<Located> {
    let steps = if location.contains(" -> ") || location == "__root__" {
        parse_pydantic(location)
    } else {
        parse_path(location)?
    };
    if steps.is_empty() {
        return None;
    }
    let mut node = root;
    let mut pointer = String::new();
    let mut resolved = 0;
    for step in &steps {
        match step_into(node, step) {
            Some((next, token)) => {
                pointer.push('/');
                pointer.push_str(&escape_token(&token));
                node = next;
                resolved += 1;
            }
            None => break,
        }
    }
    if resolved == 0 {
        return None;
    }
    Some(Located {
        pointer,
        offset: node.span.start,
        exact: resolved == steps.len(),
    })
}

/// RFC 6901 escaping of one pointer token.
fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn step_into<'a>(node: &'a Node, step: &Step) -> Option<(&'a Node, String)> {
    match (step, &node.value) {
        (Step::Key(key), Value::Object(_)) => node.get(key).map(|n| (n, key.clone())),
        (Step::Index(i), Value::Array(items)) => items.get(*i).map(|n| (n, i.to_string())),
        (Step::Any, Value::Array(items)) => items.first().map(|n| (n, "0".to_string())),
        (Step::Filter { path, value }, Value::Array(items)) => items
            .iter()
            .enumerate()
            .find(|(_, item)| follow(item, path).and_then(Node::as_str) == Some(value.as_str()))
            .map(|(i, n)| (n, i.to_string())),
        _ => None,
    }
}

fn follow<'a>(node: &'a Node, path: &[String]) -> Option<&'a Node> {
    path.iter().try_fold(node, |n, key| n.get(key))
}

/// `a -> 0 -> __root__ -> b`: numbers are indexes, `__root__` names no step.
fn parse_pydantic(location: &str) -> Vec<Step> {
    location
        .split(" -> ")
        .filter(|part| *part != "__root__")
        .map(|part| match part.parse::<usize>() {
            Ok(i) => Step::Index(i),
            Err(_) => Step::Key(part.to_string()),
        })
        .collect()
}

/// `a.b[0].c[?(@.x=='y')].d`; quoted text inside brackets may hold `.` and `]`.
fn parse_path(location: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    let mut name = String::new();
    let mut chars = location.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => push_key(&mut steps, &mut name),
            '[' => {
                push_key(&mut steps, &mut name);
                let mut inner = String::new();
                let mut quote: Option<char> = None;
                loop {
                    let c = chars.next()?;
                    match quote {
                        Some(q) if c == q => quote = None,
                        None if c == '\'' || c == '"' => quote = Some(c),
                        None if c == ']' => break,
                        _ => {}
                    }
                    inner.push(c);
                }
                steps.push(parse_bracket(&inner)?);
            }
            ' ' => break,
            _ => name.push(c),
        }
    }
    push_key(&mut steps, &mut name);
    Some(steps)
}

fn push_key(steps: &mut Vec<Step>, name: &mut String) {
    if !name.is_empty() {
        steps.push(Step::Key(std::mem::take(name)));
    }
}

/// `0`, `*`, `?(@.a.b=='v')` or `?@.a=='v'`.
fn parse_bracket(inner: &str) -> Option<Step> {
    let inner = inner.trim();
    if inner == "*" {
        return Some(Step::Any);
    }
    if let Ok(i) = inner.parse::<usize>() {
        return Some(Step::Index(i));
    }
    let filter = inner.strip_prefix('?')?;
    let filter = filter
        .strip_prefix('(')
        .and_then(|f| f.strip_suffix(')'))
        .unwrap_or(filter);
    let (lhs, rhs) = filter.split_once("==")?;
    let path = lhs
        .trim()
        .strip_prefix("@.")?
        .split('.')
        .map(str::to_string)
        .collect();
    let rhs = rhs.trim();
    let value = rhs
        .strip_prefix('\'')
        .and_then(|r| r.strip_suffix('\''))
        .or_else(|| rhs.strip_prefix('"').and_then(|r| r.strip_suffix('"')))?;
    Some(Step::Filter {
        path,
        value: value.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Span;

    fn s(v: &str) -> Node {
        Node::synthetic(Value::Str(v.into()))
    }
    fn obj(members: Vec<(&str, Node)>) -> Node {
        Node::synthetic(Value::Object(
            members.into_iter().map(|(k, v)| (k.into(), v)).collect(),
        ))
    }
    fn arr(items: Vec<Node>) -> Node {
        Node::synthetic(Value::Array(items))
    }

    fn sample() -> Node {
        let mut family = s("Taylor");
        family.span = Span { start: 42, end: 50 };
        obj(vec![(
            "contained",
            arr(vec![
                obj(vec![("resourceType", s("Practitioner"))]),
                obj(vec![
                    ("resourceType", s("Patient")),
                    ("name", arr(vec![obj(vec![("family", family)])])),
                ]),
            ]),
        )])
    }

    #[test]
    fn resolves_filters_indexes_and_keys() {
        let found = locate(
            &sample(),
            "contained[?(@.resourceType=='Patient')].name[0].family",
        )
        .unwrap();
        assert_eq!(found.pointer, "/contained/1/name/0/family");
        assert_eq!(found.offset, 42);
        assert!(found.exact);
    }

    #[test]
    fn missing_field_points_at_its_parent() {
        let found = locate(
            &sample(),
            "contained[?(@.resourceType=='Patient')].birthDate",
        )
        .unwrap();
        assert_eq!(found.pointer, "/contained/1");
        assert!(!found.exact);
    }

    #[test]
    fn pydantic_locations_skip_root_markers() {
        let found = locate(&sample(), "contained -> 1 -> name -> 0 -> __root__").unwrap();
        assert_eq!(found.pointer, "/contained/1/name/0");
        assert!(found.exact);
    }

    #[test]
    fn quoted_filter_values_may_hold_dots_and_brackets() {
        let steps = parse_path(
            "extension[?(@.url=='https://x.org/a[1]')].valueCodeableConcept.coding[*].code",
        )
        .unwrap();
        assert_eq!(
            steps[1],
            Step::Filter {
                path: vec!["url".into()],
                value: "https://x.org/a[1]".into()
            }
        );
        assert_eq!(steps[4], Step::Any);
    }

    #[test]
    fn unknown_first_step_or_garbage_gives_none() {
        assert_eq!(locate(&sample(), "recorded"), None);
        assert_eq!(locate(&sample(), ""), None);
        assert_eq!(locate(&sample(), "contained[?(@.x"), None);
    }
}
