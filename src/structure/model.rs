//! pydantic v1 model validation as fhir.resources 7.0.2 drives it:
//! `FHIRAbstractModel.__init__` (the `resourceType` check), `validate_model`
//! (pre-root validators, fields in order, extra keys), list and single
//! fields, and the fhir.resources type validators for complex values
//! (`fhir_model_validator`) and `contained` resources (`ResourceType.validate`).

use super::build::{Build, Building};
use super::errors::{Loc, PyError};
use super::given::{Given, GivenStack};
use super::primitives::str_validator;
use super::pytext::{py_len, repr_str};
use super::value::PyVal;
use crate::fhir_model::{type_def, FieldShape, Holds, PreRule, Primitive, TypeDef};
use crate::json::{key_eq, loads, Key, LoadError, Node, Value};
use std::marker::PhantomData;

/// Python's recursion budget left when the service calls `Immunization.parse_obj`
/// (limit 1000, less the frames already on the stack), counted in the units
/// below with the `Immunization` model itself included. Measured on the
/// service: models nested 245 deep below `Immunization` validate, 247 deep
/// raise `RecursionError`.
pub(super) const RECURSION_BUDGET: usize = 986;
/// Budget spent per nested model (type validator, `fhir_model_validator`,
/// `__init__` and the compiled pydantic calls between them).
pub(super) const MODEL_COST: usize = 4;
/// Extra budget spent dispatching a `contained` item on its `resourceType`.
pub(super) const RESOURCE_DISPATCH_COST: usize = 3;
/// Extra budget spent parsing a JSON text given where an object is expected.
const PARSE_RAW_COST: usize = 2;

/// An exception pydantic does not turn into a validation error: it escapes
/// `parse_obj` and the service answers 500.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Abort {
    Recursion,
    /// `str` of the Python exception, e.g. `AttributeError: 'list' object has no attribute 'get'`.
    Unhandled(String),
}

pub type Out<T> = Result<T, Abort>;
/// A validator's outcome: the value, or pydantic errors located relative to it.
pub type Checked<T> = Result<T, Vec<PyError>>;

/// Validates models, building what `B` builds: the validated values
/// ([`Building`]) or nothing ([`Checking`](super::build::Checking)).
pub struct Validator<B: Build> {
    spent: usize,
    /// Inside values decoded from a JSON text by fhir.resources' `parse_raw`
    /// (simplejson): numbers with a fraction are Python `float`s there.
    raw_depth: usize,
    /// For the models being validated: the fields each is given by JSON name.
    given: GivenStack,
    build: PhantomData<B>,
}

/// JSON text decoded the way simplejson's `loads` does for `parse_raw`:
/// fractional numbers become floats (kept here as their `repr`), and `NaN` /
/// `Infinity` are refused (a decoding error).
fn loads_as_floats(text: &str) -> Result<Node, LoadError> {
    let mut root = loads(text)?;
    let mut stack: Vec<&mut Node> = vec![&mut root];
    let mut refused = false;
    while let Some(node) = stack.pop() {
        match &mut node.value {
            Value::Decimal(t) => {
                let f = super::pytext::Dec::from_literal(t)
                    .map(|d| d.to_f64())
                    .unwrap_or(f64::NAN);
                *t = super::pytext::py_float_repr(f).into();
            }
            Value::Float(_) => refused = true,
            Value::Array(items) => stack.extend(items.iter_mut()),
            Value::Object(members) => stack.extend(members.iter_mut().map(|(_, v)| v)),
            _ => {}
        }
    }
    if refused {
        return Err(LoadError::Decode(crate::json::DecodeError::at(
            text,
            "Expecting value",
            0,
        )));
    }
    Ok(root)
}

/// `FHIRAbstractModel.__init__` on a `resourceType` that is not the class's.
fn wrong_resource_type(td: &TypeDef, rt: &Node) -> PyError {
    let error = format!(
        "``{}`` expects resource type ``{}``, but got ``{}``. Make sure resource type name is correct and right ModelClass has been chosen.",
        td.qualified_name(),
        td.name,
        super::pytext::py_str(rt)
    );
    PyError::new(
        format!("Wrong ResourceType: {error}"),
        "value_error.wrong.resource_type",
    )
    .with_ctx("error", error)
    .at(vec![Loc::key("resource_type")])
}

/// Keys `FHIRAbstractModel.__init__` takes out before `validate_model`.
fn is_data_key(k: &str) -> bool {
    k != "resourceType" && k != "resource_type"
}

fn is_null(node: &Node) -> bool {
    matches!(node.value, Value::Null)
}

impl<B: Build> Validator<B> {
    pub fn new() -> Self {
        Validator {
            spent: 0,
            raw_depth: 0,
            given: GivenStack::new(),
            build: PhantomData,
        }
    }

    fn enter(&mut self, cost: usize) -> Out<()> {
        self.spent += cost;
        if self.spent > RECURSION_BUDGET {
            return Err(Abort::Recursion);
        }
        Ok(())
    }

    fn leave(&mut self, cost: usize) {
        self.spent = self.spent.saturating_sub(cost);
    }

    /// Python `type(v).__name__`, `float` for fractional numbers decoded by `parse_raw`.
    fn type_name(&self, v: &Node) -> &'static str {
        match v.value {
            Value::Decimal(_) if self.raw_depth > 0 => "float",
            _ => v.py_type_name(),
        }
    }

    /// `Model.parse_obj(obj)` for a JSON object: `cls(**obj)`.
    pub fn parse_obj(
        &mut self,
        td: &'static TypeDef,
        members: &[(Key, Node)],
    ) -> Out<Checked<B::Obj>> {
        self.enter(MODEL_COST)?;
        let r = self.init(td, members);
        self.leave(MODEL_COST);
        r
    }

    /// `FHIRAbstractModel.__init__` then `validate_model`.
    #[inline(always)]
    fn init(&mut self, td: &'static TypeDef, members: &[(Key, Node)]) -> Out<Checked<B::Obj>> {
        let names = td.field_names();
        let mut given = self.given.push(td.fields.len());
        let mut resource_type: Option<&Node> = None;
        // `resource_type` counts only when no `resourceType` is given.
        let mut resource_type_by_py_name: Option<&Node> = None;
        let mut comments: Option<&Node> = None;
        // Keys that are no field's JSON name: Python names, or extra keys.
        let mut unmatched = false;
        for (j, (k, v)) in members.iter().enumerate() {
            match names.and_then(|n| n.find(k)) {
                Some(i) => self.given.record(&mut given, i, j),
                // Compared by words: a `match` on the texts is a `memcmp`
                // call, a byte loop in Wasm.
                None if key_eq(k, "resourceType") => resource_type = Some(v),
                None if key_eq(k, "resource_type") => resource_type_by_py_name = Some(v),
                None if key_eq(k, "fhir_comments") => comments = comments.or(Some(v)),
                None => unmatched = true,
            }
        }
        let r = match resource_type
            .or(resource_type_by_py_name)
            .filter(|n| !is_null(n))
        {
            Some(rt) if rt.as_str() != Some(td.name) => Ok(Err(vec![wrong_resource_type(td, rt)])),
            _ => self.validate_model(td, members, given, comments, unmatched),
        };
        self.given.pop(given);
        r
    }

    /// pydantic `validate_model` on the members other than `resourceType` /
    /// `resource_type` (which `__init__` takes out): pre-root validators,
    /// then each field in order, then the extra keys.
    #[inline(always)]
    fn validate_model(
        &mut self,
        td: &'static TypeDef,
        members: &[(Key, Node)],
        given: Given,
        comments: Option<&Node>,
        unmatched: bool,
    ) -> Out<Checked<B::Obj>> {
        for rule in td.pre_rules() {
            if let Err(errors) = self.pre_rule(td, rule, members, given, comments)? {
                return Ok(Err(errors));
            }
        }
        let mut errors: Vec<PyError> = Vec::new();
        let mut model = B::new_obj(td);
        if let Some(c) = comments {
            match fhir_comments(c) {
                Ok(v) => B::set_comments(&mut model, v),
                Err(mut e) => errors.append(&mut e),
            }
        }
        let missing = |index: usize| {
            let name = td.fields.json_name_at(index).unwrap_or("");
            PyError::missing().at(vec![Loc::key(name)])
        };
        if !unmatched {
            // Every key is a JSON name: the given fields in order, with the
            // required ones that are not given reported in their place.
            let mut required = td.required().iter().map(|&r| usize::from(r)).peekable();
            let mut from = 0;
            while let Some((index, member)) = self.given.next(&given, from) {
                from = index + 1;
                while let Some(r) = required.next_if(|&r| r <= index) {
                    if r < index {
                        errors.push(missing(r));
                    }
                }
                let Some((_, value)) = members.get(member) else {
                    continue;
                };
                self.field_into(td, index, value, &mut model, &mut errors)?;
            }
            errors.extend(required.map(missing));
        } else {
            // Members taken by a field's Python name (`allow_population_by_field_name`).
            let mut by_py_name: Vec<&str> = Vec::new();
            for index in 0..td.fields.len() {
                let mut found = self.member_at(members, given, index);
                if found.is_none() && td.fields.has_alt_name_at(index) {
                    if let Some(field) = td.fields.get(index) {
                        found = members
                            .iter()
                            .find(|(k, _)| is_data_key(k) && field.py_name_is(k))
                            .map(|(k, v)| {
                                by_py_name.push(k.as_str());
                                v
                            });
                    }
                }
                match found {
                    Some(value) => self.field_into(td, index, value, &mut model, &mut errors)?,
                    None if td.fields.required_at(index) => errors.push(missing(index)),
                    None => {}
                }
            }
            let mut extra: Vec<&str> = members
                .iter()
                .map(|(k, _)| k.as_str())
                .filter(|k| {
                    is_data_key(k)
                        && *k != "fhir_comments"
                        && td.field_index(k).is_none()
                        && !by_py_name.contains(k)
                })
                .collect();
            extra.sort_unstable();
            extra.dedup();
            for k in extra {
                errors.push(PyError::extra().at(vec![Loc::key(k)]));
            }
        }
        Ok(if errors.is_empty() {
            Ok(model)
        } else {
            Err(errors)
        })
    }

    /// Validates the value given for field `index`: into the model, or its
    /// errors (located under the field's name) into `errors`.
    #[inline(always)]
    fn field_into(
        &mut self,
        td: &'static TypeDef,
        index: usize,
        value: &Node,
        model: &mut B::Obj,
        errors: &mut Vec<PyError>,
    ) -> Out<()> {
        let Some(field) = td.fields.shape_at(index) else {
            return Ok(());
        };
        match self.validate_field(field, value)? {
            Ok(v) => B::set_field(model, index, v),
            Err(e) => {
                let name = td.fields.json_name_at(index).unwrap_or("");
                errors.extend(e.into_iter().map(|e| e.under(&[Loc::key(name)])))
            }
        }
        Ok(())
    }

    /// The member given by its JSON name for field `index` of the model whose
    /// members are `given`.
    fn member_at<'m>(
        &self,
        members: &'m [(Key, Node)],
        given: Given,
        index: usize,
    ) -> Option<&'m Node> {
        let member = self.given.member(&given, index)?;
        members.get(member).map(|(_, v)| v)
    }

    /// One pre-root validator. Its failure is the model's only error.
    fn pre_rule(
        &mut self,
        td: &'static TypeDef,
        rule: &PreRule,
        members: &[(Key, Node)],
        given: Given,
        comments: Option<&Node>,
    ) -> Out<Checked<()>> {
        let root = |e: PyError| vec![e.at(vec![Loc::root()])];
        let name_of = |index: u16| td.fields.json_name_at(usize::from(index)).unwrap_or("");
        match rule {
            PreRule::RequiredPrimitives(pairs) => {
                let mut errors = Vec::new();
                for &(element, companion) in pairs.iter() {
                    let (name, ext) = (name_of(element), name_of(companion));
                    let value = self.member_at(members, given, usize::from(element));
                    if value.is_some_and(|v| !is_null(v)) {
                        continue;
                    }
                    let mut missing_ext = true;
                    let ext_value = self.member_at(members, given, usize::from(companion));
                    if let Some(ext_value) = ext_value.filter(|v| !is_null(v)) {
                        if let Some(members) = ext_value.as_object() {
                            let extension = members
                                .iter()
                                .find(|(k, _)| k == "extension")
                                .map(|(_, v)| v);
                            let len = match extension.map(|n| &n.value) {
                                None => 0,
                                Some(Value::Array(a)) => a.len(),
                                Some(Value::Object(o)) => o.len(),
                                Some(Value::Str(s)) => py_len(s),
                                Some(_) => {
                                    let t =
                                        extension.map(|n| n.py_type_name()).unwrap_or("NoneType");
                                    return Ok(Err(root(PyError::type_error(format!(
                                        "object of type '{t}' has no len()"
                                    )))));
                                }
                            };
                            missing_ext = len == 0;
                        } else {
                            let ext_td = type_def("FHIRPrimitiveExtension").ok_or_else(no_class)?;
                            // The rule reads the validated model's `extension`.
                            let mut building = Validator::<Building> {
                                spent: self.spent,
                                raw_depth: self.raw_depth,
                                given: GivenStack::new(),
                                build: PhantomData,
                            };
                            match building.fhir_model_validator(ext_td, ext_value)? {
                                Err(e) => {
                                    errors.extend(e.into_iter().map(|e| e.under(&[Loc::key(ext)])));
                                    continue;
                                }
                                Ok(PyVal::Model(m)) => {
                                    missing_ext = !matches!(m.get("extension"), Some(PyVal::List(l)) if !l.is_empty());
                                }
                                Ok(_) => {}
                            }
                        }
                    }
                    if missing_ext {
                        errors.push(if value.is_none() {
                            PyError::missing().at(vec![Loc::key(name)])
                        } else {
                            PyError::none_not_allowed().at(vec![Loc::key(name)])
                        });
                    }
                }
                if errors.is_empty() {
                    Ok(Ok(()))
                } else {
                    Ok(Err(errors
                        .into_iter()
                        .map(|e| e.under(&[Loc::root()]))
                        .collect()))
                }
            }
            PreRule::OneOfMany(groups) => {
                for group in groups.iter() {
                    // The list the messages show, written only when one is raised.
                    let list = || {
                        let names: Vec<String> =
                            group.fields.iter().map(|&f| repr_str(name_of(f))).collect();
                        format!("[{}]", names.join(", "))
                    };
                    let mut found = false;
                    for &f in group.fields {
                        let given = self.member_at(members, given, usize::from(f));
                        if given.is_some_and(|v| !is_null(v)) {
                            if found {
                                return Ok(Err(root(PyError::value_error(format!(
                                    "Any of one field value is expected from this list {}, but got multiple!",
                                    list()
                                )))));
                            }
                            found = true;
                        }
                    }
                    if group.required && !found {
                        return Ok(Err(root(PyError::value_error(format!(
                            "Expect any of field value from this list {}.",
                            list()
                        )))));
                    }
                }
                Ok(Ok(()))
            }
            PreRule::ExtensionOrComments => {
                let extension = td
                    .field_index("extension")
                    .and_then(|i| self.member_at(members, given, i));
                let given = |v: Option<&Node>| v.is_some_and(|v| !is_null(v));
                if !given(extension) && !given(comments) {
                    return Ok(Err(vec![
                        PyError::missing().at(vec![Loc::root(), Loc::key("extension")])
                    ]));
                }
                Ok(Ok(()))
            }
        }
    }

    /// `ModelField.validate` for one field's value (errors relative to the field).
    #[inline(always)]
    fn validate_field(&mut self, field: FieldShape, value: &Node) -> Out<Checked<B::Val>> {
        if is_null(value) {
            return Ok(if field.required() {
                Err(vec![PyError::none_not_allowed()])
            } else {
                Ok(B::none())
            });
        }
        if !field.is_list() {
            return self.validate_single(field, value);
        }
        let Some(items) = value.as_array() else {
            return Ok(Err(vec![PyError::list()]));
        };
        let mut out = B::new_list(items.len());
        let mut errors = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if is_null(item) {
                if field.items_nullable() {
                    B::push(&mut out, B::none());
                } else {
                    errors.push(PyError::none_not_allowed().at(vec![Loc::Index(i)]));
                }
                continue;
            }
            match self.validate_single(field, item)? {
                Ok(v) => B::push(&mut out, v),
                Err(e) => errors.extend(e.into_iter().map(|e| e.under(&[Loc::Index(i)]))),
            }
        }
        Ok(if errors.is_empty() {
            Ok(B::list_value(out))
        } else {
            Err(errors)
        })
    }

    #[inline(always)]
    fn validate_single(&mut self, field: FieldShape, value: &Node) -> Out<Checked<B::Val>> {
        match field.holds() {
            Holds::Primitive(p) => {
                escaping_primitive(p, value)?;
                Ok(B::primitive(p, &value.value).map_err(|e| vec![e]))
            }
            Holds::Model(td) => self.fhir_model_validator(td, value),
            Holds::Resource => self.resource_validator(value),
        }
    }

    /// fhir.resources `fhir_model_validator(model_name, v)`.
    #[inline(always)]
    pub fn fhir_model_validator(
        &mut self,
        td: &'static TypeDef,
        value: &Node,
    ) -> Out<Checked<B::Val>> {
        let root_error = |e: PyError| Ok(Err(vec![e.at(vec![Loc::root()])]));
        match &value.value {
            Value::Object(members) => Ok(self.parse_obj(td, members)?.map(B::model_value)),
            Value::Str(text) => {
                // `model_class.parse_raw(v)`
                self.enter(PARSE_RAW_COST)?;
                self.raw_depth += 1;
                let parsed = loads_as_floats(text);
                let r = match parsed {
                    Err(LoadError::Decode(_)) => root_error(PyError::value_error(format!(
                        "Invalid json str value has been provided for class {}",
                        td.class_repr()
                    ))),
                    Err(LoadError::RecursionLimit) => Err(Abort::Recursion),
                    Err(other) => root_error(PyError::value_error(other.to_string())),
                    Ok(obj) => self.parse_obj_any(td, &obj),
                };
                self.raw_depth -= 1;
                self.leave(PARSE_RAW_COST);
                r
            }
            _ => root_error(PyError::value_error(format!(
                "Value is expected from the instance of {}, but got type <class '{}'>",
                td.class_repr(),
                self.type_name(value)
            ))),
        }
    }

    /// pydantic `parse_obj` on any decoded JSON value: a non-dict goes through `dict(obj)`.
    fn parse_obj_any(&mut self, td: &'static TypeDef, obj: &Node) -> Out<Checked<B::Val>> {
        let expected = || {
            Ok(Err(vec![PyError::type_error(format!(
                "{} expected dict not {}",
                td.name,
                self.type_name(obj)
            ))
            .at(vec![Loc::root()])]))
        };
        match &obj.value {
            Value::Object(members) => Ok(self.parse_obj(td, members)?.map(B::model_value)),
            Value::Array(items) => {
                let mut pairs: Vec<(Key, Node)> = Vec::new();
                for item in items {
                    match &item.value {
                        Value::Array(kv) if kv.len() == 2 => {
                            let (Some(k), Some(v)) = (kv.first(), kv.get(1)) else {
                                return expected();
                            };
                            let Some(key) = k.as_str() else {
                                return Err(Abort::Unhandled(
                                    "TypeError: keywords must be strings".to_string(),
                                ));
                            };
                            match pairs.iter_mut().find(|(pk, _)| pk == key) {
                                Some(slot) => slot.1 = v.clone(),
                                None => pairs.push((Key::new(key), v.clone())),
                            }
                        }
                        Value::Str(s) if py_len(s) == 2 => {
                            let mut cs = s.chars();
                            let (Some(a), Some(b)) = (cs.next(), cs.next()) else {
                                return expected();
                            };
                            let v = Node::synthetic(Value::Str(b.into()));
                            match pairs.iter_mut().find(|(pk, _)| pk == &a.to_string()) {
                                Some(slot) => slot.1 = v,
                                None => pairs.push((Key::from(a.to_string()), v)),
                            }
                        }
                        _ => return expected(),
                    }
                }
                Ok(self.parse_obj(td, &pairs)?.map(B::model_value))
            }
            _ => expected(),
        }
    }

    /// fhir.resources `ResourceType.validate` (`contained` items): the class
    /// is chosen by the value's `resourceType`.
    fn resource_validator(&mut self, value: &Node) -> Out<Checked<B::Val>> {
        self.enter(RESOURCE_DISPATCH_COST)?;
        let r = self.resource_dispatch(value);
        self.leave(RESOURCE_DISPATCH_COST);
        r
    }

    fn resource_dispatch(&mut self, value: &Node) -> Out<Checked<B::Val>> {
        let decoded;
        let input = match &value.value {
            Value::Str(text) => match loads(text) {
                Ok(obj) => {
                    decoded = obj;
                    &decoded
                }
                Err(LoadError::RecursionLimit) => return Err(Abort::Recursion),
                Err(LoadError::Decode(e)) => {
                    return Ok(Err(vec![PyError::new(
                        e.to_string(),
                        "value_error.jsondecode",
                    )
                    .with_ctx("msg", e.msg)
                    .with_ctx("doc", text.clone())
                    .with_ctx("pos", e.pos.to_string())
                    .with_ctx("lineno", e.lineno.to_string())
                    .with_ctx("colno", e.colno.to_string())]));
                }
                Err(e) => return Ok(Err(vec![PyError::value_error(e.to_string())])),
            },
            _ => value,
        };
        let Some(members) = input.as_object() else {
            return Err(Abort::Unhandled(format!(
                "AttributeError: '{}' object has no attribute 'get'",
                input.py_type_name()
            )));
        };
        let rt = members
            .iter()
            .find(|(k, _)| k == "resourceType")
            .map(|(_, v)| v);
        let name = match rt.map(|n| &n.value) {
            None | Some(Value::Null) => "Resource",
            Some(Value::Str(s)) => s.as_str(),
            Some(Value::Array(_)) => {
                return Ok(Err(vec![PyError::type_error(
                    "can only concatenate list (not \"str\") to list",
                )]))
            }
            Some(_) => {
                let t = rt.map(|n| n.py_type_name()).unwrap_or("NoneType");
                return Ok(Err(vec![PyError::type_error(format!(
                    "unsupported operand type(s) for +: '{t}' and 'str'"
                ))]));
            }
        };
        match type_def(name) {
            Some(td) => self.fhir_model_validator(td, value),
            None if name == "Abstract" || name == "AbstractBase" => {
                Err(Abort::Unhandled("KeyError: Ellipsis".to_string()))
            }
            None => Err(Abort::Unhandled(format!(
                "LookupError: 'fhir.resources.R4B.fhirtypes.{name}Type' doesnt found."
            ))),
        }
    }
}

impl<B: Build> Default for Validator<B> {
    fn default() -> Self {
        Self::new()
    }
}

/// Primitive validators that raise exceptions pydantic does not catch:
/// `Url.validate` calls `value.startswith` on whatever it is given, a huge
/// decimal exponent overflows, and `parse_time` on a negative number goes
/// below `datetime.min`.
#[inline(always)]
pub(super) fn escaping_primitive(p: Primitive, value: &Node) -> Out<()> {
    match (p, &value.value) {
        (Primitive::Url, Value::Str(_)) => Ok(()),
        (Primitive::Url | Primitive::Decimal | Primitive::Time, _) => {
            escaping_primitive_rare(p, value)
        }
        _ => Ok(()),
    }
}

/// [`escaping_primitive`] for the types whose validators can escape.
#[cold]
fn escaping_primitive_rare(p: Primitive, value: &Node) -> Out<()> {
    match (p, &value.value) {
        (Primitive::Url, Value::Str(_)) => Ok(()),
        (Primitive::Url, _) => Err(Abort::Unhandled(format!(
            "AttributeError: '{}' object has no attribute 'startswith'",
            value.py_type_name()
        ))),
        (Primitive::Decimal, Value::Decimal(text)) if decimal_overflows(text) => Err(
            Abort::Unhandled("decimal.Overflow: [<class 'decimal.Overflow'>]".to_string()),
        ),
        (Primitive::Time, v) => match super::datetime::numeric(v) {
            super::datetime::Numeric::Number(n) if n < 0.0 && !matches!(v, Value::Str(_)) => Err(
                Abort::Unhandled("OverflowError: date value out of range".to_string()),
            ),
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// Whether a non-zero decimal literal's adjusted exponent exceeds the default
/// context's `Emax` (999999): the decimal validator's arithmetic then raises
/// `decimal.Overflow`, which nothing catches.
fn decimal_overflows(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text, "0"),
    };
    let mantissa = mantissa.trim_start_matches(['-', '+']);
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // Position of the first significant digit in the digits of `whole` then `fraction`.
    let significant = |digits: &str| digits.find(|c: char| c != '0');
    let first = match (significant(whole), significant(fraction)) {
        (Some(i), _) => i,
        (None, Some(i)) => whole.len() + i,
        (None, None) => return false,
    };
    // Adjusted exponent: position of the first significant digit.
    let significant_whole = whole.len() as i128 - first as i128;
    let exponent: i128 = match exponent.parse::<i128>() {
        Ok(e) => e,
        // An exponent too long for i128 is far beyond Emax either way.
        Err(_) => return !exponent.starts_with('-'),
    };
    exponent + significant_whole - 1 > 999_999
}

fn no_class() -> Abort {
    Abort::Unhandled("KeyError: model class".to_string())
}

/// `fhir_comments: Union[str, List[str]]`.
fn fhir_comments(value: &Node) -> Checked<PyVal> {
    if is_null(value) {
        return Ok(PyVal::None);
    }
    let as_str = str_validator(&value.value);
    let str_error = match as_str {
        Ok(s) => return Ok(PyVal::Str(s)),
        Err(e) => e,
    };
    let mut errors = vec![str_error];
    match value.as_array() {
        None => errors.push(PyError::list()),
        Some(items) => {
            let mut out = Vec::new();
            let mut item_errors = Vec::new();
            for (i, item) in items.iter().enumerate() {
                if is_null(item) {
                    item_errors.push(PyError::none_not_allowed().at(vec![Loc::Index(i)]));
                    continue;
                }
                match str_validator(&item.value) {
                    Ok(s) => out.push(PyVal::Str(s)),
                    Err(e) => item_errors.push(e.at(vec![Loc::Index(i)])),
                }
            }
            if item_errors.is_empty() {
                return Ok(PyVal::List(out));
            }
            errors.extend(item_errors);
        }
    }
    Err(errors
        .into_iter()
        .map(|e| e.under(&[Loc::key("fhir_comments")]))
        .collect())
}

#[cfg(test)]
mod overflow_tests {
    use super::decimal_overflows;

    #[test]
    fn decimal_overflow_follows_the_adjusted_exponent() {
        assert!(!decimal_overflows("1e999999"));
        assert!(decimal_overflows("1e1000000"));
        assert!(decimal_overflows("12e999999"));
        assert!(decimal_overflows("-1E+1000000"));
        assert!(!decimal_overflows("0e1000000"));
        assert!(!decimal_overflows("1e-1000000"));
        assert!(!decimal_overflows("0.001e1000002"));
        assert!(decimal_overflows("0.01e1000002"));
        assert!(!decimal_overflows("0.5"));
    }
}
