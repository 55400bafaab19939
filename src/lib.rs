//! imms-check: the NHS Immunisation FHIR API's answer to an Immunization
//! create, update or delete, computed offline.

pub mod allocator;
pub mod api;
pub mod calendar;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod controller;
pub mod delta;
pub mod fhir_model;
pub mod json;
pub mod locate;
pub mod permissions;
pub mod postvalidation;
pub mod prevalidation;
pub mod pyfloat;
pub mod python;
pub mod raised;
mod reference;
pub mod store;
pub mod structure;
pub mod vaccine_type;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use api::{Issue, Operation, Outcome, Request};
pub use raised::{FieldError, Raised};

/// The WebAssembly module allocates through size-class slabs (see [`allocator`]).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: allocator::SlabAllocator = allocator::SlabAllocator::new();
