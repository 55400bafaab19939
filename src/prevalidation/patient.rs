//! Upstream `pre_validate_patient_*`: the contained Patient's identifier, name,
//! birth date, gender and address.

use super::checks::{
    for_date, for_list, for_nhs_number, for_string, for_string_with, ListRules, StringRules,
};
use super::constants::{
    FAMILY_NAME_MAX_LENGTH, GENDERS, GIVEN_NAME_ELEMENT_MAX_LENGTH, NHS_NUMBER,
};
use super::generic::{find_get_eq, name_field_location, patient_and_practitioner_value_and_index};
use super::lookups::{Contained, Field, Lookups};
use super::Context;
use crate::python::{try_except, PyExcKind, PyException, PyResult, PyVal};

const KEY_INDEX: &[PyExcKind] = &[PyExcKind::KeyError, PyExcKind::IndexError];
const KEY_INDEX_ATTRIBUTE: &[PyExcKind] = &[
    PyExcKind::KeyError,
    PyExcKind::IndexError,
    PyExcKind::AttributeError,
];

/// `[x for x in values["contained"] if x.get("resourceType") == "Patient"][0][key]`,
/// `None` where that raises `KeyError` or `IndexError` (which every caller's
/// `except` swallows); other exceptions are raised.
fn patient_key<'a>(values: &Lookups<'a>, key: &str) -> PyResult<Option<PyVal<'a>>> {
    if values.lookup(Field::Contained)?.is_none() {
        return Ok(None);
    }
    values.contained_key(Contained::Patient, key)
}

/// Runs a validator body, swallowing the exceptions its `except` names and
/// locating the ones that escape.
fn guarded(
    location: &str,
    kinds: &[PyExcKind],
    body: impl FnOnce() -> PyResult<()>,
) -> PyResult<()> {
    try_except(kinds, body)
        .map(|_| ())
        .map_err(|e| e.at(location))
}

/// `identifier[0]` of the contained Patient must not carry an `extension`.
pub fn pre_validate_patient_identifier_extension(
    imms: &Lookups<'_>,
    _ctx: &Context,
) -> PyResult<()> {
    let values = imms;
    let location = "contained[?(@.resourceType=='Patient')].identifier[0]";
    guarded(location, KEY_INDEX, || {
        let Some(identifiers) = patient_key(values, "identifier")? else {
            return Ok(());
        };
        let identifier = identifiers.index(0)?;
        if identifier.contains_str("extension")? {
            return Err(PyException::value_error(format!(
                "{location} must not include an extension"
            )));
        }
        Ok(())
    })
}

/// The contained Patient's `identifier`, when present, is a list of length 1.
pub fn pre_validate_patient_identifier(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let location = "contained[?(@.resourceType=='Patient')].identifier";
    guarded(location, KEY_INDEX, || {
        let Some(field_value) = patient_key(values, "identifier")? else {
            return Ok(());
        };
        for_list(
            &field_value,
            location,
            &ListRules {
                defined_length: Some(1),
                ..ListRules::default()
            },
        )
    })
}

/// `identifier[0].system` of the contained Patient, when present, is a non-empty string.
pub fn pre_validate_patient_identifier_system(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let location = "contained[?(@.resourceType=='Patient')].identifier[0].system";
    guarded(location, KEY_INDEX, || {
        let Some(identifiers) = patient_key(values, "identifier")? else {
            return Ok(());
        };
        let Some(field_value) = identifiers.index(0)?.lookup("system")? else {
            return Ok(());
        };
        for_string(&field_value, location)
    })
}

/// `identifier[0].system` of the contained Patient, when present, is the NHS number system.
pub fn pre_validate_patient_identifier_nhs_system(
    imms: &Lookups<'_>,
    _ctx: &Context,
) -> PyResult<()> {
    let values = imms;
    let location = "contained[?(@.resourceType=='Patient')].identifier[0].system";
    guarded(location, KEY_INDEX, || {
        let Some(identifiers) = patient_key(values, "identifier")? else {
            return Ok(());
        };
        let Some(field_value) = identifiers.index(0)?.lookup("system")? else {
            return Ok(());
        };
        if !field_value.eq_str(NHS_NUMBER) {
            return Err(PyException::value_error(format!(
                "{location} must equal '{NHS_NUMBER}'"
            )));
        }
        Ok(())
    })
}

/// The NHS number, when present, is 10 characters without spaces passing the modulus 11 check.
pub fn pre_validate_patient_identifier_value(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let location =
        "contained[?(@.resourceType=='Patient')].identifier[?(@.system=='https://fhir.nhs.uk/Id/nhs-number')].value";
    guarded(location, KEY_INDEX, || {
        let Some(identifiers) = patient_key(values, "identifier")? else {
            return Ok(());
        };
        let Some(identifier) = find_get_eq(&identifiers, "system", NHS_NUMBER)? else {
            return Ok(());
        };
        let Some(field_value) = identifier.lookup("value")? else {
            return Ok(());
        };
        for_string_with(
            &field_value,
            location,
            &StringRules {
                defined_length: Some(10),
                no_spaces: true,
                ..StringRules::default()
            },
        )?;
        for_nhs_number(field_value.as_str().unwrap_or_default(), location)
    })
}

/// The contained Patient's `name`, when present, is a non-empty list of non-empty objects.
pub fn pre_validate_patient_name(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let location = "contained[?(@.resourceType=='Patient')].name";
    guarded(location, KEY_INDEX, || {
        let Some(field_value) = patient_key(values, "name")? else {
            return Ok(());
        };
        for_list(
            &field_value,
            location,
            &ListRules {
                elements_are_dicts: true,
                ..ListRules::default()
            },
        )
    })
}

/// The current name's `given`, when present, is a list of at most 5 non-empty
/// strings of at most 180 characters.
pub fn pre_validate_patient_name_given(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let found = patient_and_practitioner_value_and_index(values, "given", Contained::Patient);
    let location = name_field_location(&found, "Patient", "given")
        .map_err(|e| e.at("contained[?(@.resourceType=='Patient')].name"))?;
    guarded(&location, KEY_INDEX_ATTRIBUTE, || {
        let (field_value, _) = found?;
        for_list(
            &field_value,
            &location,
            &ListRules {
                elements_are_strings: true,
                max_length: Some(5),
                string_element_max_length: Some(GIVEN_NAME_ELEMENT_MAX_LENGTH),
                ..ListRules::default()
            },
        )
    })
}

/// The current name's `family`, when present, is a non-empty string of at most 35 characters.
pub fn pre_validate_patient_name_family(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let found = patient_and_practitioner_value_and_index(values, "family", Contained::Patient);
    let location = name_field_location(&found, "Patient", "family")
        .map_err(|e| e.at("contained[?(@.resourceType=='Patient')].name"))?;
    guarded(&location, KEY_INDEX_ATTRIBUTE, || {
        let (field_value, _) = found?;
        for_string_with(
            &field_value,
            &location,
            &StringRules {
                max_length: Some(FAMILY_NAME_MAX_LENGTH),
                ..StringRules::default()
            },
        )
    })
}

/// `birthDate`, when present, is a `YYYY-MM-DD` date not in the future.
pub fn pre_validate_patient_birth_date(imms: &Lookups<'_>, ctx: &Context) -> PyResult<()> {
    let values = imms;
    let location = "contained[?(@.resourceType=='Patient')].birthDate";
    guarded(location, KEY_INDEX, || {
        let Some(field_value) = patient_key(values, "birthDate")? else {
            return Ok(());
        };
        for_date(&field_value, location, false, ctx)
    })
}

/// `gender`, when present, is one of male, female, other, unknown.
pub fn pre_validate_patient_gender(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let location = "contained[?(@.resourceType=='Patient')].gender";
    guarded(location, KEY_INDEX, || {
        let Some(field_value) = patient_key(values, "gender")? else {
            return Ok(());
        };
        for_string_with(
            &field_value,
            location,
            &StringRules {
                predefined_values: Some(GENDERS),
                ..StringRules::default()
            },
        )
    })
}

/// `address`, when present, is a non-empty list.
pub fn pre_validate_patient_address(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let location = "contained[?(@.resourceType=='Patient')].address";
    guarded(location, KEY_INDEX, || {
        let Some(field_value) = patient_key(values, "address")? else {
            return Ok(());
        };
        for_list(&field_value, location, &ListRules::default())
    })
}

/// The address postal code: when one address has `postalCode` it must be a
/// non-empty string; when several do, the first truthy one (or `""`) is checked.
pub fn pre_validate_patient_address_postal_code(
    imms: &Lookups<'_>,
    _ctx: &Context,
) -> PyResult<()> {
    let values = imms;
    let location = "contained[?(@.resourceType=='Patient')].address[0].postalCode";
    guarded(location, KEY_INDEX, || {
        let mut postal_codes = Vec::new();
        let Some(addresses) = patient_key(values, "address")? else {
            return Ok(());
        };
        for address in addresses.iter()? {
            if address.contains_str("postalCode")? {
                postal_codes.push(address.getitem("postalCode")?);
            }
        }
        match postal_codes.len() {
            0 => Ok(()),
            1 => for_string(&postal_codes[0], location),
            _ => {
                let non_empty = postal_codes
                    .iter()
                    .find(|code| code.truthy())
                    .cloned()
                    .unwrap_or(PyVal::str(""));
                for_string(&non_empty, location)
            }
        }
    })
}
