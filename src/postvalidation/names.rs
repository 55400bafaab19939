//! The "current" name of the contained Patient or Practitioner (chosen by
//! `prevalidation::generic::get_current_name_instance`, upstream's shared helper)
//! as post-validation reads it (upstream `patient_and_practitioner_value_and_index`):
//! its index places `name[i].given` / `name[i].family` in the field locations,
//! its `given` / `family` is the value mandation checks.

use super::contained::{contained_resource, ContainedKind};
use crate::prevalidation::generic::get_current_name_instance;
use crate::python::{PyExcKind, PyException, PyResult, PyVal};

/// Which part of a name is wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamePart {
    Given,
    Family,
}

impl NamePart {
    pub fn key(self) -> &'static str {
        match self {
            NamePart::Given => "given",
            NamePart::Family => "family",
        }
    }
}

/// The chosen name's `given` or `family` and the chosen name's index
/// (upstream `patient_and_practitioner_value_and_index`).
pub(crate) fn name_value_and_index<'a>(
    imms: &PyVal<'a>,
    part: NamePart,
    kind: ContainedKind,
) -> PyResult<(PyVal<'a>, usize)> {
    let resource = contained_resource(imms, kind)?;
    let names = resource.getitem("name")?;
    let occurrence = imms.get("occurrenceDateTime")?;
    let (index, selected) = get_current_name_instance(&names, &occurrence)?;
    Ok((selected.getitem(part.key())?, index))
}

/// Whether the name lookups' own `except (KeyError, IndexError, AttributeError)` catches it.
pub(crate) fn is_lookup_error(e: &PyException) -> bool {
    matches!(
        e.kind,
        PyExcKind::KeyError | PyExcKind::IndexError | PyExcKind::AttributeError
    )
}

/// The value mandation checks for a name part (upstream `ObtainFieldValue.patient_name_given`
/// and siblings): absent when the lookup fails in any way.
pub(crate) fn name_value<'a>(
    imms: &PyVal<'a>,
    part: NamePart,
    kind: ContainedKind,
) -> Option<PyVal<'a>> {
    name_value_and_index(imms, part, kind)
        .ok()
        .map(|(value, _)| value)
}

/// The field location of a name part (upstream `obtain_name_field_location`):
/// `contained[?(@.resourceType=='Patient')].name[i].given` with the chosen
/// name's index, or index 0 when the lookup raises `KeyError`, `IndexError` or
/// `AttributeError`. Any other exception propagates.
pub(crate) fn name_location(
    imms: &PyVal<'_>,
    part: NamePart,
    kind: ContainedKind,
) -> PyResult<String> {
    let index = match name_value_and_index(imms, part, kind) {
        Ok((_, index)) => index,
        Err(e) if is_lookup_error(&e) => 0,
        Err(e) => return Err(e),
    };
    Ok(format!(
        "contained[?(@.resourceType=='{}')].name[{index}].{}",
        kind.resource_type(),
        part.key()
    ))
}
