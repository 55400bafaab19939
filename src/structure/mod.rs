//! Structural validation as fhir.resources 7.0.2 (FHIR R4B, pydantic 1.10)
//! performs it: the service's `Immunization.parse_obj(immunization)`.
//!
//! [`validate`] gives the service's answer when the model rejects the body:
//! `str(ValidationError)` — `"<N> validation error(s) for Immunization"`, then
//! for each error its location (`protocolApplied -> 0 -> __root__`) and
//! `"  <message> (type=<type>[; <ctx>])"` — in pydantic's order: a failing
//! pre-root validator alone; otherwise fields in the model's field order, list
//! items in order, then unexpected keys sorted.
//!
//! [`parse`] also gives the validated model ([`Model`]): the Python values
//! pydantic built (numbers given to text fields become text, dateTimes become
//! datetimes...), and [`Model::to_dict`] the tree the service's `.json()`
//! writes, in fhir.resources' element order.
//!
//! Nesting is bounded: a body whose models nest deeper than Python's recursion
//! limit allows at the service's call depth ends as the service's
//! `RecursionError` (an unhandled exception: its 500 answer).

mod datetime;
mod errors;
mod model;
mod primitives;
mod pytext;
mod value;

pub use errors::{render, Loc, PyError};
pub use model::Abort;
pub use value::{Model, PyVal};

use crate::fhir_model::type_def;
use crate::json::Node;
use crate::raised::{FieldError, Raised};
use model::Validator;

/// `Immunization.parse_obj(imms)`: the validated model, or what the service raises.
pub fn parse(imms: &Node) -> Result<Model, Raised> {
    let td = match type_def("Immunization") {
        Some(td) => td,
        None => return Err(unhandled("KeyError: 'Immunization'")),
    };
    let Some(members) = imms.as_object() else {
        let e = PyError::type_error(format!(
            "Immunization expected dict not {}",
            imms.py_type_name()
        ))
        .at(vec![Loc::root()]);
        return Err(invalid(vec![e]));
    };
    if members.iter().any(|(k, _)| k == "__pydantic_self__") {
        return Err(unhandled(
            "TypeError: FHIRAbstractModel.__init__() got multiple values for argument '__pydantic_self__'",
        ));
    }
    let mut v = Validator::new();
    match v.parse_obj(td, members) {
        Ok(Ok(model)) => Ok(model),
        Ok(Err(errors)) => Err(invalid(errors)),
        Err(Abort::Recursion) => Err(unhandled(
            "RecursionError: maximum recursion depth exceeded",
        )),
        Err(Abort::Unhandled(python)) => Err(unhandled(&python)),
    }
}

/// `Immunization.parse_obj(imms)` as a validation stage.
pub fn validate(imms: &Node) -> Result<(), Raised> {
    parse(imms).map(|_| ())
}

fn unhandled(python: &str) -> Raised {
    Raised::Unhandled {
        python: python.to_string(),
    }
}

fn invalid(errors: Vec<PyError>) -> Raised {
    let diagnostics = render("Immunization", &errors);
    Raised::Invalid {
        diagnostics,
        errors: errors
            .iter()
            .map(|e| FieldError::new(e.detail_text(), e.loc_text()))
            .collect(),
    }
}
