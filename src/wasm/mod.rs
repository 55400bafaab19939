//! The WebAssembly interface: JS functions over the core, with no rules of their own.
//!
//! Requests arrive as plain JS objects whose fields mean what they mean in the request's
//! JSON text (the CLI's form), so every option the core's `Request` knows passes through
//! unchanged (see [`request`]). Outcomes leave as plain
//! JSON-compatible objects (`JSON.parse` of the core's serialised outcome). Bad arguments
//! throw a JS `Error`; the current time comes from the JS clock.

use js_sys::{Array, Date, JsString, JSON};
use wasm_bindgen::prelude::*;

use crate::api::{Operation, Outcome, Request};
use crate::controller;
use crate::vaccine_type::{self, DiseaseMapping};

mod request;
mod shared_resource;
mod text;

use request::read_request;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("../../js/types.d.ts");

/// What the service would answer to `request`, and the items it would write.
///
/// `request` has the fields of the conformance corpus's `request`: `operation`, `body`
/// (a string is sent as is; any other value as `JSON.stringify(value)`), `id`,
/// `supplierSystem`, `version`, `timestamp`, and the further checker options.
/// Throws an `Error` when `request` is not such an object.
#[wasm_bindgen(unchecked_return_type = "Outcome")]
pub fn check(
    #[wasm_bindgen(unchecked_param_type = "CheckRequest")] request: JsValue,
) -> Result<JsValue, JsError> {
    let fail = |m: String| JsError::new(&format!("check(request): {m}"));
    let request = read_request(&request).map_err(fail)?;
    answer(&request).map_err(fail)
}

/// The same answer as `check`, as the outcome's JSON text: the fields of a line of the
/// CLI's `batch` output, less `name`. Numbers keep the text the service writes (a dose
/// of `1.0` stays `1.0`, where a JS number would be `1`).
#[wasm_bindgen(js_name = checkJson)]
pub fn check_json(
    #[wasm_bindgen(unchecked_param_type = "CheckRequest")] request: JsValue,
) -> Result<String, JsError> {
    let fail = |m: String| JsError::new(&format!("checkJson(request): {m}"));
    let request = read_request(&request).map_err(fail)?;
    let outcome = outcome(&request).map_err(fail)?;
    serde_json::to_string(&outcome).map_err(|e| fail(e.to_string()))
}

/// The `SupplierSystem` header `validate` sends.
const VALIDATE_SUPPLIER: &str = "imms-check";

/// The outcome of creating `body` (a string sent as is, or any JSON value sent as
/// `JSON.stringify(value)`) with the SupplierSystem header `imms-check` and no options.
#[wasm_bindgen(unchecked_return_type = "Outcome")]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "string | JsonValue")] body: JsValue,
) -> Result<JsValue, JsError> {
    let fail = |m: String| JsError::new(&format!("validate(body): {m}"));
    let body = body_text(&body).map_err(fail)?.ok_or_else(|| {
        fail("expected the body as a string or a JSON value, got undefined".into())
    })?;
    let request = Request {
        operation: Operation::Create,
        body,
        supplier_system: Some(VALIDATE_SUPPLIER.to_string()),
        ..Request::default()
    };
    answer(&request).map_err(fail)
}

/// The disease → vaccine type table (the service's `disease_mapping.json`).
#[wasm_bindgen(js_name = diseaseMapping, unchecked_return_type = "DiseaseMappingEntry[]")]
pub fn disease_mapping() -> Result<JsValue, JsError> {
    JSON::parse(vaccine_type::EMBEDDED_JSON).map_err(|e| JsError::new(&describe(&e)))
}

/// The vaccine types of the disease mapping, in its order.
#[wasm_bindgen(js_name = vaccineTypes, unchecked_return_type = "string[]")]
pub fn vaccine_types() -> Vec<String> {
    vaccine_type::vaccine_types(DiseaseMapping::embedded())
}

/// The version of imms-check.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The largest body the module takes, in UTF-8 bytes. A check needs up to about 50
/// bytes of memory per byte of body (arrays of a million numbers, each answered with
/// its own error), and a WebAssembly module has at most 4 GiB: beyond this size a
/// body could exhaust it and trap. (The service's API Gateway takes at most 10 MB.)
pub const MAX_BODY_BYTES: usize = 48 << 20;

/// The HTTP body a JS value stands for: a string as is, any other JSON value as its
/// `JSON.stringify` text; `None` for `undefined` (no body). Refuses a body over
/// [`MAX_BODY_BYTES`].
fn body_text(body: &JsValue) -> Result<Option<String>, String> {
    if body.is_undefined() {
        return Ok(None);
    }
    let text = if body.is_string() {
        // A UTF-8 text has at least as many bytes as its JS string has UTF-16 units.
        let units = body.unchecked_ref::<js_sys::JsString>().length() as usize;
        if units > MAX_BODY_BYTES {
            return Err(too_large(units));
        }
        let (text, replacement) = text::utf8_of(body.unchecked_ref::<JsString>(), units);
        // Converting a JS string to UTF-8 replaces a lone surrogate (which Python keeps)
        // with U+FFFD: when the text shows one, read the string again through its JSON
        // escapes (`"\ud800"`), as the core's parser reads them.
        if replacement {
            lone_surrogate_text(body)?
        } else {
            text
        }
    } else {
        let text = JSON::stringify(body)
            .map_err(|e| format!("cannot be written as JSON: {}", describe(&e)))?;
        text.as_string()
            .ok_or_else(|| format!("must be a string or a JSON value, got {}", kind(body)))?
    };
    if text.len() > MAX_BODY_BYTES {
        return Err(too_large(text.len()));
    }
    Ok(Some(text))
}

fn too_large(size: usize) -> String {
    format!(
        "is {size} bytes; the WebAssembly checker takes bodies of up to {MAX_BODY_BYTES} bytes \
         (48 MiB; the service's API Gateway takes at most 10 MB)"
    )
}

/// A JS string with each lone surrogate as the core's stand-in character.
fn lone_surrogate_text(body: &JsValue) -> Result<String, String> {
    let quoted = JSON::stringify(body)
        .map_err(|e| format!("cannot be written as JSON: {}", describe(&e)))?
        .as_string()
        .ok_or_else(|| "cannot be written as JSON".to_string())?;
    match crate::json::loads(&quoted).map(|node| node.value) {
        Ok(crate::json::Value::Str(text)) => Ok(text.into_string()),
        _ => Err("cannot be read as text".to_string()),
    }
}

/// The core's answer at the JS clock's time; `Err` when an option of the request cannot
/// be used.
fn outcome(request: &Request) -> Result<Outcome, String> {
    controller::check_at(request, now_epoch_secs()).map_err(|e| e.to_string())
}

/// The core's answer as a plain object: `JSON.parse` of its JSON text (V8's parser
/// builds the objects faster than property-by-property calls across the boundary),
/// with the stored Resource passed once, as plain text, for both items (see
/// [`shared_resource`]).
fn answer(request: &Request) -> Result<JsValue, String> {
    let mut outcome = outcome(request)?;
    let resource = shared_resource::take(&mut outcome);
    let text = serde_json::to_string(&outcome).map_err(|e| e.to_string())?;
    let object = JSON::parse(&text).map_err(|e| describe(&e))?;
    if let Some(resource) = resource {
        shared_resource::share(&object, &resource).map_err(|e| describe(&e))?;
    }
    Ok(object)
}

/// The JS clock in whole epoch seconds.
fn now_epoch_secs() -> i64 {
    (Date::now() / 1000.0).floor() as i64
}

/// A JS value's kind, for messages.
fn kind(value: &JsValue) -> String {
    if value.is_null() {
        "null".to_string()
    } else if Array::is_array(value) {
        "an array".to_string()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}

/// The message of a thrown JS value.
fn describe(error: &JsValue) -> String {
    if let Some(error) = error.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    error
        .as_string()
        .unwrap_or_else(|| "an exception was thrown".to_string())
}
