//! Finding a contained resource (upstream `get_contained_resource`): the first
//! element of `contained` whose `resourceType` is the one asked for.

use crate::python::{PyResult, PyVal};

/// The contained resource kinds the post-validators look up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainedKind {
    Patient,
    Practitioner,
}

impl ContainedKind {
    pub fn resource_type(self) -> &'static str {
        match self {
            ContainedKind::Patient => "Patient",
            ContainedKind::Practitioner => "Practitioner",
        }
    }
}

/// `[x for x in items if keep(x)][0]`, `None` where that raises `IndexError`
/// (nothing kept): every element is tested before the first kept one is taken,
/// so a later element can still raise.
pub(crate) fn first_where<'a>(
    items: &PyVal<'a>,
    mut keep: impl FnMut(&PyVal<'a>) -> PyResult<bool>,
) -> PyResult<Option<PyVal<'a>>> {
    let mut found = None;
    for item in items.iter()? {
        if keep(&item)? && found.is_none() {
            found = Some(item);
        }
    }
    Ok(found)
}

/// `x.get(key) == text`
pub(crate) fn get_equals(x: &PyVal<'_>, key: &str, text: &str) -> PyResult<bool> {
    Ok(x.get(key)?.eq_str(text))
}

/// `[x for x in imms.get("contained") if x.get("resourceType") == kind][0]`:
/// `TypeError` when `contained` is missing or not iterable, `AttributeError`
/// when an element is not an object, `None` (upstream's `IndexError`) when none matches.
#[cfg(test)]
pub(crate) fn contained_resource<'a>(
    imms: &PyVal<'a>,
    kind: ContainedKind,
) -> PyResult<Option<PyVal<'a>>> {
    first_where(&imms.get("contained")?, |x| {
        get_equals(x, "resourceType", kind.resource_type())
    })
}
