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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::loads;

    fn body_with_location_depth(pairs: usize) -> Node {
        let mut r = String::from("{\"display\": \"x\"}");
        for _ in 0..pairs {
            r = format!("{{\"identifier\": {{\"assigner\": {r}}}}}");
        }
        let text = format!(
            "{{\"resourceType\": \"Immunization\", \"status\": \"completed\", \"vaccineCode\": {{\"text\": \"v\"}}, \"patient\": {{\"reference\": \"#p\"}}, \"occurrenceDateTime\": \"2021-02-07T13:28:17+00:00\", \"location\": {r}}}"
        );
        loads(&text).expect("json")
    }

    #[test]
    fn nesting_beyond_pythons_recursion_limit_is_unhandled() {
        assert!(validate(&body_with_location_depth(122)).is_ok());
        assert_eq!(
            validate(&body_with_location_depth(123)),
            Err(Raised::Unhandled {
                python: "RecursionError: maximum recursion depth exceeded".into()
            })
        );
    }

    #[test]
    fn texts_are_pydantics() {
        let imms = loads(
            "{\"resourceType\": \"Immunization\", \"vaccineCode\": {\"coding\": [{\"code\": \"\"}]}, \"patient\": {\"a\": 1}, \"occurrenceDateTime\": \"2021\", \"status\": \"completed\", \"primarySource\": \"maybe\"}",
        )
        .expect("json");
        let Err(Raised::Invalid {
            diagnostics,
            errors,
        }) = validate(&imms)
        else {
            panic!("expected a validation error");
        };
        assert_eq!(
            diagnostics,
            "3 validation errors for Immunization\npatient -> a\n  extra fields not permitted (type=value_error.extra)\nprimarySource\n  value could not be parsed to a boolean (type=type_error.bool)\nvaccineCode -> coding -> 0 -> code\n  string does not match regex \"^[^\\s]+(\\s[^\\s]+)*$\" (type=value_error.str.regex; pattern=^[^\\s]+(\\s[^\\s]+)*$)"
        );
        assert_eq!(errors.len(), 3);
        assert_eq!(errors[0].location, "patient -> a");
    }

    #[test]
    fn validated_values_serialise_like_fhir_resources() {
        let imms = loads(
            "{\"resourceType\": \"Immunization\", \"status\": \"completed\", \"vaccineCode\": {\"coding\": [{\"code\": 5}]}, \"patient\": {\"reference\": \"#p\"}, \"occurrenceDateTime\": \"2021-02-07T13:28:17.271Z\", \"lotNumber\": 1.50, \"primarySource\": \"yes\", \"protocolApplied\": [{\"doseNumberPositiveInt\": \"2\"}], \"doseQuantity\": {\"value\": \"0.50\"}}",
        )
        .expect("json");
        let model = parse(&imms).expect("valid");
        let dict = model.to_dict();
        let keys: Vec<&str> = dict
            .as_object()
            .map(|m| m.iter().map(|(k, _)| k.as_str()).collect())
            .unwrap_or_default();
        assert_eq!(
            keys,
            [
                "resourceType",
                "status",
                "vaccineCode",
                "patient",
                "occurrenceDateTime",
                "primarySource",
                "lotNumber",
                "doseQuantity",
                "protocolApplied"
            ]
        );
        assert_eq!(
            model.get("occurrenceDateTime"),
            Some(&PyVal::DateTime("2021-02-07T13:28:17.271000+00:00".into()))
        );
        assert_eq!(model.get("lotNumber"), Some(&PyVal::Str("1.50".into())));
        assert_eq!(model.get("primarySource"), Some(&PyVal::Bool(true)));
        assert_eq!(
            dict.get("protocolApplied")
                .and_then(|p| p.as_array())
                .and_then(|a| a.first())
                .and_then(|p| p.get("doseNumberPositiveInt"))
                .map(|n| n.value.clone()),
            Some(crate::json::Value::Int("2".into()))
        );
        assert_eq!(
            dict.get("doseQuantity")
                .and_then(|q| q.get("value"))
                .map(|n| n.value.clone()),
            Some(crate::json::Value::Decimal("0.50".into()))
        );
    }
}
