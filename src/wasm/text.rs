//! JS strings into Rust text, written by the JS `TextEncoder` straight into Wasm memory
//! (one native call, where a character-by-character copy costs several microseconds
//! for a typical 2 KB body).

use js_sys::{JsString, Uint8Array};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The JS `TextEncoder` (a global in browsers and in Node).
    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    #[wasm_bindgen(method, js_name = encodeInto)]
    fn encode_into(this: &TextEncoder, source: &JsString, destination: &Uint8Array) -> Progress;

    /// What `encodeInto` reports: UTF-16 units read and bytes written.
    type Progress;
    #[wasm_bindgen(method, getter)]
    fn read(this: &Progress) -> u32;
    #[wasm_bindgen(method, getter)]
    fn written(this: &Progress) -> u32;
}

thread_local! {
    static ENCODER: TextEncoder = TextEncoder::new();
}

/// The UTF-8 text of a JS string of `units` UTF-16 units, written straight into Wasm
/// memory by `TextEncoder.encodeInto` (a lone surrogate becomes U+FFFD, as with any
/// JS-to-UTF-8 conversion), and whether it holds U+FFFD. Room for one byte per unit is
/// made first, which an ASCII text fills exactly; whatever does not fit is encoded
/// again into room for three bytes per remaining unit, the most one UTF-16 unit takes
/// in UTF-8.
pub fn utf8_of(text: &JsString, units: usize) -> (String, bool) {
    let mut bytes: Vec<u8> = Vec::with_capacity(units);
    let progress = encode_into_spare(text, &mut bytes);
    // Each ASCII byte is one UTF-16 unit read (anything else, U+FFFD included, is
    // encoded as non-ASCII bytes): `units` ASCII bytes are the whole text.
    if bytes.len() == units && bytes.is_ascii() {
        // SAFETY: ASCII bytes are UTF-8.
        return (unsafe { String::from_utf8_unchecked(bytes) }, false);
    }
    let mut read = progress.read() as usize;
    if read < units {
        let rest = text.slice(read as u32, units as u32);
        bytes.reserve((units - read) * 3);
        read += encode_into_spare(&rest, &mut bytes).read() as usize;
    }
    let utf8 = match String::from_utf8(bytes) {
        Ok(utf8) if read == units => utf8,
        // Not expected from a TextEncoder; the general conversion then decides.
        _ => String::from(text),
    };
    let replacement = utf8.contains(char::REPLACEMENT_CHARACTER);
    (utf8, replacement)
}

/// Encodes as much of `text` as fits into the spare capacity of `bytes`, appending it;
/// what `encodeInto` reports (its `read` is the number of UTF-16 units read).
fn encode_into_spare(text: &JsString, bytes: &mut Vec<u8>) -> Progress {
    let start = bytes.len();
    let room = bytes.capacity() - start;
    // SAFETY: the view covers exactly the vector's spare capacity, which stays allocated
    // and in place while the view is used: nothing between here and `set_len` allocates
    // Wasm memory (`encodeInto` runs in JS and only writes into the view).
    let view = unsafe { Uint8Array::view_mut_raw(bytes.as_mut_ptr().add(start), room) };
    let progress = ENCODER.with(|encoder| encoder.encode_into(text, &view));
    let written = (progress.written() as usize).min(room);
    // SAFETY: `encodeInto` initialised the first `written` bytes of the spare capacity.
    unsafe { bytes.set_len(start + written) };
    progress
}
