//! The stored Resource, handed to JS once as plain text and shared by the outcome's two
//! items.
//!
//! An accepted outcome carries the event item twice, as JSON (`item`) and as DynamoDB
//! attribute-value JSON (`itemDynamodb`), and the stored Resource text, escaped as a
//! JSON string, is most of each. `JSON.parse` would unescape it twice, and unescaping
//! a text full of `\"` is the slowest thing it does. Instead both copies are emptied
//! before parsing ([`take`]) and the Resource's text, which the core reports beside
//! them, is passed to JS as a plain string and set into both items ([`share`]).

use std::ops::Range;

use js_sys::{JsString, Reflect};
use serde_json::value::RawValue;
use wasm_bindgen::JsValue;

use crate::api::Outcome;
use crate::controller::raw_json;

/// Empties the Resource string of both items of an accepted `outcome` and returns its
/// text. `None` (the items unchanged) when the outcome has no items, or when the text
/// holds a lone surrogate: Rust text holds a stand-in for each (see
/// [`crate::json::lone_surrogate_char`]), so `JSON.parse` reads such a Resource as written.
pub fn take(outcome: &mut Outcome) -> Option<String> {
    let places = outcome.item_resource.take()?;
    // Every stand-in character is encoded from the byte F4 on.
    if !places.text.is_ascii() && places.text.bytes().any(|b| b == 0xF4) {
        return None;
    }
    let item = outcome.item.as_ref()?.get();
    let dynamodb = outcome.item_dynamodb.as_ref()?.get();
    let emptied_item = emptied(item, &places.in_json)?;
    let emptied_dynamodb = emptied(dynamodb, &places.in_dynamodb)?;
    outcome.item = Some(emptied_item);
    outcome.item_dynamodb = Some(emptied_dynamodb);
    Some(places.text)
}

/// `text` without the bytes of `range` (the contents of a string, which it empties).
fn emptied(text: &str, range: &Range<usize>) -> Option<Box<RawValue>> {
    raw_json([text.get(..range.start)?, text.get(range.end..)?].concat())
}

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

/// Sets `item.Resource` and `itemDynamodb.Resource.S` of the parsed outcome to `text`.
pub fn share(outcome: &JsValue, text: &str) -> Result<(), JsValue> {
    let text: JsValue = JsString::from(text).into();
    NAMES.with(|names| {
        let item = Reflect::get(outcome, &names.item)?;
        Reflect::set(&item, &names.resource, &text)?;
        let dynamodb = Reflect::get(outcome, &names.item_dynamodb)?;
        let attribute = Reflect::get(&dynamodb, &names.resource)?;
        Reflect::set(&attribute, &names.string, &text)?;
        Ok(())
    })
}
