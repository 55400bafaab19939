//! The stored `Resource` text: upstream `ImmunizationRepository` writes
//! `Immunization.parse_obj(body).json(use_decimal=True)` (fhir.resources 7.0.2),
//! i.e. the request body re-serialised by the FHIR model:
//!
//! - every object's elements in the model's element order (`resourceType` first for
//!   resources, a primitive's `_name` companion right after it, `fhir_comments` last);
//! - primitives as fhir.resources keeps them (see [`super::primitive`]): dateTimes
//!   re-rendered by `isoformat()`, decimals as `str(Decimal)`, coerced strings/ints;
//! - `null` elements, empty objects and empty lists dropped (an empty object inside a
//!   list becomes `null`);
//! - keys given by their Python attribute name (`class_fhir`, `status__ext`) written
//!   under their JSON name;
//! - `simplejson` text with `", "`/`": "` separators and `ensure_ascii`
//!   (see [`super::pyjson`]).
//!
//! The text is written directly from the body (see [`super::render`]); the keys the
//! repository derives from `immunization.dict()` are read from the body the same way
//! (see [`super::keys::RecordFacts`]).

use super::keys::{RecordFacts, Uncaught};
use super::plan;
use super::render::{err, Path, Renderer};
use crate::delta::doc::Slot;
use crate::json::Node;

/// Why a body cannot be re-serialised (fhir.resources would have rejected it: the
/// service's validation answers before the repository is reached).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotStorable {
    /// Dotted path of the offending value.
    pub path: String,
    pub reason: String,
}

/// The resource as stored: its exact text, and what the repository reads from
/// `immunization.dict()` for the item's keys.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredResource {
    /// The text, until an item takes it ([`StoredResource::take_text`]).
    pub text: String,
    /// The length of the text as written (kept when an item takes the text).
    len: usize,
    pub(super) facts: RecordFacts,
    /// The tape the delta's reader reads from `text` ([`crate::delta::doc`]),
    /// recorded while writing it; `None` where the writer could not tell.
    tape: Option<Vec<Slot>>,
}

impl StoredResource {
    /// The resource as the table gives it back (`json.loads(Resource)`).
    pub fn tree(&self) -> Option<Node> {
        crate::json::loads(&self.text).ok()
    }

    /// The tape of `text` as the delta's reader records it, when known: for `text`,
    /// which must be this resource's text (as an item stores it).
    pub fn tape_of(&self, text: &str) -> Option<&[Slot]> {
        debug_assert!(
            self.text.is_empty() || text == self.text,
            "the tape of another text"
        );
        if text.len() != self.len {
            return None;
        }
        self.tape.as_deref()
    }

    /// The text, moved out for the item that stores it (which then holds the only
    /// copy); the tape and the keys stay.
    pub(super) fn take_text(&mut self) -> String {
        std::mem::take(&mut self.text)
    }

    /// `<identifier[0].system>#<identifier[0].value>` of the stored resource
    /// (see [`super::identifier_pk`]).
    pub fn identifier_pk(&self) -> Result<String, Uncaught> {
        self.facts.identifier_pk.clone()
    }
}

/// Re-serialises an Immunization body (with its `id` already set) as the repository
/// stores it.
pub fn stored_resource(body: &Node) -> Result<StoredResource, NotStorable> {
    let class = plan::known().immunization.ok_or_else(|| NotStorable {
        path: String::new(),
        reason: "model table lacks Immunization".into(),
    })?;
    let capacity = body.span.end.saturating_sub(body.span.start) * 5 / 4 + 256;
    let mut renderer = Renderer::with_capacity(capacity);
    renderer.root(body, class)?;
    let facts =
        RecordFacts::of_body(body, class, &mut renderer).map_err(|e| err(&Path::Root, e))?;
    let (text, tape) = renderer.finish();
    Ok(StoredResource {
        len: text.len(),
        text,
        facts,
        tape,
    })
}

#[cfg(test)]
#[path = "resource_tests.rs"]
mod tests;
