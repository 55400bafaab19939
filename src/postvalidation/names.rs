//! The "current" name of the contained Patient or Practitioner (chosen by
//! `prevalidation::generic::get_current_name_instance`, upstream's shared helper)
//! as post-validation reads it (upstream `patient_and_practitioner_value_and_index`):
//! its index places `name[i].given` / `name[i].family` in the field locations,
//! its `given` / `family` is the value mandation checks.

use std::borrow::Cow;

use super::contained::{contained_resource, ContainedKind};
use crate::prevalidation::generic::{generate_field_location_for_name, get_current_name_instance};
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

/// Whether the name lookups' own `except (KeyError, IndexError, AttributeError)` catches it.
pub(crate) fn is_lookup_error(e: &PyException) -> bool {
    matches!(
        e.kind,
        PyExcKind::KeyError | PyExcKind::IndexError | PyExcKind::AttributeError
    )
}

/// The current name of one contained resource, worked out once for both name
/// parts: the part of upstream `patient_and_practitioner_value_and_index` that
/// does not depend on the part asked for.
pub(crate) struct CurrentName<'a> {
    kind: ContainedKind,
    /// The chosen name's index and value; `Ok(None)` where the lookup raised
    /// `KeyError`, `IndexError` or `AttributeError`; other exceptions as raised.
    chosen: PyResult<Option<(usize, PyVal<'a>)>>,
}

impl<'a> CurrentName<'a> {
    /// Finds the contained resource of `kind` and its current name.
    pub(crate) fn of(imms: &PyVal<'a>, kind: ContainedKind) -> Self {
        let chosen = (|| {
            let Some(resource) = contained_resource(imms, kind)? else {
                return Ok(None);
            };
            let Some(names) = resource.lookup("name")? else {
                return Ok(None);
            };
            let occurrence = imms.get("occurrenceDateTime")?;
            get_current_name_instance(&names, &occurrence).map(Some)
        })();
        let chosen = match chosen {
            Err(e) if is_lookup_error(&e) => Ok(None),
            other => other,
        };
        CurrentName { kind, chosen }
    }

    /// The value mandation checks for a name part (upstream `ObtainFieldValue.patient_name_given`
    /// and siblings): absent when the lookup fails in any way.
    pub(crate) fn value(&self, part: NamePart) -> Option<PyVal<'a>> {
        match &self.chosen {
            Ok(Some((_, name))) => name.lookup(part.key()).ok().flatten(),
            _ => None,
        }
    }

    /// The field location of a name part (upstream `obtain_name_field_location`):
    /// `contained[?(@.resourceType=='Patient')].name[i].given` with the chosen
    /// name's index, or index 0 when the lookup raises `KeyError`, `IndexError` or
    /// `AttributeError`. Any other exception propagates.
    pub(crate) fn location(&self, part: NamePart) -> PyResult<Cow<'static, str>> {
        let index = match &self.chosen {
            Err(e) => return Err(e.clone()),
            Ok(None) => 0,
            Ok(Some((index, name))) => match name.lookup(part.key()) {
                Ok(Some(_)) => *index,
                Ok(None) => 0,
                Err(e) if is_lookup_error(&e) => 0,
                Err(e) => return Err(e),
            },
        };
        Ok(generate_field_location_for_name(
            index,
            part.key(),
            self.kind.resource_type(),
        ))
    }
}
