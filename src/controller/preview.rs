//! The items an accepted request writes: the event-table item and the delta
//! item the stream handler derives from it.

use super::answer::Answer;
use super::options::Options;
use crate::json::Node;
use crate::store::{self, EventItem, StoredResource};

/// Nesting of objects from which the repository's `immunization.dict()` (one
/// recursion per nested model) raises `RecursionError`: the service answers
/// 500 and writes nothing. Only nested extensions can reach it in a valid body
/// (measured against the service's code: 165 nested objects are stored, 166 are not).
pub const REPOSITORY_OBJECT_DEPTH_LIMIT: usize = 165;

/// `Immunization.parse_obj(body)` then `.json(use_decimal=True)` outside the
/// validation `try`: a failure there reaches the global handler (500).
pub fn resource(body_with_id: &Node) -> Result<StoredResource, Answer> {
    let resource = store::stored_resource(body_with_id).map_err(|_| Answer::server_error())?;
    storable_depth(body_with_id)?;
    Ok(resource)
}

/// The repository's recursion limit on nested models (500 beyond it).
pub fn storable_depth(body: &Node) -> Result<(), Answer> {
    if super::validation::object_depth(body) > REPOSITORY_OBJECT_DEPTH_LIMIT {
        Err(Answer::server_error())
    } else {
        Ok(())
    }
}

/// The accepted answer carrying `item` and the delta the stream handler writes for it.
pub fn accepted(
    status: u16,
    vaccine_type: Option<String>,
    item: &EventItem,
    options: &Options,
    timestamp: i64,
) -> Answer {
    let delta = store_delta(item);
    let (item_json, item_dynamodb) = item.to_json_pair();
    Answer::Accepted {
        status,
        vaccine_type,
        item: Some(item_json),
        item_dynamodb: Some(item_dynamodb),
        delta: delta.as_ref().map(|d| d.deterministic_json()),
        delta_illustrative: delta
            .as_ref()
            .map(|d| d.illustrative_json(timestamp, options.delta_ttl_days)),
    }
}

fn store_delta(item: &EventItem) -> Option<crate::delta::DeltaItem> {
    crate::delta::delta_item(item)
}
