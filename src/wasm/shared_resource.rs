//! The stored Resource, parsed once into JS and shared by the outcome's two items.
//!
//! An accepted outcome carries the event item twice, as JSON (`item`) and as DynamoDB
//! attribute-value JSON (`itemDynamodb`), and the stored Resource text, escaped as a
//! JSON string, is most of each. `JSON.parse` would unescape it twice; instead the
//! DynamoDB copy, which the core writes byte for byte as `item`'s and whose place it
//! reports ([`Outcome::item_dynamodb_resource`](crate::api::Outcome)), is emptied
//! before parsing and then set to the string parsed from `item`.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

/// The property names read and written, made once.
struct Names {
    item: JsValue,
    item_dynamodb: JsValue,
    resource: JsValue,
    string: JsValue,
}

thread_local! {
    static NAMES: Names = Names {
        item: JsValue::from_str("item"),
        item_dynamodb: JsValue::from_str("itemDynamodb"),
        resource: JsValue::from_str("Resource"),
        string: JsValue::from_str("S"),
    };
}

/// Sets `itemDynamodb.Resource.S` of the parsed outcome to `item.Resource`.
pub fn share(outcome: &JsValue) -> Result<(), JsValue> {
    NAMES.with(|names| {
        let item = Reflect::get(outcome, &names.item)?;
        let text = Reflect::get(&item, &names.resource)?;
        let dynamodb = Reflect::get(outcome, &names.item_dynamodb)?;
        let attribute = Reflect::get(&dynamodb, &names.resource)?;
        Reflect::set(&attribute, &names.string, &text)?;
        Ok(())
    })
}
