//! Reading a JS request object into the core's `Request`.
//!
//! The body is taken as text directly ([`super::body_text`]). The other fields mean what
//! they mean in the request's JSON text, the form the CLI reads: a copy of the object
//! without the body is written with `JSON.stringify` and read as a `Request`. A request
//! whose fields are all plain text or whole numbers (the usual `operation`,
//! `supplierSystem`, `id`, `version`, `timestamp`) is read field by field instead, which
//! gives the same `Request` without writing and reading that text; anything else takes
//! the JSON reading, so its answers and its errors are those of the JSON text.

use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;

use super::{body_text, describe, kind};
use crate::api::{Operation, Request};

/// Reads a JS request object into the core's `Request`.
pub fn read_request(request: &JsValue) -> Result<Request, String> {
    if !request.is_object() || Array::is_array(request) {
        return Err(format!(
            "expected an object such as {{operation: \"create\", body: \"{{...}}\"}}, got {}",
            kind(request)
        ));
    }
    FIELD_NAMES.with(|names| {
        let body_key = &names[BODY];
        let body = Reflect::get(request, body_key).map_err(|e| describe(&e))?;
        let body = body_text(&body).map_err(|m| format!("request.body {m}"))?;
        let mut request = match plain_fields(request.unchecked_ref(), names) {
            Some(plain) => plain,
            None => through_json(request, body_key)?,
        };
        if let Some(body) = body {
            request.body = body;
        }
        Ok(request)
    })
}

/// The request's fields other than the body, through the JSON text of a copy without
/// the body (`JSON.stringify` leaves out an undefined property; setting it, unlike
/// deleting it, keeps the copy a fast object).
fn through_json(request: &JsValue, body_key: &JsValue) -> Result<Request, String> {
    let options = Object::assign(&Object::new(), request.unchecked_ref());
    Reflect::set(&options, body_key, &JsValue::UNDEFINED).map_err(|e| describe(&e))?;
    let text = JSON::stringify(&options)
        .map_err(|e| format!("cannot be written as JSON: {}", describe(&e)))?
        .as_string()
        .ok_or_else(|| "cannot be written as JSON".to_string())?;
    serde_json::from_str(&text).map_err(|e| {
        let message = e.to_string();
        // The position refers to the re-serialised request, which the caller never saw.
        match message.rsplit_once(" at line ") {
            Some((head, _)) => format!("invalid request: {head}"),
            None => format!("invalid request: {message}"),
        }
    })
}

/// The request's fields other than the body read one by one, as the JSON reading
/// would read them; `None` when any of its own enumerable fields (the ones
/// `JSON.stringify` writes) is not a plain field with a plain value, or `operation`
/// is missing or unknown: those take the JSON reading.
fn plain_fields(request: &Object, names: &[JsValue; 7]) -> Option<Request> {
    let mut read = Request::default();
    let mut operation = None;
    for key in Object::keys(request).iter() {
        let field = names.iter().position(|name| *name == key);
        let field = field
            .and_then(|index| FIELDS.get(index))
            .map(|(_, field)| *field);
        if field == Some(Field::Body) {
            continue;
        }
        let value = Reflect::get(request, &key).ok()?;
        match field {
            Some(Field::Operation) => operation = Some(operation_named(&plain_text(&value)?)?),
            Some(Field::SupplierSystem) => read.supplier_system = optional_text(&value)?,
            Some(Field::Id) => read.id = optional_text(&value)?,
            Some(Field::Version) => read.version = optional_header(&value)?,
            Some(Field::Timestamp) => read.timestamp = optional_whole(&value)?,
            Some(Field::DeltaTtlDays) => read.delta_ttl_days = optional_whole(&value)?,
            // `stored`, `permissions`, `diseaseMapping`, `toJSON`, unknown fields.
            _ if value.is_undefined() => {}
            _ => return None,
        }
    }
    read.operation = operation?;
    Some(read)
}

/// The fields read one by one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Operation,
    SupplierSystem,
    Body,
    Id,
    Timestamp,
    Version,
    DeltaTtlDays,
}

/// The fields read one by one by their JSON names, most usual first.
const FIELDS: [(&str, Field); 7] = [
    ("operation", Field::Operation),
    ("supplierSystem", Field::SupplierSystem),
    ("body", Field::Body),
    ("id", Field::Id),
    ("timestamp", Field::Timestamp),
    ("version", Field::Version),
    ("deltaTtlDays", Field::DeltaTtlDays),
];

/// Where `body` is in [`FIELDS`] (and in [`FIELD_NAMES`]).
const BODY: usize = index_of(Field::Body);

const fn index_of(field: Field) -> usize {
    let mut index = 0;
    while index < FIELDS.len() {
        if FIELDS[index].1 as u8 == field as u8 {
            return index;
        }
        index += 1;
    }
    panic!("every field is in FIELDS")
}

thread_local! {
    /// The names of [`FIELDS`] as JS strings, so that a key is matched by one JS
    /// comparison instead of being copied into Rust text.
    static FIELD_NAMES: [JsValue; 7] = FIELDS.map(|(name, _)| JsValue::from_str(name));
}

fn operation_named(name: &str) -> Option<Operation> {
    match name {
        "create" => Some(Operation::Create),
        "update" => Some(Operation::Update),
        "delete" => Some(Operation::Delete),
        _ => None,
    }
}

/// A JS string's text, unless it holds a lone surrogate: converting one to UTF-8
/// gives U+FFFD, where its JSON text has an escape the JSON reading refuses.
fn plain_text(value: &JsValue) -> Option<String> {
    let text = value.as_string()?;
    (!text.contains(char::REPLACEMENT_CHARACTER)).then_some(text)
}

/// `undefined` and `null` as absent, a string as its text.
fn optional_text(value: &JsValue) -> Option<Option<String>> {
    if value.is_undefined() || value.is_null() {
        return Some(None);
    }
    plain_text(value).map(Some)
}

/// Whole numbers a JS number holds exactly, whose JSON text is their digits.
const EXACT_WHOLE: f64 = 9_007_199_254_740_992.0;

/// `undefined` and `null` as absent, a whole number of at most 2^53 as itself.
fn optional_whole(value: &JsValue) -> Option<Option<i64>> {
    if value.is_undefined() || value.is_null() {
        return Some(None);
    }
    let number = value.as_f64()?;
    (number.fract() == 0.0 && number.abs() <= EXACT_WHOLE).then_some(Some(number as i64))
}

/// A header given as text or as a whole number (its digits).
fn optional_header(value: &JsValue) -> Option<Option<String>> {
    if value.as_f64().is_some() {
        return optional_whole(value).map(|whole| whole.map(|n| n.to_string()));
    }
    optional_text(value)
}
