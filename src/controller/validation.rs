//! `FhirService._validate_immunization`: validate a deep copy of the body with
//! site and route reduced to their first SNOMED coding, through
//! pre-validation, the FHIR structural parse, vaccine type and
//! post-validation. `ValueError`s and `MandatoryError`s become 400 invariant;
//! any other exception reaches the global handler (500).

use super::answer::Answer;
use crate::json::{Node, Value};
use crate::vaccine_type::DiseaseMapping;
use crate::{postvalidation, prevalidation, structure, vaccine_type};

/// Nesting depth beyond which `copy.deepcopy` of the body raises
/// `RecursionError` inside the service (two Python frames per nested
/// container against the default recursion limit of 1000, less the frames of
/// the Lambda's own call stack).
pub const DEEPCOPY_NESTING_LIMIT: usize = 480;

/// A body that passed validation, and the vaccine type its target diseases map to.
pub struct Validated {
    pub vaccine_type: String,
}

pub fn validate(body: &Node, mapping: &DiseaseMapping, now: i64) -> Result<Validated, Answer> {
    if nesting_depth(body) > DEEPCOPY_NESTING_LIMIT {
        return Err(Answer::server_error());
    }
    let mut copy = body.clone();
    prevalidation::normalise_site_and_route(&mut copy).map_err(|_| Answer::server_error())?;
    let context = prevalidation::Context::at_epoch_seconds(now);
    prevalidation::validate(&copy, &context).map_err(|r| Answer::from_raised(r, body))?;
    structure::validate(&copy).map_err(|r| Answer::from_raised(r, body))?;
    let vaccine_type =
        vaccine_type::vaccine_type(&copy, mapping).map_err(|r| Answer::from_raised(r, body))?;
    postvalidation::validate(&copy, &vaccine_type)
        .map_err(|r| Answer::from_raised(r, body).with_vaccine_type(Some(vaccine_type.clone())))?;
    Ok(Validated { vaccine_type })
}

/// Deepest nesting of arrays and objects (a scalar body has depth 0),
/// measured without recursion.
pub fn nesting_depth(node: &Node) -> usize {
    let mut deepest = 0;
    let mut pending: Vec<(&Node, usize)> = vec![(node, 0)];
    while let Some((node, depth)) = pending.pop() {
        match &node.value {
            Value::Array(items) => {
                deepest = deepest.max(depth + 1);
                pending.extend(items.iter().map(|item| (item, depth + 1)));
            }
            Value::Object(members) => {
                deepest = deepest.max(depth + 1);
                pending.extend(members.iter().map(|(_, member)| (member, depth + 1)));
            }
            _ => {}
        }
    }
    deepest
}
