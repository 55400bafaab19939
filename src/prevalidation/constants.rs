//! Reference values of upstream `common.models.constants` the pre-validators use.

/// `Urls.NHS_NUMBER`
pub const NHS_NUMBER: &str = "https://fhir.nhs.uk/Id/nhs-number";
/// `Urls.VACCINATION_PROCEDURE`
pub const VACCINATION_PROCEDURE: &str =
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationProcedure";
/// The vaccination situation extension URL.
pub const VACCINATION_SITUATION: &str =
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationSituation";
/// `Urls.SNOMED`
pub const SNOMED: &str = "http://snomed.info/sct";
/// `Urls.ODS_ORGANIZATION_CODE`
pub const ODS_ORGANIZATION_CODE: &str = "https://fhir.nhs.uk/Id/ods-organization-code";

/// `Constants.STATUSES`
pub const STATUSES: &[&str] = &["completed"];
/// `Constants.GENDERS`
pub const GENDERS: &[&str] = &["male", "female", "other", "unknown"];
/// `Constants.EXTENSION_URL`
pub const EXTENSION_URL: &[&str] = &[VACCINATION_PROCEDURE];
/// `Constants.ALLOWED_CONTAINED_RESOURCES`
pub const ALLOWED_CONTAINED_RESOURCES: &[&str] = &["Practitioner", "Patient"];
/// `Constants.FAMILY_NAME_MAX_LENGTH`
pub const FAMILY_NAME_MAX_LENGTH: usize = 35;
/// `Constants.GIVEN_NAME_ELEMENT_MAX_LENGTH`
pub const GIVEN_NAME_ELEMENT_MAX_LENGTH: usize = 180;

const IMMUNIZATION_KEYS: &[&str] = &[
    "resourceType",
    "meta",
    "narrative",
    "contained",
    "id",
    "extension",
    "identifier",
    "status",
    "vaccineCode",
    "patient",
    "occurrenceDateTime",
    "recorded",
    "primarySource",
    "manufacturer",
    "location",
    "lotNumber",
    "expirationDate",
    "site",
    "route",
    "doseQuantity",
    "performer",
    "reasonCode",
    "protocolApplied",
];
const PRACTITIONER_KEYS: &[&str] = &["resourceType", "id", "name"];
const PATIENT_KEYS: &[&str] = &[
    "resourceType",
    "id",
    "identifier",
    "name",
    "gender",
    "birthDate",
    "address",
];

/// `key in Constants.ALLOWED_KEYS[resource_type]` (nothing is allowed for any
/// other resource type); the same sets as [`allowed_keys`], matched without a scan.
pub fn is_allowed_key(resource_type: &str, key: &str) -> bool {
    match resource_type {
        "Immunization" => matches!(
            key,
            "resourceType"
                | "meta"
                | "narrative"
                | "contained"
                | "id"
                | "extension"
                | "identifier"
                | "status"
                | "vaccineCode"
                | "patient"
                | "occurrenceDateTime"
                | "recorded"
                | "primarySource"
                | "manufacturer"
                | "location"
                | "lotNumber"
                | "expirationDate"
                | "site"
                | "route"
                | "doseQuantity"
                | "performer"
                | "reasonCode"
                | "protocolApplied"
        ),
        "Practitioner" => matches!(key, "resourceType" | "id" | "name"),
        "Patient" => matches!(
            key,
            "resourceType" | "id" | "identifier" | "name" | "gender" | "birthDate" | "address"
        ),
        _ => false,
    }
}

/// `Constants.ALLOWED_KEYS[resource_type]` (empty for any other resource type).
pub fn allowed_keys(resource_type: &str) -> &'static [&'static str] {
    match resource_type {
        "Immunization" => IMMUNIZATION_KEYS,
        "Practitioner" => PRACTITIONER_KEYS,
        "Patient" => PATIENT_KEYS,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_key_match_is_the_allowed_key_lists() {
        let types = ["Immunization", "Practitioner", "Patient", "Location", ""];
        let mut keys: Vec<&str> = IMMUNIZATION_KEYS
            .iter()
            .chain(PRACTITIONER_KEYS)
            .chain(PATIENT_KEYS)
            .copied()
            .collect();
        keys.extend(["", "Id", "resourcetype", "names", "gender ", "text"]);
        for resource_type in types {
            for key in &keys {
                assert_eq!(
                    is_allowed_key(resource_type, key),
                    allowed_keys(resource_type).contains(key),
                    "{resource_type} {key}"
                );
            }
        }
    }
}
