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

mod build;
mod datetime;
mod errors;
mod field_map;
mod given;
mod model;
mod primitives;
mod pytext;
mod quick;
mod value;

pub use errors::{render, Loc, PyError};
pub use model::Abort;
pub use value::{Model, PyVal};

use crate::fhir_model::type_def;
use crate::json::Node;
use crate::raised::{FieldError, Raised};
use build::{Build, Building, Checking};
use model::Validator;

/// `Immunization.parse_obj(imms)`: the validated model, or what the service raises.
pub fn parse(imms: &Node) -> Result<Model, Raised> {
    run(imms, Validator::<Building>::new())
}

/// `Immunization.parse_obj(imms)` as a validation stage: what the service
/// raises, if anything (the model itself is not built).
pub fn validate(imms: &Node) -> Result<(), Raised> {
    if quick::accepts(imms) {
        // The quick pass may only answer for bodies the model accepts; debug builds
        // (tests, fuzzing) hold it to that on every body they check.
        debug_assert!(
            run(imms, Validator::<Checking>::new()).is_ok(),
            "the quick pass accepted a body parse_obj refuses"
        );
        return Ok(());
    }
    run(imms, Validator::<Checking>::new())
}

fn run<B: Build>(imms: &Node, mut v: Validator<B>) -> Result<B::Obj, Raised> {
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
    match v.parse_obj(td, members) {
        Ok(Ok(model)) => Ok(model),
        Ok(Err(errors)) => Err(invalid(errors)),
        Err(Abort::Recursion) => Err(unhandled(
            "RecursionError: maximum recursion depth exceeded",
        )),
        Err(Abort::Unhandled(python)) => Err(unhandled(&python)),
    }
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

/// [`validate`] builds no model: it must answer exactly as [`parse`] does.
#[cfg(test)]
mod checking_tests {
    use super::*;
    use crate::json::{loads, Value};

    const CORPUS: &str = include_str!("../../tests/conformance/public.jsonl");

    fn bodies() -> Vec<Node> {
        CORPUS
            .lines()
            .filter_map(|line| loads(line).ok())
            .filter_map(|scenario| {
                let body = scenario.get("request")?.get("body")?.as_str()?.to_string();
                loads(&body).ok()
            })
            .collect()
    }

    fn same_answer(body: &Node) {
        let parsed = parse(body).map(|_| ());
        assert_eq!(validate(body), parsed);
        // The quick pass is sure only of bodies the model accepts.
        if quick::accepts(body) {
            assert_eq!(parsed, Ok(()));
        }
    }

    /// Values that take validators off their common paths.
    fn odd_values() -> Vec<Value> {
        let s = |t: &str| Value::Str(t.into());
        vec![
            s(""),
            s(" "),
            s("a  b"),
            s("x\n"),
            s("２０２１-０２-０７"),
            s("٢٠٢١-02-07T13:28:17+00:00"),
            s("2021-02-07T13:28:17.1234567+00:00"),
            s("2021-02-30"),
            s("2021-13"),
            s("20210207"),
            s(" 1_000.5e3 "),
            s("1__0"),
            s("-inf"),
            s("NaN"),
            s("13:28:17"),
            loads("\"\\ud800x\"")
                .map(|n| n.value)
                .unwrap_or(Value::Null),
            s("\u{3000}x"),
            s("urn:oid:1.2.3"),
            s("{\"extension\": [{\"url\": \"u\"}]}"),
            s("[[\"url\", \"u\"]]"),
            s(&"x".repeat(5000)),
            Value::Int("0".into()),
            Value::Int("-7".into()),
            Value::Int("1700000000000".into()),
            Value::Decimal("1.50".into()),
            Value::Decimal("-2e3".into()),
            Value::Bool(true),
            Value::Null,
            Value::Array(vec![]),
            Value::Array(vec![Node::synthetic(Value::Null)]),
            Value::Object(vec![]),
        ]
    }

    /// Replaces the `target`-th value (depth first) with `with`; counts values.
    fn replace_nth(node: &mut Node, target: usize, seen: &mut usize, with: &Value) {
        if *seen == target {
            node.value = with.clone();
        }
        *seen += 1;
        match &mut node.value {
            Value::Array(items) => items
                .iter_mut()
                .for_each(|i| replace_nth(i, target, seen, with)),
            Value::Object(members) => members
                .iter_mut()
                .for_each(|(_, v)| replace_nth(v, target, seen, with)),
            _ => {}
        }
    }

    #[test]
    fn checking_agrees_with_building_on_the_corpus() {
        let bodies = bodies();
        assert!(bodies.len() > 500);
        bodies.iter().for_each(same_answer);
    }

    /// Most bodies the model accepts take the quick pass alone.
    #[test]
    fn quick_pass_is_sure_of_most_accepted_bodies() {
        let accepted: Vec<Node> = bodies().into_iter().filter(|b| parse(b).is_ok()).collect();
        let quick = accepted.iter().filter(|b| quick::accepts(b)).count();
        assert!(accepted.len() > 300, "{}", accepted.len());
        assert!(
            quick * 10 > accepted.len() * 9,
            "{quick} of {}",
            accepted.len()
        );
    }

    #[test]
    fn checking_agrees_with_building_on_odd_values() {
        let odd = odd_values();
        for body in bodies().iter().step_by(40) {
            let mut count = 0;
            replace_nth(&mut body.clone(), usize::MAX, &mut count, &Value::Null);
            // Every value of the ordinary bodies (the work grows with the square of the size).
            if count > 120 {
                continue;
            }
            for target in 1..count {
                for with in &odd {
                    let mut mutated = body.clone();
                    replace_nth(&mut mutated, target, &mut 0, with);
                    same_answer(&mutated);
                }
            }
        }
    }

    #[test]
    fn checking_agrees_with_building_on_odd_keys() {
        let keys = [
            "status__ext",
            "_status",
            "fhir_comments",
            "resource_type",
            "zzz",
            "aaa",
            "occurrenceString",
            "class_fhir",
            "extension",
        ];
        for body in bodies().iter().step_by(25) {
            for key in keys {
                for with in [
                    Value::Str("x".into()),
                    Value::Null,
                    Value::Object(vec![]),
                    Value::Array(vec![Node::synthetic(Value::Str("c".into()))]),
                ] {
                    let mut mutated = body.clone();
                    if let Value::Object(members) = &mut mutated.value {
                        members.push((crate::json::Key::new(key), Node::synthetic(with.clone())));
                    }
                    same_answer(&mutated);
                }
            }
        }
    }
}
