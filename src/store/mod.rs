//! The event-table item `ImmunizationRepository` writes, and the stored `Resource` text.
