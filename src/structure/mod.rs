//! Structural validation as fhir.resources 7.0.2 (FHIR R4B, pydantic 1.10) performs it.
