//! Choosing the "current" name of the contained Patient or Practitioner
//! (upstream `get_current_name_instance`, `patient_and_practitioner_value_and_index`):
//! its index places `name[i].given` / `name[i].family` in the field locations,
//! its `given` / `family` is the value mandation checks.

use super::contained::{contained_resource, ContainedKind};
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

/// Whether a name's `period` covers the vaccination date (upstream
/// `obtain_current_name_period`): no period, or an empty one, is current; a
/// date before `start` or after `end` is not. Dates compare as Python compares
/// the raw values (strings by code point).
fn period_is_current(period: &PyVal<'_>, occurrence: &PyVal<'_>) -> PyResult<bool> {
    if !period.truthy() {
        return Ok(true);
    }
    let start = period.get("start")?;
    let end = period.get("end")?;
    if start.truthy() && occurrence.truthy() && occurrence.lt(&start)? {
        return Ok(false);
    }
    if end.truthy() && occurrence.truthy() && occurrence.gt(&end)? {
        return Ok(false);
    }
    Ok(true)
}

/// The index and the name chosen from `names`: the only one; else, among the
/// names having both `given` and `family` whose period is current, the first
/// `official` one, else the first not `old`, else the first; else `names[0]`.
fn current_name<'a>(names: &PyVal<'a>, occurrence: &PyVal<'a>) -> PyResult<(usize, PyVal<'a>)> {
    if names.py_len()? == 1 {
        return Ok((0, names.index(0)?));
    }
    let mut complete = Vec::new();
    for (index, name) in names.iter()?.into_iter().enumerate() {
        if name.contains_str("given")? && name.contains_str("family")? {
            complete.push((index, name));
        }
    }
    let mut current = Vec::new();
    for (index, name) in complete {
        // Only dicts qualify; a failing period check skips the name only for
        // `KeyError` and `ValueError`.
        let qualifies = if !name.is_dict() {
            Ok(false)
        } else if !name.contains_str("period")? {
            Ok(true)
        } else {
            name.get_or("period", PyVal::EmptyDict)
                .and_then(|period| period_is_current(&period, occurrence))
        };
        match qualifies {
            Ok(true) => current.push((index, name)),
            Ok(false) => {}
            Err(e) if matches!(e.kind, PyExcKind::KeyError | PyExcKind::ValueError) => {}
            Err(e) => return Err(e),
        }
    }
    for (index, name) in &current {
        if name.get("use")?.eq_str("official") {
            return Ok((*index, name.clone()));
        }
    }
    for (index, name) in &current {
        if !name.get("use")?.eq_str("old") {
            return Ok((*index, name.clone()));
        }
    }
    if let Some(first) = current.into_iter().next() {
        return Ok(first);
    }
    Ok((0, names.index(0)?))
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
    let (index, selected) = current_name(&names, &occurrence)?;
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
