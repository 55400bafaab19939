//! The stored Resource, parsed once into JS and shared by the outcome's two items.
//!
//! An accepted outcome carries the event item twice, as JSON (`item`) and as DynamoDB
//! attribute-value JSON (`itemDynamodb`), and the stored Resource text, escaped as a
//! JSON string, is most of each. `JSON.parse` would unescape it twice; instead the
//! DynamoDB copy is emptied before parsing (when it is the same text as `item`'s) and
//! then set to the string parsed from `item`.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

/// Sets `itemDynamodb.Resource.S` of the parsed outcome to `item.Resource`.
pub fn share(outcome: &JsValue) -> Result<(), JsValue> {
    let resource = JsValue::from_str("Resource");
    let item = Reflect::get(outcome, &JsValue::from_str("item"))?;
    let text = Reflect::get(&item, &resource)?;
    let dynamodb = Reflect::get(outcome, &JsValue::from_str("itemDynamodb"))?;
    let attribute = Reflect::get(&dynamodb, &resource)?;
    Reflect::set(&attribute, &JsValue::from_str("S"), &text)?;
    Ok(())
}
