//! The items an accepted request writes: the event-table item and the delta
//! item the stream handler derives from it.

use super::answer::Answer;
use super::options::Options;
use crate::json::{Node, Value};
use crate::store::{self, EventItem, StoredResource};

/// Nesting of objects from which the repository's `immunization.dict()` (one
/// recursion per nested model) raises `RecursionError`: the service answers
/// 500 and writes nothing. Only nested extensions can reach it in a valid body
/// (measured against the service's code: 165 nested objects are stored, 166 are not).
pub const REPOSITORY_OBJECT_DEPTH_LIMIT: usize = 165;

/// `Immunization.parse_obj(body)` then `.json(use_decimal=True)` outside the
/// validation `try`: a failure there reaches the global handler (500).
/// `body_text` is the request body `body_with_id` was parsed from; `nesting`, when
/// known, the most containers its parser had open at once.
pub fn resource(
    body_with_id: &Node,
    body_text: &str,
    nesting: Option<usize>,
) -> Result<StoredResource, Answer> {
    let resource = store::stored_resource(body_with_id).map_err(|_| Answer::server_error())?;
    storable_depth(body_with_id, body_text, nesting)?;
    Ok(resource)
}

/// The repository's recursion limit on nested models (500 beyond it).
/// `body_text` is the request body `body` was parsed from (with at most `id`
/// set since), and `nesting`, when known, the most containers its parser had open
/// at once. Objects nest at most one deeper than that (the parser does not open an
/// empty container), so a nesting below the limit settles it; so does a text with
/// no more `{` than the limit, which cannot hold more objects, let alone nest them
/// deeper. Otherwise the tree is walked.
pub fn storable_depth(body: &Node, body_text: &str, nesting: Option<usize>) -> Result<(), Answer> {
    if nesting.is_some_and(|nesting| nesting < REPOSITORY_OBJECT_DEPTH_LIMIT)
        || braces_at_most(body_text, REPOSITORY_OBJECT_DEPTH_LIMIT)
        || !objects_nest_beyond(body, REPOSITORY_OBJECT_DEPTH_LIMIT)
    {
        Ok(())
    } else {
        Err(Answer::server_error())
    }
}

/// Whether `text` holds at most `limit` bytes `{`. Where the compiler has vector
/// operations, a plain byte count (turned into wide operations); in WebAssembly
/// (built without SIMD), [`braces_at_most_by_words`].
fn braces_at_most(text: &str, limit: usize) -> bool {
    if cfg!(target_arch = "wasm32") {
        braces_at_most_by_words(text, limit)
    } else {
        braces_at_most_by_bytes(text, limit)
    }
}

/// [`braces_at_most`], counted in byte lanes 255 bytes at a time (a lane cannot
/// overflow).
fn braces_at_most_by_bytes(text: &str, limit: usize) -> bool {
    let braces: usize = text
        .as_bytes()
        .chunks(255)
        .map(|chunk| {
            let count = chunk
                .iter()
                .fold(0u8, |n, &b| n.wrapping_add(u8::from(b == b'{')));
            usize::from(count)
        })
        .sum();
    braces <= limit
}

/// Whether `text` holds at most `limit` bytes `{`: counted eight bytes at a time
/// (each lane of a word holds its own count, summed every 255 words so that a lane
/// cannot overflow), the remainder byte by byte.
fn braces_at_most_by_words(text: &str, limit: usize) -> bool {
    const LOW_BITS: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    // One per lane of `word` that holds `{`, exactly.
    let braces_in = |word: u64| {
        let v = word ^ (LOW_BITS * u64::from(b'{'));
        let nonzero = ((v & !HIGH_BITS).wrapping_add(!HIGH_BITS)) | v;
        (!nonzero & HIGH_BITS) >> 7
    };
    // The sum of the eight byte lanes of `lanes`.
    let total = |lanes: u64| {
        const PAIRS: u64 = 0x00ff_00ff_00ff_00ff;
        let pairs = (lanes & PAIRS) + ((lanes >> 8) & PAIRS);
        (pairs.wrapping_mul(0x0001_0001_0001_0001) >> 48) as usize
    };
    let bytes = text.as_bytes();
    let mut words = bytes.chunks_exact(8);
    let mut braces = 0usize;
    let mut lanes = 0u64;
    let mut in_lanes = 0;
    for chunk in &mut words {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        lanes += braces_in(u64::from_le_bytes(word));
        in_lanes += 1;
        if in_lanes == 255 {
            braces += total(lanes);
            lanes = 0;
            in_lanes = 0;
        }
    }
    braces += total(lanes);
    braces += words.remainder().iter().filter(|&&b| b == b'{').count();
    braces <= limit
}

/// Whether objects nest more than `limit` deep in `node` (the node itself counts
/// one when it is an object; arrays do not count), without recursion. Only
/// containers are visited, and the walk stops at the first object beyond `limit`.
fn objects_nest_beyond(node: &Node, limit: usize) -> bool {
    fn is_container(node: &Node) -> bool {
        matches!(node.value, Value::Array(_) | Value::Object(_))
    }
    let mut pending: Vec<(&Node, usize)> = Vec::with_capacity(64);
    pending.push((node, 0));
    while let Some((node, above)) = pending.pop() {
        match &node.value {
            Value::Array(items) => pending.extend(
                items
                    .iter()
                    .filter(|item| is_container(item))
                    .map(|item| (item, above)),
            ),
            Value::Object(members) => {
                if above >= limit {
                    return true;
                }
                pending.extend(
                    members
                        .iter()
                        .map(|(_, member)| member)
                        .filter(|member| is_container(member))
                        .map(|member| (member, above + 1)),
                );
            }
            _ => {}
        }
    }
    false
}

/// The accepted answer carrying `item` and the delta the stream handler writes for it.
/// `resource` is the stored resource `item` holds as its Resource, when it was just
/// written (`None` for an item that keeps a stored Resource).
pub fn accepted(
    status: u16,
    vaccine_type: Option<String>,
    item: EventItem,
    resource: Option<&StoredResource>,
    options: &Options,
    timestamp: i64,
) -> Answer {
    let delta = crate::delta::delta_item_of(&item, resource);
    let delta_illustrative = delta
        .as_ref()
        .map(|d| d.illustrative_json(timestamp, options.delta_ttl_days));
    Answer::Accepted {
        status,
        vaccine_type,
        item: Some(Box::new(item.into_json_texts())),
        delta: delta.map(crate::delta::DeltaItem::into_deterministic_json),
        delta_illustrative,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controller::validation::object_depth;
    use crate::json::loads;

    #[test]
    fn storable_depth_agrees_with_the_measured_depth() {
        let deep = |depth: usize| format!("{}{{}}{}", "{\"e\": ".repeat(depth), "}".repeat(depth));
        let mut texts: Vec<String> = (160..170).map(deep).collect();
        // Many braces inside strings, few objects.
        texts.push(format!("{{\"s\": \"{}\", \"t\": [{{}}]}}", "{".repeat(500)));
        texts.push(format!(
            "{{\"s\": \"{}\", \"d\": {}}}",
            "{{é".repeat(200),
            deep(170)
        ));
        texts.push("{}".to_string());
        // Empty innermost objects and arrays, which the parser does not open.
        for depth in 160..170 {
            texts.push(format!(
                "{}[]{}",
                "{\"e\": ".repeat(depth),
                "}".repeat(depth)
            ));
            texts.push(format!(
                "{}[{{}}]{}",
                "{\"e\": ".repeat(depth),
                "}".repeat(depth)
            ));
        }
        for text in &texts {
            let (node, nesting) = crate::json::loads_with_nesting(text).expect("JSON");
            let expected = object_depth(&node) <= REPOSITORY_OBJECT_DEPTH_LIMIT;
            assert_eq!(
                storable_depth(&node, text, None).is_ok(),
                expected,
                "{text:.40}"
            );
            let with_nesting = storable_depth(&node, text, Some(nesting)).is_ok();
            assert_eq!(with_nesting, expected, "{text:.40}");
        }
        assert!(braces_at_most("", 0) && braces_at_most("{{", 2) && !braces_at_most("{{{", 2));
    }

    #[test]
    fn braces_are_counted_exactly() {
        let pieces = [
            "{",
            "{{",
            "a",
            "é{",
            "\u{7b}\u{fb}",
            "{\u{ff}",
            "z{",
            "\u{0}",
            "[{}]",
        ];
        let mut text = String::new();
        for round in 0..3000 {
            text.push_str(pieces[(round * 7 + round / 3) % pieces.len()]);
            let count = text.bytes().filter(|&b| b == b'{').count();
            for count_at_most in [braces_at_most_by_bytes, braces_at_most_by_words] {
                assert!(count_at_most(&text, count), "{round}");
                assert!(!count_at_most(&text, count.wrapping_sub(1)) || count == 0);
            }
        }
        let all = "{".repeat(255 * 8 * 3 + 5);
        for count_at_most in [braces_at_most_by_bytes, braces_at_most_by_words] {
            assert!(count_at_most(&all, all.len()) && !count_at_most(&all, all.len() - 1));
        }
    }

    #[test]
    fn nesting_check_agrees_with_the_measured_depth() {
        let mut texts: Vec<String> = [
            "1",
            "\"s\"",
            "[]",
            "{}",
            "[[[]]]",
            "[{}]",
            "{\"a\": [[{\"b\": {}}]], \"c\": 1, \"d\": \"é\"}",
            "{\"a\": {\"b\": {}}, \"a\": {}}",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for depth in [1, 2, 164, 165, 166, 167, 300] {
            let nested = format!("{}{}", "{\"x\": [".repeat(depth), "]}".repeat(depth));
            texts.push(nested.replacen("[", "[1, \"t\", null, [], ", depth / 2));
            texts.push(format!(
                "{}{}",
                "{\"e\": ".repeat(depth),
                "{}".to_string() + &"}".repeat(depth)
            ));
        }
        for text in &texts {
            let node = loads(text).expect("JSON");
            let depth = object_depth(&node);
            for limit in [0, 1, 2, 3, 164, 165, 166, 299, 300, 301] {
                assert_eq!(
                    objects_nest_beyond(&node, limit),
                    depth > limit,
                    "{limit} {text:.60}"
                );
            }
        }
    }
}
