//! The items an accepted request writes: the event-table item and the delta
//! item the stream handler derives from it.

use super::answer::Answer;
use super::options::Options;
use crate::json::Node;
use crate::store::{self, EventItem, StoredResource};

/// `Immunization.parse_obj(body)` then `.json(use_decimal=True)` outside the
/// validation `try`: a failure there reaches the global handler (500).
pub fn resource(body_with_id: &Node) -> Result<StoredResource, Answer> {
    store::stored_resource(body_with_id).map_err(|_| Answer::server_error())
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
    Answer::Accepted {
        status,
        vaccine_type,
        item: Some(item.to_json()),
        item_dynamodb: Some(item.to_dynamodb_json()),
        delta: delta.as_ref().map(|d| d.deterministic_json()),
        delta_illustrative: delta
            .as_ref()
            .map(|d| d.illustrative_json(timestamp, options.delta_ttl_days)),
    }
}

fn store_delta(item: &EventItem) -> Option<crate::delta::DeltaItem> {
    crate::delta::delta_item(item)
}
