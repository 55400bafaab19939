//! The service's normalisation before validation (upstream
//! `FhirService._normalize_single_snomed_codeable_concepts`): in `site` and
//! `route`, only the first SNOMED coding is kept.

use super::constants::SNOMED;
use crate::json::{Node, Value};
use crate::python::{PyException, PyResult};

const SINGLE_SNOMED_FIELDS: [&str; 2] = ["site", "route"];

/// Drops every SNOMED coding after the first from `site.coding` and `route.coding`
/// (other codings, and non-object entries, are kept in place). Raises the
/// `AttributeError` upstream's `immunization.get` raises when the body is not an object.
pub fn normalise_site_and_route(imms: &mut Node) -> PyResult<()> {
    if !imms.is_object() {
        return Err(PyException::no_attribute(imms.py_type_name(), "get"));
    }
    for field in SINGLE_SNOMED_FIELDS {
        let Some(coding) = imms.get_mut(field).and_then(|f| f.get_mut("coding")) else {
            continue;
        };
        if let Value::Array(entries) = &mut coding.value {
            let mut snomed_seen = false;
            entries.retain(|entry| {
                let is_snomed = entry
                    .get("system")
                    .and_then(Node::as_str)
                    .is_some_and(|s| s == SNOMED);
                if is_snomed && snomed_seen {
                    return false;
                }
                snomed_seen |= is_snomed;
                true
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Node {
        Node::synthetic(Value::Str(text.into()))
    }
    fn obj(members: Vec<(&str, Node)>) -> Node {
        Node::synthetic(Value::Object(
            members.into_iter().map(|(k, v)| (k.into(), v)).collect(),
        ))
    }
    fn list(items: Vec<Node>) -> Node {
        Node::synthetic(Value::Array(items))
    }

    #[test]
    fn keeps_only_first_snomed_coding() {
        let coding = |code: &str, system: &str| obj(vec![("system", s(system)), ("code", s(code))]);
        let mut imms = obj(vec![(
            "site",
            obj(vec![(
                "coding",
                list(vec![
                    coding("1", "other"),
                    coding("2", SNOMED),
                    s("x"),
                    coding("3", SNOMED),
                ]),
            )]),
        )]);
        normalise_site_and_route(&mut imms).unwrap();
        let kept = imms
            .get("site")
            .unwrap()
            .get("coding")
            .unwrap()
            .as_array()
            .unwrap();
        assert_eq!(kept.len(), 3);
        assert_eq!(kept[2].as_str(), Some("x"));
        let mut not_object = list(vec![]);
        assert_eq!(
            normalise_site_and_route(&mut not_object)
                .unwrap_err()
                .message,
            "'list' object has no attribute 'get'"
        );
    }
}
