//! A quick pass over a body for [`super::validate`]: it says whether
//! `Immunization.parse_obj` certainly accepts the body, looking only at the
//! common shape of accepted bodies (every key a field's JSON name among the
//! element names keys share, see [`super::field_map`], no
//! `null`s, objects where models are expected, values their primitive
//! validators accept as they are). Anything else — a value that fails, an
//! odd key, a parse of JSON text, nesting near Python's recursion limit —
//! makes it answer "not sure", and the full validation then runs from the
//! start to find the service's exact errors in pydantic's order.
//!
//! It visits members in the body's order rather than the model's: when
//! every validator passes the order makes no difference, and the first
//! failure ends the pass.

use super::field_map::{FieldMap, Named, WORDS};
use super::model::{escaping_primitive, MODEL_COST, RECURSION_BUDGET, RESOURCE_DISPATCH_COST};
use super::primitives::{check_primitive, str_passes_at_once};
use crate::fhir_model::{type_def, FieldShape, Holds, PreRule, TypeDef};
use crate::json::{Key, Node, Value};

/// Whether `Immunization.parse_obj(imms)` certainly succeeds (`false`: not sure).
pub fn accepts(imms: &Node) -> bool {
    let (Some(td), Some(members)) = (type_def("Immunization"), imms.as_object()) else {
        return false;
    };
    Quick { spent: 0 }.model(td, members)
}

/// The recursion budget spent so far, counted as [`super::model::Validator`] counts it.
struct Quick {
    spent: usize,
}

impl Quick {
    /// `Model.parse_obj(members)` succeeds.
    fn model(&mut self, td: &'static TypeDef, members: &[(Key, Node)]) -> bool {
        self.spent += MODEL_COST;
        let ok = self.spent <= RECURSION_BUDGET && self.fields(td, members);
        self.spent -= MODEL_COST;
        ok
    }

    fn fields(&mut self, td: &'static TypeDef, members: &[(Key, Node)]) -> bool {
        let Some(map) = FieldMap::of(td) else {
            return false;
        };
        let mut given = [0u64; WORDS];
        for (k, v) in members {
            // A key of its own text (not a shared element name) may still be a
            // field's name, or some other key: not sure.
            let Some(named) = map.find(k) else {
                return false;
            };
            match named {
                Named::ResourceType if v.as_str() == Some(td.name) => {}
                Named::ResourceType => return false,
                Named::Field(index, shape, holds) => {
                    let Some(word) = given.get_mut(index / 64) else {
                        return false;
                    };
                    let bit = 1u64 << (index % 64);
                    if *word & bit != 0 || !self.field(shape, holds, v) {
                        return false;
                    }
                    *word |= bit;
                }
            }
        }
        let all_required = map
            .required()
            .iter()
            .zip(&given)
            .all(|(required, given)| required & !given == 0);
        all_required && pre_rules_pass(td, &given)
    }

    /// `ModelField.validate` succeeds on a non-null value.
    #[inline(always)]
    fn field(&mut self, shape: FieldShape, holds: Holds, value: &Node) -> bool {
        if !shape.is_list() {
            return self.single(holds, value);
        }
        match value.as_array() {
            Some(items) => items.iter().all(|item| self.single(holds, item)),
            None => false,
        }
    }

    #[inline(always)]
    fn single(&mut self, holds: Holds, value: &Node) -> bool {
        if matches!(value.value, Value::Null) {
            return false;
        }
        match holds {
            Holds::Primitive(p) => {
                if let Value::Str(text) = &value.value {
                    if let Some(passes) = str_passes_at_once(p, text) {
                        return passes;
                    }
                }
                escaping_primitive(p, value).is_ok() && check_primitive(p, &value.value).is_ok()
            }
            Holds::Model(td) => match value.as_object() {
                Some(members) => self.model(td, members),
                None => false,
            },
            Holds::Resource => {
                self.spent += RESOURCE_DISPATCH_COST;
                let ok = self.resource(value);
                self.spent -= RESOURCE_DISPATCH_COST;
                ok
            }
        }
    }

    /// fhir.resources `ResourceType.validate` succeeds on an object naming its class.
    fn resource(&mut self, value: &Node) -> bool {
        let Some(members) = value.as_object() else {
            return false;
        };
        let class = members
            .iter()
            .find(|(k, _)| k == "resourceType")
            .and_then(|(_, v)| v.as_str())
            .and_then(type_def);
        match class {
            Some(td) => self.model(td, members),
            None => false,
        }
    }
}

/// The class's pre-root validators pass for a model given (all non-null) the
/// fields whose bits are set.
fn pre_rules_pass(td: &TypeDef, given: &[u64; WORDS]) -> bool {
    let has = |index: u16| {
        let index = usize::from(index);
        given
            .get(index / 64)
            .is_some_and(|w| w >> (index % 64) & 1 == 1)
    };
    td.pre_rules().iter().all(|rule| match rule {
        // An element not given may still pass by its companion's extension: not sure.
        PreRule::RequiredPrimitives(pairs) => pairs.iter().all(|&(element, _)| has(element)),
        PreRule::OneOfMany(groups) => groups.iter().all(|group| {
            let count = group.fields.iter().filter(|&&f| has(f)).count();
            count <= 1 && (count == 1 || !group.required)
        }),
        // `FHIRPrimitiveExtension` (an element's `_name` companion), rarely given: not sure.
        PreRule::ExtensionOrComments => false,
    })
}
