//! The event-table item `ImmunizationRepository` writes, and the stored `Resource` text.
//!
//! # Use
//! ```text
//! // create (body accepted by validation; `id` = the uuid the service assigns)
//! let mut body = request_body.clone();          // the ORIGINAL body, not the validation copy
//! body.set("id", Node::synthetic(Value::Str(id.into())));
//! let resource = store::stored_resource(&body)?; // Immunization.parse_obj(body).json(use_decimal=True)
//! let item = store::create_item(&resource, &id, &vaccine_type, supplier)?;
//! item.to_json();            // {"PK": "Immunization#…", …, "Version": 1, "SupplierSystem": "…"}
//! item.to_dynamodb_json();   // {"PK": {"S": "…"}, …, "Version": {"N": "1"}, …}
//!
//! // update of `stored` (or a create whose identifier matches a logically deleted record:
//! // then `id` is the stored resource's id and the service answers 201)
//! let item = store::update_item(&resource, &id, &vaccine_type, supplier, timestamp, &stored)?;
//!
//! // logical delete (None: already deleted, the service answers 404)
//! let item = store::delete_item(&stored, supplier, timestamp);
//! ```
//! `stored` is the record as the table holds it, an [`EventItem`]; [`seeded_record`]
//! builds one from a body the way the conformance corpus defines the stored record of
//! an update. [`EventItem::is_deleted`] / [`EventItem::is_reinstated`] give the state the
//! service branches on (a deleted record is reinstated by update without a version check;
//! otherwise the E-Tag must equal [`EventItem::version`]). [`stored_resource_id`] is the id a
//! reinstating create keeps; [`stored_identifier`] is the identifier an update must match.
//! [`EventItem::to_raw_json`] fills `Outcome::item`; `crate::delta::delta_item(&item)`
//! gives the delta-table item.
//!
//! The vaccine type for `PatientSK` is the one the service derives from the target
//! diseases (`crate::vaccine_type`); the resource tree in [`StoredResource::tree`] is what
//! upstream reads it from (`immunization.dict()`, which holds the same values as the
//! stored text read back).
//!
//! Errors: [`stored_resource`] fails ([`NotStorable`]) only for bodies fhir.resources
//! rejects; [`create_item`] / [`update_item`] fail with an [`Uncaught`] Python exception
//! (the service answers 500) when the stored tree has no contained Patient or no identifier,
//! or the Patient's first identifier is `null`.

mod item;
mod keys;
pub mod limits;
mod plan;
pub mod primitive;
pub mod pydatetime;
pub mod pyjson;
pub mod pynum;
#[cfg(test)]
mod reference_tree;
mod render;
mod resource;

pub use item::{
    create_item, create_item_taking, delete_item, seeded_record, stored_identifier,
    stored_resource_id, update_item, Attr, DeletedAt, EventItem, ItemTexts,
};
pub use keys::{identifier_pk, nhs_number, Uncaught};
pub use resource::{stored_resource, NotStorable, StoredResource};
