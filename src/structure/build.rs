//! What a validation run produces besides its errors: the validated model
//! pydantic builds ([`Building`], for [`parse`](super::parse)), or nothing at
//! all ([`Checking`], for [`validate`](super::validate), which only needs to
//! know whether and how the service's `parse_obj` fails).

use super::errors::PyError;
use super::primitives::{check_primitive, validate_primitive};
use super::value::{Model, PyVal};
use crate::fhir_model::{Primitive, TypeDef};
use crate::json::Value;

/// The values a validation run builds. Both kinds run the same validators in
/// the same order, so they raise the same errors and exceptions.
pub trait Build {
    /// A validated field value.
    type Val;
    /// A validated model instance.
    type Obj;
    /// A list value being filled.
    type List;

    fn new_obj(td: &'static TypeDef) -> Self::Obj;
    /// Stores the value of field `index`.
    fn set_field(obj: &mut Self::Obj, index: usize, value: Self::Val);
    /// Stores the validated `fhir_comments`.
    fn set_comments(obj: &mut Self::Obj, value: PyVal);
    /// A model instance as a field value.
    fn model_value(obj: Self::Obj) -> Self::Val;
    /// Python `None`.
    fn none() -> Self::Val;
    fn new_list(capacity: usize) -> Self::List;
    fn push(list: &mut Self::List, value: Self::Val);
    fn list_value(list: Self::List) -> Self::Val;
    /// A primitive type's validator on one non-null value.
    fn primitive(p: Primitive, v: &Value) -> Result<Self::Val, PyError>;
}

/// Builds the model pydantic stores.
pub enum Building {}

/// Builds nothing: only the outcome counts.
pub enum Checking {}

impl Build for Building {
    type Val = PyVal;
    type Obj = Model;
    type List = Vec<PyVal>;

    fn new_obj(td: &'static TypeDef) -> Model {
        Model {
            type_def: td,
            values: Vec::new(),
            fhir_comments: None,
        }
    }

    fn set_field(obj: &mut Model, index: usize, value: PyVal) {
        obj.values.push((index, value));
    }

    fn set_comments(obj: &mut Model, value: PyVal) {
        obj.fhir_comments = Some(value);
    }

    fn model_value(obj: Model) -> PyVal {
        PyVal::Model(Box::new(obj))
    }

    fn none() -> PyVal {
        PyVal::None
    }

    fn new_list(capacity: usize) -> Vec<PyVal> {
        Vec::with_capacity(capacity)
    }

    fn push(list: &mut Vec<PyVal>, value: PyVal) {
        list.push(value);
    }

    fn list_value(list: Vec<PyVal>) -> PyVal {
        PyVal::List(list)
    }

    fn primitive(p: Primitive, v: &Value) -> Result<PyVal, PyError> {
        validate_primitive(p, v)
    }
}

impl Build for Checking {
    type Val = ();
    type Obj = ();
    type List = ();

    fn new_obj(_: &'static TypeDef) {}

    fn set_field(_: &mut (), _: usize, _: ()) {}

    fn set_comments(_: &mut (), _: PyVal) {}

    fn model_value(_: ()) {}

    fn none() {}

    fn new_list(_: usize) {}

    fn push(_: &mut (), _: ()) {}

    fn list_value(_: ()) {}

    fn primitive(p: Primitive, v: &Value) -> Result<(), PyError> {
        check_primitive(p, v)
    }
}
