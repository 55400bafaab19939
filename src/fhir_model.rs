//! The FHIR R4B type model fhir.resources 7.0.2 uses: elements of every type involved,
//! in element order, with their types, cardinality and choice groups.
