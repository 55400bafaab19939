//! Finding a contained resource (upstream `get_contained_resource`): the first
//! element of `contained` whose `resourceType` is the one asked for.

use super::pyops::Obj;
use crate::python::PyResult;

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

/// `[x for x in imms.get("contained") if x.get("resourceType") == kind][0]`:
/// `TypeError` when `contained` is missing or not iterable, `AttributeError`
/// when an element is not an object, `IndexError` when none matches.
pub(crate) fn contained_resource<'a>(imms: &Obj<'a>, kind: ContainedKind) -> PyResult<Obj<'a>> {
    let contained = match imms.get("contained")? {
        Some(value) => value,
        None => return Err(none_not_iterable()),
    };
    // The whole list is built before `[0]`: every element is asked for its `resourceType`.
    let mut found = None;
    for element in contained.iter()? {
        let matches = element
            .get("resourceType")?
            .is_some_and(|resource_type| resource_type.eq_str(kind.resource_type()));
        if matches && found.is_none() {
            found = Some(element);
        }
    }
    found.ok_or_else(list_index_out_of_range)
}

pub(crate) fn list_index_out_of_range() -> crate::python::PyException {
    crate::python::PyException::new(
        crate::python::PyExcKind::IndexError,
        "list index out of range",
    )
}

pub(crate) fn none_not_iterable() -> crate::python::PyException {
    crate::python::PyException::type_error("'NoneType' object is not iterable")
}
