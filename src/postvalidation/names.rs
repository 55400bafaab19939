//! The "current" name of the contained Patient or Practitioner (chosen by
//! `prevalidation::generic::get_current_name_instance`, upstream's shared helper)
//! as post-validation reads it (upstream `patient_and_practitioner_value_and_index`):
//! its index places `name[i].given` / `name[i].family` in the field locations,
//! its `given` / `family` is the value mandation checks.

#[cfg(test)]
use super::contained::contained_resource;
use super::contained::ContainedKind;
#[cfg(test)]
use crate::prevalidation::generic::get_current_name_instance;
use crate::prevalidation::lookups::{Contained, Lookups};
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
    /// The chosen name's index and value; `Ok(None)` where the lookup raised
    /// `KeyError`, `IndexError` or `AttributeError`; other exceptions as raised.
    chosen: PyResult<Option<(usize, PyVal<'a>)>>,
}

impl<'a> CurrentName<'a> {
    /// Finds the contained resource of `kind` and its current name.
    #[cfg(test)]
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
        CurrentName { chosen }
    }

    /// The current name pre-validation found for the contained resource of
    /// `kind` (the same lookup: where it raised a `KeyError` or `IndexError` —
    /// no such resource, no `name` — or an `AttributeError`, there is none).
    pub(crate) fn shared(imms: &Lookups<'a>, kind: ContainedKind) -> Self {
        let shared_kind = match kind {
            ContainedKind::Patient => Contained::Patient,
            ContainedKind::Practitioner => Contained::Practitioner,
        };
        let chosen = match imms.current_name(shared_kind) {
            Ok(found) => Ok(Some(found)),
            Err(e) if is_lookup_error(&e) => Ok(None),
            Err(e) => Err(e),
        };
        CurrentName { chosen }
    }

    /// The value mandation checks for a name part (upstream `ObtainFieldValue.patient_name_given`
    /// and siblings): absent when the lookup fails in any way.
    pub(crate) fn value(&self, part: NamePart) -> Option<PyVal<'a>> {
        match &self.chosen {
            Ok(Some((_, name))) => name.lookup(part.key()).ok().flatten(),
            _ => None,
        }
    }

    /// The name index in the field location of a name part (upstream
    /// `obtain_name_field_location`: `contained[?(@.resourceType=='Patient')].name[i].given`):
    /// the chosen name's index, or 0 when the lookup raises `KeyError`,
    /// `IndexError` or `AttributeError`. Any other exception propagates.
    pub(crate) fn location_index(&self, part: NamePart) -> PyResult<usize> {
        Ok(match &self.chosen {
            Err(e) => return Err(e.clone()),
            Ok(None) => 0,
            Ok(Some((index, name))) => match name.lookup(part.key()) {
                Ok(Some(_)) => *index,
                Ok(None) => 0,
                Err(e) if is_lookup_error(&e) => 0,
                Err(e) => return Err(e),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::loads;

    fn summary(name: &CurrentName<'_>) -> String {
        let chosen = match &name.chosen {
            Ok(Some((index, value))) => format!("{index} {:?}", value.py_repr()),
            Ok(None) => "none".to_string(),
            Err(e) => format!("{e:?}"),
        };
        let locations = [NamePart::Given, NamePart::Family].map(|part| name.location_index(part));
        format!("{chosen} {locations:?}")
    }

    /// The current name taken from pre-validation's shared lookup is the one
    /// post-validation's own lookup finds, whatever the body holds.
    #[test]
    fn shared_current_name_is_the_own_lookup() {
        let bodies = [
            r#"{"contained": [{"resourceType": "Patient", "name": [{"given": ["A"], "family": "B"}]}]}"#,
            r#"{"contained": [{"resourceType": "Patient"}]}"#,
            r#"{"contained": [{"resourceType": "Practitioner", "name": 5}]}"#,
            r#"{"contained": [5, {"resourceType": "Patient", "name": []}]}"#,
            r#"{"contained": 7}"#,
            r#"{"contained": null}"#,
            r#"{}"#,
            r#"[]"#,
            r#""x""#,
            r#"{"occurrenceDateTime": 3, "contained": [{"resourceType": "Patient", "name": [
                {"given": ["A"], "family": "B", "period": {"start": "2020"}},
                {"given": ["C"], "family": "D", "use": "official"}]}]}"#,
            r#"{"contained": [{"resourceType": "Practitioner", "name": [
                {"given": ["A"], "family": "B", "period": "x"}, {"family": "D"}]}]}"#,
            r#"{"contained": [{"resourceType": "Patient", "name": [{"given": ["A"]}, {"given": ["C"], "family": "D", "use": "old"}]}]}"#,
        ];
        for text in bodies {
            let node = loads(text).unwrap();
            let lookups = Lookups::new(&node);
            for kind in [ContainedKind::Patient, ContainedKind::Practitioner] {
                assert_eq!(
                    summary(&CurrentName::shared(&lookups, kind)),
                    summary(&CurrentName::of(&PyVal::Node(&node), kind)),
                    "{text} {kind:?}"
                );
            }
        }
    }
}
