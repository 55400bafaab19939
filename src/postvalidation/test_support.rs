//! Builds request trees from JSON text for the unit tests.

use crate::json::{loads, Node, Value};

pub(crate) fn node(text: &str) -> Node {
    loads(text).expect("test JSON")
}

/// A resource that passes post-validation: COVID, every mandatory field present.
pub(crate) const VALID: &str = r##"{
  "resourceType": "Immunization",
  "contained": [
    {"resourceType": "Practitioner", "id": "Pract1", "name": [{"family": "Nightingale", "given": ["Florence"]}]},
    {"resourceType": "Patient", "id": "Pat1",
     "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9000000009"}],
     "name": [{"family": "Taylor", "given": ["Sarah"]}],
     "gender": "unknown", "birthDate": "1965-02-28", "address": [{"postalCode": "EC1A 1BB"}]}
  ],
  "extension": [{"url": "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationProcedure",
    "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "1324681000000101"}]}}],
  "identifier": [{"system": "https://supplierABC/identifiers/vacc", "value": "ACME-vacc123456"}],
  "status": "completed",
  "patient": {"reference": "#Pat1"},
  "occurrenceDateTime": "2021-02-07T13:28:17+00:00",
  "recorded": "2021-02-07T13:28:17+00:00",
  "primarySource": true,
  "location": {"identifier": {"value": "X99999", "system": "https://fhir.nhs.uk/Id/ods-organization-code"}},
  "performer": [
    {"actor": {"reference": "#Pract1"}},
    {"actor": {"type": "Organization", "identifier": {"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "B0C4P"}}}
  ],
  "protocolApplied": [{"targetDisease": [{"coding": [{"system": "http://snomed.info/sct", "code": "840539006"}]}], "doseNumberPositiveInt": 1}]
}"##;

/// `VALID` with `edit` applied to its tree.
pub(crate) fn valid_with(edit: impl FnOnce(&mut Node)) -> Node {
    let mut imms = node(VALID);
    edit(&mut imms);
    imms
}

/// The node at a path of keys and indices (`"contained/1/name"`), for editing.
pub(crate) fn at<'a>(root: &'a mut Node, path: &str) -> &'a mut Node {
    let mut current = root;
    for step in path.split('/') {
        current = match (&mut current.value, step.parse::<usize>()) {
            (Value::Array(items), Ok(i)) => &mut items[i],
            (Value::Object(members), _) => {
                &mut members
                    .iter_mut()
                    .find(|(k, _)| k == step)
                    .expect("test path")
                    .1
            }
            _ => panic!("test path {path}"),
        };
    }
    current
}

/// Removes `key` from the object at `path` (empty path: the root).
pub(crate) fn remove(root: &mut Node, path: &str, key: &str) {
    let target = if path.is_empty() {
        root
    } else {
        at(root, path)
    };
    if let Value::Object(members) = &mut target.value {
        members.retain(|(k, _)| k != key);
    }
}
