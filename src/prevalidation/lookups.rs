//! The request body as the validation stages read it, with the lookups several
//! rules share made once.
//!
//! Upstream evaluates `values["contained"]`, the contained Patient, its current
//! name, the organisation performer, the vaccination procedure coding and
//! `protocolApplied[0].targetDisease` again in every rule that needs them. They
//! are pure reads of a body nothing changes while it is validated, so the first
//! evaluation's value (or the exception it raised) is what every later one would
//! find; [`Lookups`] keeps it. The top-level members are found in one pass.

use std::cell::OnceCell;

use super::constants::{SNOMED, VACCINATION_PROCEDURE, VACCINATION_SITUATION};
use super::generic::{find_get_eq, get_current_name_instance, list_index_out_of_range, path};
use crate::json::{key_eq, Node, Value};
use crate::python::{PyException, PyResult, PyVal};

/// A member of the Immunization the validators read: every element upstream
/// allows at the top level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    ResourceType,
    Meta,
    Narrative,
    Contained,
    Id,
    Extension,
    Identifier,
    Status,
    VaccineCode,
    Patient,
    OccurrenceDateTime,
    Recorded,
    PrimarySource,
    Manufacturer,
    Location,
    LotNumber,
    ExpirationDate,
    Site,
    Route,
    DoseQuantity,
    Performer,
    ReasonCode,
    ProtocolApplied,
}

const FIELD_COUNT: usize = 23;

impl Field {
    /// Every field, in upstream's list of allowed elements.
    pub const ALL: [Field; FIELD_COUNT] = [
        Field::ResourceType,
        Field::Meta,
        Field::Narrative,
        Field::Contained,
        Field::Id,
        Field::Extension,
        Field::Identifier,
        Field::Status,
        Field::VaccineCode,
        Field::Patient,
        Field::OccurrenceDateTime,
        Field::Recorded,
        Field::PrimarySource,
        Field::Manufacturer,
        Field::Location,
        Field::LotNumber,
        Field::ExpirationDate,
        Field::Site,
        Field::Route,
        Field::DoseQuantity,
        Field::Performer,
        Field::ReasonCode,
        Field::ProtocolApplied,
    ];

    /// The member's key.
    pub fn key(self) -> &'static str {
        match self {
            Field::ResourceType => "resourceType",
            Field::Meta => "meta",
            Field::Narrative => "narrative",
            Field::Contained => "contained",
            Field::Id => "id",
            Field::Extension => "extension",
            Field::Identifier => "identifier",
            Field::Status => "status",
            Field::VaccineCode => "vaccineCode",
            Field::Patient => "patient",
            Field::OccurrenceDateTime => "occurrenceDateTime",
            Field::Recorded => "recorded",
            Field::PrimarySource => "primarySource",
            Field::Manufacturer => "manufacturer",
            Field::Location => "location",
            Field::LotNumber => "lotNumber",
            Field::ExpirationDate => "expirationDate",
            Field::Site => "site",
            Field::Route => "route",
            Field::DoseQuantity => "doseQuantity",
            Field::Performer => "performer",
            Field::ReasonCode => "reasonCode",
            Field::ProtocolApplied => "protocolApplied",
        }
    }

    /// The field a key names, if it is one.
    fn of_key(key: &str) -> Option<Field> {
        Some(match key {
            "resourceType" => Field::ResourceType,
            "meta" => Field::Meta,
            "narrative" => Field::Narrative,
            "contained" => Field::Contained,
            "id" => Field::Id,
            "extension" => Field::Extension,
            "identifier" => Field::Identifier,
            "status" => Field::Status,
            "vaccineCode" => Field::VaccineCode,
            "patient" => Field::Patient,
            "occurrenceDateTime" => Field::OccurrenceDateTime,
            "recorded" => Field::Recorded,
            "primarySource" => Field::PrimarySource,
            "manufacturer" => Field::Manufacturer,
            "location" => Field::Location,
            "lotNumber" => Field::LotNumber,
            "expirationDate" => Field::ExpirationDate,
            "site" => Field::Site,
            "route" => Field::Route,
            "doseQuantity" => Field::DoseQuantity,
            "performer" => Field::Performer,
            "reasonCode" => Field::ReasonCode,
            "protocolApplied" => Field::ProtocolApplied,
            _ => return None,
        })
    }
}

/// The contained resource kinds several rules look up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contained {
    Patient,
    Practitioner,
}

impl Contained {
    pub fn resource_type(self) -> &'static str {
        match self {
            Contained::Patient => "Patient",
            Contained::Practitioner => "Practitioner",
        }
    }
}

/// The extensions whose SNOMED coding several rules read (upstream
/// `get_generic_extension_value` with the SNOMED system).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnomedExtension {
    /// The vaccination procedure extension.
    Procedure,
    /// The vaccination situation extension.
    Situation,
}

impl SnomedExtension {
    /// The extension's `url`.
    pub fn url(self) -> &'static str {
        match self {
            SnomedExtension::Procedure => VACCINATION_PROCEDURE,
            SnomedExtension::Situation => VACCINATION_SITUATION,
        }
    }
}

/// The top-level members of a dict body, found in one pass.
struct Members<'a> {
    /// The value of each [`Field`] present (by its position in [`Field::ALL`]).
    by_field: [Option<&'a Node>; FIELD_COUNT],
    /// Whether a key outside [`Field::ALL`] is present.
    has_other_keys: bool,
}

/// The body and the lookups shared by the validation stages.
pub struct Lookups<'a> {
    values: PyVal<'a>,
    /// `None` when the body is not a dict (every read then goes through [`PyVal`]).
    members: Option<Members<'a>>,
    patient: OnceCell<PyResult<Option<PyVal<'a>>>>,
    practitioner: OnceCell<PyResult<Option<PyVal<'a>>>>,
    patient_name: OnceCell<PyResult<(usize, PyVal<'a>)>>,
    practitioner_name: OnceCell<PyResult<(usize, PyVal<'a>)>>,
    organization_performer: OnceCell<PyResult<PyVal<'a>>>,
    procedure_coding: OnceCell<PyResult<Option<PyVal<'a>>>>,
    situation_coding: OnceCell<PyResult<Option<PyVal<'a>>>>,
    target_disease: OnceCell<PyResult<PyVal<'a>>>,
    site_snomed_coding: OnceCell<PyResult<Option<PyVal<'a>>>>,
    route_snomed_coding: OnceCell<PyResult<Option<PyVal<'a>>>>,
}

impl<'a> Lookups<'a> {
    pub fn new(imms: &'a Node) -> Self {
        let members = match &imms.value {
            Value::Object(items) => {
                let mut found = Members {
                    by_field: [None; FIELD_COUNT],
                    has_other_keys: false,
                };
                for (key, value) in items {
                    match Field::of_key(key) {
                        // The first of equal keys is the one a lookup finds.
                        Some(field) => {
                            let slot = &mut found.by_field[field as usize];
                            if slot.is_none() {
                                *slot = Some(value);
                            }
                        }
                        None => found.has_other_keys = true,
                    }
                }
                Some(found)
            }
            _ => None,
        };
        Lookups {
            values: PyVal::Node(imms),
            members,
            patient: OnceCell::new(),
            practitioner: OnceCell::new(),
            patient_name: OnceCell::new(),
            practitioner_name: OnceCell::new(),
            organization_performer: OnceCell::new(),
            procedure_coding: OnceCell::new(),
            situation_coding: OnceCell::new(),
            target_disease: OnceCell::new(),
            site_snomed_coding: OnceCell::new(),
            route_snomed_coding: OnceCell::new(),
        }
    }

    /// The body itself.
    pub fn values(&self) -> &PyVal<'a> {
        &self.values
    }

    /// Whether the body is a dict whose every key is an allowed element.
    pub fn only_allowed_keys(&self) -> bool {
        self.members.as_ref().is_some_and(|m| !m.has_other_keys)
    }

    /// `values[key]`, `None` for a missing key (see [`PyVal::lookup`]).
    pub fn lookup(&self, field: Field) -> PyResult<Option<PyVal<'a>>> {
        match &self.members {
            Some(members) => Ok(members.by_field[field as usize].map(PyVal::Node)),
            None => self.values.lookup(field.key()),
        }
    }

    /// `values[key]`.
    pub fn getitem(&self, field: Field) -> PyResult<PyVal<'a>> {
        self.lookup(field)?
            .ok_or_else(|| PyException::key_error(field.key()))
    }

    /// `values.get(key)`.
    pub fn get(&self, field: Field) -> PyResult<PyVal<'a>> {
        self.get_or(field, PyVal::None)
    }

    /// `values.get(key, default)`.
    pub fn get_or(&self, field: Field, default: PyVal<'a>) -> PyResult<PyVal<'a>> {
        match &self.members {
            Some(members) => Ok(members.by_field[field as usize]
                .map(PyVal::Node)
                .unwrap_or(default)),
            None => self.values.get_or(field.key(), default),
        }
    }

    /// `key in values`.
    pub fn contains(&self, field: Field) -> PyResult<bool> {
        match &self.members {
            Some(members) => Ok(members.by_field[field as usize].is_some()),
            None => self.values.contains_str(field.key()),
        }
    }

    /// `values[field][k1][k2]...`, `None` at the first missing key (see [`path`]).
    pub fn path(&self, field: Field, keys: &[&str]) -> PyResult<Option<PyVal<'a>>> {
        match self.lookup(field)? {
            Some(value) => path(&value, keys),
            None => Ok(None),
        }
    }

    /// `[x for x in values.get("contained") if x.get("resourceType") == kind]`,
    /// its first item (`None` when empty), or what evaluating it raised.
    pub fn contained(&self, kind: Contained) -> PyResult<Option<PyVal<'a>>> {
        self.contained_found(kind).clone()
    }

    /// [`Lookups::contained`], found once.
    fn contained_found(&self, kind: Contained) -> &PyResult<Option<PyVal<'a>>> {
        let cell = match kind {
            Contained::Patient => &self.patient,
            Contained::Practitioner => &self.practitioner,
        };
        cell.get_or_init(|| {
            find_get_eq(
                &self.get(Field::Contained)?,
                "resourceType",
                kind.resource_type(),
            )
        })
    }

    /// `contained(kind)[key]`: `None` where there is no such resource or no
    /// such key, or the exception finding the resource or reading it raised.
    pub fn contained_key(&self, kind: Contained, key: &str) -> PyResult<Option<PyVal<'a>>> {
        match self.contained_found(kind) {
            Ok(Some(resource)) => resource.lookup(key),
            Ok(None) => Ok(None),
            Err(e) => Err(e.clone()),
        }
    }

    /// The index and value of the contained resource's current name (the part
    /// of upstream `patient_and_practitioner_value_and_index` before it picks
    /// `given` or `family`), or what finding it raised.
    pub fn current_name(&self, kind: Contained) -> PyResult<(usize, PyVal<'a>)> {
        let cell = match kind {
            Contained::Patient => &self.patient_name,
            Contained::Practitioner => &self.practitioner_name,
        };
        cell.get_or_init(|| {
            let resource = self.contained(kind)?.ok_or_else(list_index_out_of_range)?;
            let name = resource.getitem("name")?;
            let occurrence_date = self.get(Field::OccurrenceDateTime)?;
            get_current_name_instance(&name, &occurrence_date)
        })
        .clone()
    }

    /// `performer[?(@.actor.type=='Organization')]` as the pre-validators select
    /// it: the first performer whose `actor.get("type")` is `Organization`.
    pub fn organization_performer(&self) -> PyResult<PyVal<'a>> {
        self.organization_performer
            .get_or_init(|| {
                let mut found = None;
                for x in self.getitem(Field::Performer)?.iter()? {
                    if x.get("actor")?.get("type")?.eq_str("Organization") && found.is_none() {
                        found = Some(x);
                    }
                }
                found.ok_or_else(list_index_out_of_range)
            })
            .clone()
    }

    /// The coding of upstream `get_generic_extension_value`:
    /// `extension[url].valueCodeableConcept.coding[system]`, `None` where that
    /// raises `KeyError` or `IndexError`.
    pub fn extension_coding(&self, url: &str, system: &str) -> PyResult<Option<PyVal<'a>>> {
        let which = if !key_eq(system, SNOMED) {
            return self.find_extension_coding(url, system);
        } else if key_eq(url, VACCINATION_PROCEDURE) {
            SnomedExtension::Procedure
        } else if key_eq(url, VACCINATION_SITUATION) {
            SnomedExtension::Situation
        } else {
            return self.find_extension_coding(url, system);
        };
        self.snomed_coding(which).clone()
    }

    /// [`Lookups::extension_coding`] of the extension's SNOMED coding, found once.
    fn snomed_coding(&self, which: SnomedExtension) -> &PyResult<Option<PyVal<'a>>> {
        let cell = match which {
            SnomedExtension::Procedure => &self.procedure_coding,
            SnomedExtension::Situation => &self.situation_coding,
        };
        cell.get_or_init(|| self.find_extension_coding(which.url(), SNOMED))
    }

    /// [`Lookups::extension_value`] of the extension's SNOMED coding.
    pub fn snomed_extension_value(
        &self,
        which: SnomedExtension,
        field: &str,
    ) -> PyResult<Option<PyVal<'a>>> {
        match self.snomed_coding(which) {
            Ok(Some(coding)) => coding.lookup(field),
            Ok(None) => Ok(None),
            Err(e) => Err(e.clone()),
        }
    }

    /// Upstream `get_generic_extension_value`: the coding's `field`, `None`
    /// where reading it raises `KeyError` or `IndexError`.
    pub fn extension_value(
        &self,
        url: &str,
        system: &str,
        field: &str,
    ) -> PyResult<Option<PyVal<'a>>> {
        match self.extension_coding(url, system)? {
            Some(coding) => coding.lookup(field),
            None => Ok(None),
        }
    }

    fn find_extension_coding(&self, url: &str, system: &str) -> PyResult<Option<PyVal<'a>>> {
        let Some(extensions) = self.lookup(Field::Extension)? else {
            return Ok(None);
        };
        let Some(extension) = find_get_eq(&extensions, "url", url)? else {
            return Ok(None);
        };
        let Some(coding) = path(&extension, &["valueCodeableConcept", "coding"])? else {
            return Ok(None);
        };
        find_get_eq(&coding, "system", system)
    }

    /// `[x for x in values[field]["coding"] if x.get("system") == SNOMED][0][key]`:
    /// `None` where `field`, `coding`, such a coding or `key` is missing, or the
    /// exception reading raises. The coding of `site` and `route` is found once.
    pub fn first_snomed_coding_key(&self, field: Field, key: &str) -> PyResult<Option<PyVal<'a>>> {
        let cell = match field {
            Field::Site => &self.site_snomed_coding,
            Field::Route => &self.route_snomed_coding,
            _ => {
                return match self.find_first_snomed_coding(field)? {
                    Some(coding) => coding.lookup(key),
                    None => Ok(None),
                }
            }
        };
        match cell.get_or_init(|| self.find_first_snomed_coding(field)) {
            Ok(Some(coding)) => coding.lookup(key),
            Ok(None) => Ok(None),
            Err(e) => Err(e.clone()),
        }
    }

    fn find_first_snomed_coding(&self, field: Field) -> PyResult<Option<PyVal<'a>>> {
        match self.path(field, &["coding"])? {
            Some(coding) => find_get_eq(&coding, "system", SNOMED),
            None => Ok(None),
        }
    }

    /// `values["protocolApplied"][0]["targetDisease"]`.
    pub fn target_disease(&self) -> PyResult<PyVal<'a>> {
        self.target_disease
            .get_or_init(|| {
                self.getitem(Field::ProtocolApplied)?
                    .index(0)?
                    .getitem("targetDisease")
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::loads;

    /// The SNOMED coding's keys read through the shared lookup (and read again
    /// from it) are what reading the body each time finds.
    #[test]
    fn first_snomed_coding_key_is_the_body_read() {
        let s = SNOMED;
        let bodies = [
            format!(
                r#"{{"site": {{"coding": [{{"system": "{s}", "code": "1", "display": "d"}}]}}}}"#
            ),
            format!(
                r#"{{"route": {{"coding": [{{"system": "x", "code": "1"}}, {{"system": "{s}", "code": 2}}]}}}}"#
            ),
            format!(
                r#"{{"site": {{"coding": [{{"system": "{s}"}}, 5]}}, "route": {{"coding": "{s}"}}}}"#
            ),
            r#"{"site": {"coding": {"system": 1}}, "route": {"coding": null}}"#.to_string(),
            r#"{"site": [], "route": "x", "vaccineCode": {"coding": []}}"#.to_string(),
            r#"{"site": {}, "route": {"text": 1}}"#.to_string(),
            r#"[1]"#.to_string(),
            r#"{}"#.to_string(),
        ];
        for text in &bodies {
            let node = loads(text).unwrap();
            let lookups = Lookups::new(&node);
            for field in [Field::Site, Field::Route, Field::VaccineCode] {
                for key in ["code", "display", "system", "x"] {
                    let read = || -> PyResult<Option<PyVal<'_>>> {
                        let Some(coding) = path(&PyVal::Node(&node), &[field.key(), "coding"])?
                        else {
                            return Ok(None);
                        };
                        match find_get_eq(&coding, "system", SNOMED)? {
                            Some(x) => x.lookup(key),
                            None => Ok(None),
                        }
                    };
                    for _ in 0..2 {
                        let shared = lookups.first_snomed_coding_key(field, key);
                        let same = match (&shared, &read()) {
                            (Ok(a), Ok(b)) => {
                                a.as_ref().map(|v| v.py_repr().ok())
                                    == b.as_ref().map(|v| v.py_repr().ok())
                            }
                            (Err(a), Err(b)) => a == b,
                            _ => false,
                        };
                        assert!(same, "{text} {field:?} {key}");
                    }
                }
            }
        }
    }

    /// Every read through [`Lookups`] answers what the same read of the body does.
    #[test]
    fn members_read_as_the_body_does() {
        let bodies = [
            r#"{"status": "completed", "contained": [], "x": 1, "id": null}"#,
            r#"{}"#,
            r#"[1, 2]"#,
            r#""status""#,
            r#"null"#,
            r#"{"status": 1, "status": 2}"#,
        ];
        for text in bodies {
            let node = loads(text).unwrap();
            let lookups = Lookups::new(&node);
            let values = PyVal::Node(&node);
            for field in Field::ALL {
                let key = field.key();
                assert_eq!(Field::of_key(key), Some(field));
                let same =
                    |a: PyResult<Option<PyVal<'_>>>, b: PyResult<Option<PyVal<'_>>>| match (a, b) {
                        (Ok(a), Ok(b)) => {
                            assert_eq!(
                                a.map(|v| v.py_repr()),
                                b.map(|v| v.py_repr()),
                                "{text} {key}"
                            )
                        }
                        (Err(a), Err(b)) => assert_eq!(a, b, "{text} {key}"),
                        (a, b) => panic!("{text} {key}: {a:?} {b:?}"),
                    };
                same(lookups.lookup(field), values.lookup(key));
                same(
                    lookups.getitem(field).map(Some),
                    values.getitem(key).map(Some),
                );
                same(lookups.get(field).map(Some), values.get(key).map(Some));
                same(
                    lookups.get_or(field, PyVal::EmptyList).map(Some),
                    values.get_or(key, PyVal::EmptyList).map(Some),
                );
                assert_eq!(lookups.contains(field), values.contains_str(key), "{text}");
            }
        }
        let node = loads(r#"{"status": "completed", "id": "1"}"#).unwrap();
        assert!(Lookups::new(&node).only_allowed_keys());
        let node = loads(r#"{"status": "completed", "Id": "1"}"#).unwrap();
        assert!(!Lookups::new(&node).only_allowed_keys());
        let node = loads(r#"[]"#).unwrap();
        assert!(!Lookups::new(&node).only_allowed_keys());
    }

    #[test]
    fn shared_lookups_keep_what_was_raised() {
        let node = loads(r#"{"contained": [{"resourceType": "Patient"}, 5]}"#).unwrap();
        let lookups = Lookups::new(&node);
        for _ in 0..2 {
            assert_eq!(
                lookups.contained(Contained::Patient).unwrap_err().message,
                "'int' object has no attribute 'get'"
            );
        }
        let node = loads(r#"{"protocolApplied": []}"#).unwrap();
        let lookups = Lookups::new(&node);
        for _ in 0..2 {
            assert_eq!(
                lookups.target_disease().unwrap_err().message,
                "list index out of range"
            );
        }
        let node = loads(r#"{"contained": [{"resourceType": "Practitioner"}]}"#).unwrap();
        let lookups = Lookups::new(&node);
        assert!(lookups.contained(Contained::Patient).unwrap().is_none());
        assert_eq!(
            lookups
                .current_name(Contained::Patient)
                .unwrap_err()
                .message,
            "list index out of range"
        );
        assert_eq!(
            lookups
                .current_name(Contained::Practitioner)
                .unwrap_err()
                .message,
            "'name'"
        );
    }
}
