//! Choosing the "current" name of the contained Patient or Practitioner
//! (upstream `get_current_name_instance`, `patient_and_practitioner_value_and_index`):
//! its index places `name[i].given` / `name[i].family` in the field locations,
//! its `given` / `family` is the value mandation checks.

use super::contained::{contained_resource, ContainedKind};
use super::pyops::{compare, Comparison, Obj};
use crate::python::{PyExcKind, PyException, PyResult};

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
fn period_is_current(period: &Obj<'_>, occurrence: Option<&Obj<'_>>) -> PyResult<bool> {
    if !period.is_truthy() {
        return Ok(true);
    }
    let start = period.get("start")?.filter(|v| v.is_truthy());
    let end = period.get("end")?.filter(|v| v.is_truthy());
    let occurrence = occurrence.filter(|v| v.is_truthy());
    if let (Some(start), Some(occurrence)) = (&start, occurrence) {
        if compare(occurrence, start, Comparison::LessThan)? {
            return Ok(false);
        }
    }
    if let (Some(end), Some(occurrence)) = (&end, occurrence) {
        if compare(occurrence, end, Comparison::GreaterThan)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The index and the name chosen from `names`: the only one; else, among the
/// names having both `given` and `family` whose period is current, the first
/// `official` one, else the first not `old`, else the first; else `names[0]`.
fn current_name<'a>(names: &Obj<'a>, occurrence: Option<&Obj<'a>>) -> PyResult<(usize, Obj<'a>)> {
    if names.len()? == 1 {
        return Ok((0, names.at(0)?));
    }
    let mut complete = Vec::new();
    for (index, name) in names.iter()?.into_iter().enumerate() {
        if name.contains("given")? && name.contains("family")? {
            complete.push((index, name));
        }
    }
    let mut current = Vec::new();
    for (index, name) in complete {
        // Only dicts qualify; a failing period check skips the name only for
        // `KeyError` and `ValueError`.
        let qualifies = match &name {
            Obj::Node(node) if node.is_object() => {
                if !name.contains("period")? {
                    Ok(true)
                } else {
                    let period = name.get("period")?;
                    match period {
                        Some(period) => period_is_current(&period, occurrence),
                        None => Ok(true),
                    }
                }
            }
            _ => Ok(false),
        };
        match qualifies {
            Ok(true) => current.push((index, name)),
            Ok(false) => {}
            Err(e) if matches!(e.kind, PyExcKind::KeyError | PyExcKind::ValueError) => {}
            Err(e) => return Err(e),
        }
    }
    for (index, name) in &current {
        if name.get("use")?.is_some_and(|u| u.eq_str("official")) {
            return Ok((*index, name.clone()));
        }
    }
    for (index, name) in &current {
        if !name.get("use")?.is_some_and(|u| u.eq_str("old")) {
            return Ok((*index, name.clone()));
        }
    }
    if let Some(first) = current.into_iter().next() {
        return Ok(first);
    }
    Ok((0, names.at(0)?))
}

/// The chosen name's `given` or `family` and the chosen name's index
/// (upstream `patient_and_practitioner_value_and_index`).
pub(crate) fn name_value_and_index<'a>(
    imms: &Obj<'a>,
    part: NamePart,
    kind: ContainedKind,
) -> PyResult<(Obj<'a>, usize)> {
    let resource = contained_resource(imms, kind)?;
    let names = resource.item("name")?;
    let occurrence = imms.get("occurrenceDateTime")?;
    let (index, selected) = current_name(&names, occurrence.as_ref())?;
    Ok((selected.item(part.key())?, index))
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
    imms: &Obj<'a>,
    part: NamePart,
    kind: ContainedKind,
) -> Option<Obj<'a>> {
    name_value_and_index(imms, part, kind)
        .ok()
        .map(|(value, _)| value)
}

/// The field location of a name part (upstream `obtain_name_field_location`):
/// `contained[?(@.resourceType=='Patient')].name[i].given` with the chosen
/// name's index, or index 0 when the lookup raises `KeyError`, `IndexError` or
/// `AttributeError`. Any other exception propagates.
pub(crate) fn name_location(
    imms: &Obj<'_>,
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
