//! `FhirService._validate_immunization`: validate a deep copy of the body with
//! site and route reduced to their first SNOMED coding, through
//! pre-validation, the FHIR structural parse, vaccine type and
//! post-validation. `ValueError`s and `MandatoryError`s become 400 invariant;
//! any other exception reaches the global handler (500).

use super::answer::Answer;
use crate::json::{Node, Value};
use crate::prevalidation::lookups::Field;
use crate::vaccine_type::DiseaseMapping;
use crate::{postvalidation, prevalidation, structure, vaccine_type};

/// Python frames `copy.deepcopy` of the body may use before it raises
/// `RecursionError` inside the service: the default recursion limit of 1000
/// less the frames already on the stack when the service validates (measured
/// against the service's code: a path of 495 values copies, 496 do not).
pub const DEEPCOPY_FRAME_LIMIT: usize = 990;

/// A body that passed validation, and the vaccine type its target diseases map to.
pub struct Validated {
    pub vaccine_type: String,
}

/// Validates `body` as the service does. `nesting` is at least how deeply
/// arrays and objects nest in it (as [`crate::json::loads_with_nesting`]
/// measures it): a body that nests no deeper than half the deep copy's frame
/// limit cannot reach it, and only a deeper one is measured again.
pub fn validate(
    body: &Node,
    nesting: usize,
    mapping: &DiseaseMapping,
    now: i64,
) -> Result<Validated, Answer> {
    if deepcopy_frames_at_most(nesting) > DEEPCOPY_FRAME_LIMIT
        && deepcopy_frames(body) > DEEPCOPY_FRAME_LIMIT
    {
        return Err(Answer::server_error());
    }
    // The service validates a deep copy with site and route normalised; the copy is
    // only made when normalising changes something (the checks only read it).
    // The stages read the same body; what one looks up, the next finds again.
    let body_lookups = prevalidation::Lookups::new(body);
    let normalised;
    let normalised_lookups;
    let (copy, lookups) = if changed_by_normalising(&body_lookups) {
        let mut copy = body.clone();
        prevalidation::normalise_site_and_route(&mut copy).map_err(|_| Answer::server_error())?;
        normalised = copy;
        normalised_lookups = prevalidation::Lookups::new(&normalised);
        (&normalised, &normalised_lookups)
    } else {
        if !body.is_object() {
            return Err(Answer::server_error()); // `immunization.get` on a non-dict
        }
        (body, &body_lookups)
    };
    let context = prevalidation::Context::at_epoch_seconds(now);
    prevalidation::validate_with(lookups, &context).map_err(|r| Answer::from_raised(r, body))?;
    structure::validate(copy).map_err(|r| Answer::from_raised(r, body))?;
    let vaccine_type = vaccine_type::vaccine_type_with(lookups, mapping)
        .map_err(|r| Answer::from_raised(r, body))?;
    postvalidation::validate_with(lookups, &vaccine_type)
        .map_err(|r| Answer::from_raised(r, body).with_vaccine_type(Some(vaccine_type.clone())))?;
    Ok(Validated { vaccine_type })
}

/// Whether [`prevalidation::normalise_site_and_route`] would drop a coding: `site` or
/// `route` has a `coding` list with more than one SNOMED coding.
fn changed_by_normalising(body: &prevalidation::Lookups<'_>) -> bool {
    [Field::Site, Field::Route].into_iter().any(|field| {
        body.lookup(field)
            .ok()
            .flatten()
            .and_then(|f| f.node())
            .and_then(|f| f.get("coding"))
            .and_then(Node::as_array)
            .is_some_and(|codings| {
                codings
                    .iter()
                    .filter(|c| {
                        c.get("system").and_then(Node::as_str)
                            == Some(prevalidation::constants::SNOMED)
                    })
                    .nth(1)
                    .is_some()
            })
    })
}

/// The most frames [`deepcopy_frames`] can count on a value whose arrays and
/// objects nest `nesting` deep: two for each container on the path and two for
/// the value at its end.
pub fn deepcopy_frames_at_most(nesting: usize) -> usize {
    nesting.saturating_add(1).saturating_mul(2)
}

/// The deepest recursion `copy.deepcopy` reaches on `node`, in Python frames:
/// two for every container on the path and for a scalar at its end (`deepcopy`
/// and the type's copier), one for a `Decimal` (its copier is native code).
/// Measured without recursion: only containers wait their turn, a scalar is
/// measured where it is met.
pub fn deepcopy_frames(node: &Node) -> usize {
    /// How much deeper than its container a scalar's copy goes.
    fn scalar_frames(node: &Node) -> usize {
        match node.value {
            Value::Decimal(_) => 1,
            _ => 2,
        }
    }
    let mut deepest = scalar_frames(node);
    let mut pending: Vec<(&Node, usize)> = Vec::with_capacity(32);
    pending.push((node, 2));
    while let Some((container, here)) = pending.pop() {
        // The container's own frames, then its deepest scalar's.
        let mut below = 0;
        match &container.value {
            Value::Array(items) => {
                for item in items {
                    match item.value {
                        Value::Array(_) | Value::Object(_) => pending.push((item, here + 2)),
                        _ => below = below.max(scalar_frames(item)),
                    }
                }
            }
            Value::Object(members) => {
                for (_, member) in members {
                    match member.value {
                        Value::Array(_) | Value::Object(_) => pending.push((member, here + 2)),
                        _ => below = below.max(scalar_frames(member)),
                    }
                }
            }
            _ => continue,
        }
        deepest = deepest.max(here + below);
    }
    deepest
}

/// The deepest nesting of objects (the body itself counts one), measured
/// without recursion.
#[cfg(test)]
pub fn object_depth(node: &Node) -> usize {
    let mut deepest = 0;
    let mut pending: Vec<(&Node, usize)> = vec![(node, 0)];
    while let Some((node, above)) = pending.pop() {
        match &node.value {
            Value::Array(items) => pending.extend(items.iter().map(|item| (item, above))),
            Value::Object(members) => {
                deepest = deepest.max(above + 1);
                pending.extend(members.iter().map(|(_, member)| (member, above + 1)));
            }
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::loads;

    fn nested_arrays(depth: usize) -> String {
        format!("{{\"x\": {}{}}}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn deepcopy_frames_count_containers_and_leaves() {
        assert_eq!(deepcopy_frames(&loads("{}").unwrap()), 2);
        assert_eq!(deepcopy_frames(&loads("{\"a\": [1]}").unwrap()), 6);
        assert_eq!(deepcopy_frames(&loads("{\"a\": [1.5]}").unwrap()), 5);
        // The service copies a path of 495 values and fails on 496.
        assert_eq!(deepcopy_frames(&loads(&nested_arrays(494)).unwrap()), 990);
        assert_eq!(deepcopy_frames(&loads(&nested_arrays(495)).unwrap()), 992);
    }

    /// The walk measures what visiting every value with its own depth measures.
    #[test]
    fn deepcopy_frames_is_the_deepest_value() {
        fn every_value(node: &Node, above: usize) -> usize {
            let here = above
                + match node.value {
                    Value::Decimal(_) => 1,
                    _ => 2,
                };
            let children = match &node.value {
                Value::Array(items) => items.iter().map(|i| every_value(i, here)).max(),
                Value::Object(members) => members.iter().map(|(_, m)| every_value(m, here)).max(),
                _ => None,
            };
            children.unwrap_or(0).max(here)
        }
        for text in [
            "1",
            "1.5",
            "[]",
            "{}",
            r#"{"a": [1, [2.5, {"b": [[[]]]}], {"c": 1.0}], "d": {"e": {"f": [0.1]}}}"#,
            r#"[[[[1.5]]], [[[[{}]]]], 3]"#,
            r#"{"a": {"b": {"c": {"d": 1}}}, "e": [[[[[[2]]]]]]}"#,
        ] {
            let node = loads(text).unwrap();
            assert_eq!(deepcopy_frames(&node), every_value(&node, 0), "{text}");
        }
        let deep = loads(&nested_arrays(300)).unwrap();
        assert_eq!(deepcopy_frames(&deep), every_value(&deep, 0));
    }

    /// The bound from the parser's nesting is never below the walk's count, and
    /// is reached by a container or scalar at the deepest nesting.
    #[test]
    fn nesting_bounds_deepcopy_frames() {
        let texts = [
            "1".to_string(),
            "1.5".to_string(),
            "\"x\"".to_string(),
            "[]".to_string(),
            "{}".to_string(),
            "[[], {}]".to_string(),
            "[1.5]".to_string(),
            r#"{"a": [1, [2.5, {"b": [[[]]]}], {"c": 1.0}], "d": {"e": {"f": [0.1]}}}"#.to_string(),
            r#"[[[[1.5]]], [[[[{}]]]], 3]"#.to_string(),
            r#"{"a": {"b": {"c": {"d": 1}}}, "e": [[[[[[2]]]]]]}"#.to_string(),
            nested_arrays(493),
            nested_arrays(494),
            nested_arrays(495),
            format!("{}1.5{}", "[".repeat(494), "]".repeat(494)),
            format!("{}{{}}{}", "[".repeat(494), "]".repeat(494)),
        ];
        for text in &texts {
            let (node, nesting) = crate::json::loads_with_nesting(text).unwrap();
            let frames = deepcopy_frames(&node);
            let bound = deepcopy_frames_at_most(nesting);
            assert!(frames <= bound, "{text:.60}: {frames} > {bound}");
            assert!(
                frames + 1 >= bound,
                "{text:.60}: {frames} far below {bound}"
            );
        }
        assert_eq!(deepcopy_frames_at_most(usize::MAX), usize::MAX);
    }

    #[test]
    fn normalising_changes_bodies_with_two_snomed_codings() {
        let snomed = prevalidation::constants::SNOMED;
        let two = format!(r#"{{"coding": [{{"system": "{snomed}"}}, {{"system": "{snomed}"}}]}}"#);
        let one = format!(r#"{{"coding": [{{"system": "{snomed}"}}, {{"system": "x"}}]}}"#);
        let cases = [
            (format!(r#"{{"site": {two}}}"#), true),
            (format!(r#"{{"route": {two}}}"#), true),
            (format!(r#"{{"site": {one}, "route": {one}}}"#), false),
            // As in Python's dict, the last of equal keys is the one kept.
            (format!(r#"{{"site": {one}, "site": {two}}}"#), true),
            (format!(r#"{{"site": {two}, "site": {one}}}"#), false),
            (format!(r#"{{"x": {two}}}"#), false),
            (r#"{"site": [1], "route": null}"#.to_string(), false),
            (format!("[{two}]"), false),
            ("\"site\"".to_string(), false),
        ];
        for (text, changed) in cases {
            let node = loads(&text).unwrap();
            let lookups = prevalidation::Lookups::new(&node);
            assert_eq!(changed_by_normalising(&lookups), changed, "{text}");
        }
    }

    #[test]
    fn object_depth_ignores_arrays() {
        assert_eq!(object_depth(&loads("[1]").unwrap()), 0);
        assert_eq!(object_depth(&loads("{\"a\": [[{\"b\": {}}]]}").unwrap()), 3);
    }
}
