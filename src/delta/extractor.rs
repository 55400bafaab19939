//! Upstream `Extractor`: each flat field's value taken from the stored resource
//! (as `json.loads(Resource, parse_float=Decimal)` gives it back), with the errors it
//! records itself (unparseable dates, unsupported offsets).

use std::borrow::Cow;

use super::py::{
    contains, empty_dict, empty_list, eq_str, get, get_or, iter, join, str_node, truthy, PyErr,
    PyRes,
};
use crate::json::{Node, Value};
use crate::store::pydatetime::{fromisoformat, PyDateTime};

pub const SNOMED: &str = "http://snomed.info/sct";
pub const ODS: &str = "https://fhir.nhs.uk/Id/ods-organization-code";
pub const NHS_NUMBER_SYSTEM: &str = "https://fhir.nhs.uk/Id/nhs-number";
pub const VACCINATION_PROCEDURE_URL: &str =
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationProcedure";
pub const SCT_DESC_DISPLAY_URL: &str =
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-CodingSCTDescDisplay";
pub const DEFAULT_LOCATION: &str = "X99999";
pub const DEFAULT_POSTCODE: &str = "ZZ99 3CZ";

/// `RECORD_CHECK_FAILED`, the code of the extractor's own error records.
const RECORD_CHECK_FAILED: i64 = 5;

/// One entry of `CONVERSION_ERRORS`.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorRecord {
    pub code: i64,
    pub field: String,
    /// The offending value (`None` for the converter's own records).
    pub value: Option<Node>,
    pub message: String,
}

/// A field's value: `None` means the converter leaves the field out.
pub type FieldValue = Option<Node>;

pub struct Extractor<'a> {
    data: &'a Node,
    pub errors: Vec<ErrorRecord>,
}

fn s(text: &str) -> FieldValue {
    Some(str_node(text))
}

fn value_error(e: crate::store::pydatetime::DateTimeInvalid) -> PyErr {
    PyErr::new("ValueError", e.0)
}

/// `datetime.fromisoformat(x)` on any value.
fn from_iso(x: &Node) -> PyRes<PyDateTime> {
    match x.as_str() {
        Some(text) => fromisoformat(text).map_err(value_error),
        None => Err(PyErr::new(
            "TypeError",
            "fromisoformat: argument must be str",
        )),
    }
}

fn with_utc(mut dt: PyDateTime) -> PyDateTime {
    if dt.offset_seconds.is_none() {
        dt.offset_seconds = Some(0);
    }
    dt
}

impl<'a> Extractor<'a> {
    pub fn new(data: &'a Node) -> Self {
        Extractor {
            data,
            errors: Vec::new(),
        }
    }

    fn log_error(&mut self, field: &str, value: &Node, message: String) {
        self.errors.push(ErrorRecord {
            code: RECORD_CHECK_FAILED,
            field: field.to_string(),
            value: Some(value.clone()),
            message,
        });
    }

    fn log_exception(&mut self, field: &str, value: &Node, e: PyErr) {
        let message = format!("Unexpected exception [{}]: {}", e.kind, e.message);
        self.log_error(field, value, message);
    }

    fn data_get(&self, key: &str, default: Node) -> PyRes<Cow<'a, Node>> {
        Ok(get(self.data, key)?.map_or(Cow::Owned(default), Cow::Borrowed))
    }

    /// The first contained Patient, or `""`.
    fn patient(&self) -> PyRes<Cow<'a, Node>> {
        let Some(contained) = get(self.data, "contained")? else {
            return Ok(Cow::Owned(str_node("")));
        };
        // Only a list holds objects; iterating a dict or a string yields strings.
        if let Cow::Borrowed(items) = iter(contained)? {
            for c in items {
                if c.is_object() && eq_str(get(c, "resourceType")?, "Patient") {
                    return Ok(Cow::Borrowed(c));
                }
            }
        }
        Ok(Cow::Owned(str_node("")))
    }

    fn occurrence_time(&self) -> PyRes<PyDateTime> {
        let v = self.data_get("occurrenceDateTime", str_node(""))?;
        Ok(with_utc(from_iso(&v)?))
    }

    /// Whether a name/address `period` covers the occurrence time (no period: yes;
    /// a date-only end covers its whole day; naive values are UTC).
    fn is_current_period(&self, x: &Node, t: &PyDateTime) -> PyRes<bool> {
        let Some(period) = get(x, "period")? else {
            return Ok(true);
        };
        if !period.is_object() {
            return Ok(true);
        }
        let start = match get(period, "start")? {
            Some(v) if truthy(v) => Some(with_utc(from_iso(v)?)),
            _ => None,
        };
        let end_str = get(period, "end")?;
        let end = match end_str {
            Some(v) if truthy(v) => {
                let mut e = from_iso(v)?;
                if !contains(v, "T")? {
                    e.hour = 23;
                    e.minute = 59;
                    e.second = 59;
                    e.microsecond = 999_999;
                }
                Some(with_utc(e))
            }
            _ => None,
        };
        let t = t.utc_micros();
        Ok(start.is_none_or(|s| s.utc_micros() <= t) && end.is_none_or(|e| t <= e.utc_micros()))
    }

    /// The official current name, else a current non-old one, else the first.
    fn valid_name(&self, names: &[&Node], t: &PyDateTime) -> PyRes<Node> {
        for n in names {
            if eq_str(get(n, "use")?, "official") && self.is_current_period(n, t)? {
                return Ok((*n).clone());
            }
        }
        for n in names {
            if self.is_current_period(n, t)? && !eq_str(get(n, "use")?, "old") {
                return Ok((*n).clone());
            }
        }
        Ok(names.first().map_or_else(empty_dict, |n| (*n).clone()))
    }

    fn person_names(&self) -> PyRes<(String, String)> {
        let t = self.occurrence_time()?;
        let patient = self.patient()?;
        let no_names = empty_list();
        let names = get_or(&patient, "name", &no_names)?;
        let mut kept = Vec::new();
        let names_items = iter(names)?;
        for n in names_items.iter() {
            if contains(n, "given")? && contains(n, "family")? {
                kept.push(n);
            }
        }
        if kept.is_empty() {
            return Ok((String::new(), String::new()));
        }
        let selected = self.valid_name(&kept, &t)?;
        let forename = join(" ", get_or(&selected, "given", &empty_list())?)?;
        let surname = get_or(&selected, "family", &str_node(""))?.clone();
        let surname = surname.as_str().map(str::to_string);
        match surname {
            Some(surname) if !forename.is_empty() && !surname.is_empty() => Ok((forename, surname)),
            _ => Ok((String::new(), String::new())),
        }
    }

    fn practitioner_names(&self) -> PyRes<(Node, Node)> {
        let empty = || Ok((str_node(""), str_node("")));
        let contained = self.data_get("contained", empty_list())?;
        let t = self.occurrence_time()?;
        let mut practitioner = None;
        let contained_items = iter(&contained)?;
        for c in contained_items.iter() {
            if c.is_object() && eq_str(get(c, "resourceType")?, "Practitioner") {
                practitioner = Some(c);
                break;
            }
        }
        let Some(practitioner) = practitioner else {
            return empty();
        };
        if !truthy(practitioner) || !contains(practitioner, "name")? {
            return empty();
        }
        let names = get_or(practitioner, "name", &empty_list())?.clone();
        let mut kept = Vec::new();
        let names_items = iter(&names)?;
        for n in names_items.iter() {
            if contains(n, "given")? || contains(n, "family")? {
                kept.push(n);
            }
        }
        if kept.is_empty() {
            return empty();
        }
        let selected = self.valid_name(&kept, &t)?;
        let forename = join(" ", get_or(&selected, "given", &empty_list())?)?;
        let surname = get_or(&selected, "family", &str_node(""))?.clone();
        Ok((str_node(forename), surname))
    }

    /// `_convert_date`: `YYYYMMDD`, or `""` with a recorded error when unparseable.
    fn convert_date(&mut self, field: &str, date: &Node) -> PyRes<FieldValue> {
        if !truthy(date) {
            return Ok(s(""));
        }
        match from_iso(date) {
            Ok(dt) => Ok(s(&dt.strftime("%Y%m%d"))),
            Err(e) if e.kind == "ValueError" => {
                self.log_exception(field, date, e);
                Ok(s(""))
            }
            Err(e) => Err(e),
        }
    }

    /// `_convert_date_to_safe_format`: `YYYYMMDDTHHMMSS00` (UTC) / `…01` (BST);
    /// other offsets are recorded as unsupported.
    fn convert_date_to_safe_format(&mut self, field: &str, date: &Node) -> FieldValue {
        let dt = match from_iso(date) {
            Ok(dt) => with_utc(dt),
            Err(e) => {
                self.log_exception(field, date, e);
                return s("");
            }
        };
        if !matches!(dt.offset_seconds, Some(0) | Some(3600)) {
            self.log_error(field, date, "Unsupported Format or offset".into());
            return s("");
        }
        let mut whole = dt;
        whole.microsecond = 0;
        let formatted = whole.strftime("%Y%m%dT%H%M%S%z");
        s(&formatted.replace("+0000", "00").replace("+0100", "01"))
    }

    fn first_snomed_code(&self, container: &Node) -> PyRes<FieldValue> {
        for coding in iter(get_or(container, "coding", &empty_list())?)?.iter() {
            if eq_str(get(coding, "system")?, SNOMED) {
                return Ok(Some(get_or(coding, "code", &str_node(""))?.clone()));
            }
        }
        Ok(s(""))
    }

    fn snomed_display(&self, coding: &Node) -> PyRes<FieldValue> {
        for ext in iter(get_or(coding, "extension", &empty_list())?)?.iter() {
            if eq_str(get(ext, "url")?, SCT_DESC_DISPLAY_URL) {
                if let Some(v) = get(ext, "valueString")? {
                    if truthy(v) {
                        return Ok(Some(v.clone()));
                    }
                }
            }
        }
        Ok(Some(get_or(coding, "display", &str_node(""))?.clone()))
    }

    fn codeable_term(&self, concept: &Node) -> PyRes<FieldValue> {
        if let Some(text) = get(concept, "text")? {
            if truthy(text) {
                return Ok(Some(text.clone()));
            }
        }
        for coding in iter(get_or(concept, "coding", &empty_list())?)?.iter() {
            if eq_str(get(coding, "system")?, SNOMED) {
                return self.snomed_display(coding);
            }
        }
        Ok(s(""))
    }

    fn site_information(&self) -> PyRes<(FieldValue, FieldValue)> {
        let performers = self.data_get("performer", empty_list())?;
        let none = || Ok((s(""), s("")));
        match &performers.value {
            Value::Array(items) if !items.is_empty() => {}
            _ => return none(),
        }
        let mut valid = Vec::new();
        let performers_items = iter(&performers)?;
        for p in performers_items.iter() {
            if contains(p, "actor")? {
                let actor = get(p, "actor")?.cloned().unwrap_or_else(empty_dict);
                if contains(&actor, "identifier")? {
                    valid.push(p);
                }
            }
        }
        if valid.is_empty() {
            return none();
        }
        let actor_of = |p: &Node| -> PyRes<Node> { Ok(get_or(p, "actor", &empty_dict())?.clone()) };
        let system_of = |p: &Node| -> PyRes<bool> {
            let actor = actor_of(p)?;
            let identifier = get_or(&actor, "identifier", &empty_dict())?.clone();
            Ok(eq_str(get(&identifier, "system")?, ODS))
        };
        let is_org =
            |p: &Node| -> PyRes<bool> { Ok(eq_str(get(&actor_of(p)?, "type")?, "Organization")) };
        let mut selected = None;
        for p in &valid {
            if is_org(p)? && system_of(p)? {
                selected = Some(*p);
                break;
            }
        }
        if selected.is_none() {
            for p in &valid {
                if system_of(p)? {
                    selected = Some(*p);
                    break;
                }
            }
        }
        if selected.is_none() {
            for p in &valid {
                if is_org(p)? {
                    selected = Some(*p);
                    break;
                }
            }
        }
        let selected = selected.unwrap_or_else(|| valid[0]);
        let actor = actor_of(selected)?;
        let identifier = get_or(&actor, "identifier", &empty_dict())?.clone();
        Ok((
            get(&identifier, "value")?.cloned(),
            get(&identifier, "system")?.cloned(),
        ))
    }

    pub fn nhs_number(&mut self) -> PyRes<FieldValue> {
        let patient = self.patient()?;
        if truthy(&patient) {
            for identifier in iter(get_or(&patient, "identifier", &empty_list())?)?.iter() {
                if eq_str(
                    Some(get_or(identifier, "system", &str_node(""))?),
                    NHS_NUMBER_SYSTEM,
                ) {
                    return Ok(Some(get_or(identifier, "value", &str_node(""))?.clone()));
                }
            }
        }
        Ok(s(""))
    }

    pub fn person_forename(&mut self) -> PyRes<FieldValue> {
        Ok(s(&self.person_names()?.0))
    }

    pub fn person_surname(&mut self) -> PyRes<FieldValue> {
        Ok(s(&self.person_names()?.1))
    }

    pub fn person_dob(&mut self) -> PyRes<FieldValue> {
        let patient = self.patient()?;
        if truthy(&patient) {
            let dob = get_or(&patient, "birthDate", &str_node(""))?.clone();
            return self.convert_date("PERSON_DOB", &dob);
        }
        Ok(s(""))
    }

    pub fn person_gender(&mut self) -> PyRes<FieldValue> {
        let patient = self.patient()?;
        if truthy(&patient) {
            let gender = get_or(&patient, "gender", &str_node(""))?.clone();
            let Some(text) = gender.as_str() else {
                return Err(PyErr::new(
                    "AttributeError",
                    format!(
                        "'{}' object has no attribute 'upper'",
                        gender.py_type_name()
                    ),
                ));
            };
            let code = match text.to_uppercase().as_str() {
                "MALE" => "1",
                "FEMALE" => "2",
                "OTHER" => "9",
                "UNKNOWN" => "0",
                _ => "",
            };
            return Ok(s(code));
        }
        Ok(s(""))
    }

    pub fn valid_address(&mut self) -> PyRes<FieldValue> {
        let t = self.occurrence_time()?;
        let patient = self.patient()?;
        let addresses = get_or(&patient, "address", &empty_list())?.clone();
        let items = match &addresses.value {
            Value::Array(items) if !items.is_empty() => items.clone(),
            _ => return Ok(s(DEFAULT_POSTCODE)),
        };
        let postcode_or_default = |a: &Node| -> PyRes<FieldValue> {
            match get(a, "postalCode")? {
                Some(v) if truthy(v) => Ok(Some(v.clone())),
                _ => Ok(s(DEFAULT_POSTCODE)),
            }
        };
        if items.len() == 1 {
            return postcode_or_default(&items[0]);
        }
        let mut valid = Vec::new();
        for a in &items {
            if get(a, "postalCode")?.is_some_and(truthy) && self.is_current_period(a, &t)? {
                valid.push(a.clone());
            }
        }
        if valid.is_empty() {
            return Ok(s(DEFAULT_POSTCODE));
        }
        let norm = |a: &Node, key: &str| -> PyRes<Option<String>> {
            Ok(get(a, key)?.and_then(Node::as_str).map(str::to_lowercase))
        };
        let mut selected = None;
        for a in &valid {
            if norm(a, "use")?.as_deref() == Some("home")
                && norm(a, "type")?.as_deref() != Some("postal")
            {
                selected = Some(a.clone());
                break;
            }
        }
        if selected.is_none() {
            for a in &valid {
                if norm(a, "use")?.as_deref() != Some("old")
                    && norm(a, "type")?.as_deref() != Some("postal")
                {
                    selected = Some(a.clone());
                    break;
                }
            }
        }
        if selected.is_none() {
            for a in &valid {
                if norm(a, "use")?.as_deref() != Some("old") {
                    selected = Some(a.clone());
                    break;
                }
            }
        }
        let selected = selected.unwrap_or_else(|| valid[0].clone());
        postcode_or_default(&selected)
    }

    pub fn date_time(&mut self) -> PyRes<FieldValue> {
        let date = self.data_get("occurrenceDateTime", str_node(""))?;
        if truthy(&date) {
            return Ok(self.convert_date_to_safe_format("DATE_AND_TIME", &date));
        }
        Ok(s(""))
    }

    pub fn site_code(&mut self) -> PyRes<FieldValue> {
        Ok(self.site_information()?.0)
    }

    pub fn site_code_type_uri(&mut self) -> PyRes<FieldValue> {
        Ok(self.site_information()?.1)
    }

    pub fn unique_id(&mut self) -> PyRes<FieldValue> {
        let identifier = self.data_get("identifier", empty_list())?;
        if let Value::Array(items) = &identifier.value {
            if let Some(first) = items.first() {
                return Ok(Some(get_or(first, "value", &str_node(""))?.clone()));
            }
        }
        Ok(s(""))
    }

    pub fn unique_id_uri(&mut self) -> PyRes<FieldValue> {
        let identifier = self.data_get("identifier", empty_list())?;
        if let Value::Array(items) = &identifier.value {
            if items.len() == 1 {
                return Ok(Some(get_or(&items[0], "system", &str_node(""))?.clone()));
            }
        }
        Ok(s(""))
    }

    pub fn practitioner_forename(&mut self) -> PyRes<FieldValue> {
        Ok(Some(self.practitioner_names()?.0))
    }

    pub fn practitioner_surname(&mut self) -> PyRes<FieldValue> {
        Ok(Some(self.practitioner_names()?.1))
    }

    pub fn recorded_date(&mut self) -> PyRes<FieldValue> {
        let date = self.data_get("recorded", str_node(""))?;
        self.convert_date("RECORDED_DATE", &date)
    }

    pub fn primary_source(&mut self) -> PyRes<FieldValue> {
        match get(self.data, "primarySource")?.map(|n| &n.value) {
            Some(Value::Bool(true)) => Ok(s("TRUE")),
            Some(Value::Bool(false)) => Ok(s("FALSE")),
            _ => Ok(s("")),
        }
    }

    fn vaccination_procedure(&self) -> PyRes<Option<Node>> {
        for ext in iter(self.data_get("extension", empty_list())?.as_ref())?.iter() {
            if eq_str(get(ext, "url")?, VACCINATION_PROCEDURE_URL) {
                return Ok(Some(
                    get_or(ext, "valueCodeableConcept", &empty_dict())?.clone(),
                ));
            }
        }
        Ok(None)
    }

    pub fn vaccination_procedure_code(&mut self) -> PyRes<FieldValue> {
        match self.vaccination_procedure()? {
            Some(cc) => self.first_snomed_code(&cc),
            None => Ok(s("")),
        }
    }

    pub fn vaccination_procedure_term(&mut self) -> PyRes<FieldValue> {
        match self.vaccination_procedure()? {
            Some(cc) => self.codeable_term(&cc),
            None => Ok(s("")),
        }
    }

    pub fn dose_sequence(&mut self) -> PyRes<FieldValue> {
        let applied = self.data_get("protocolApplied", empty_list())?;
        if truthy(&applied) {
            let first = match &applied.value {
                Value::Array(items) => items.first().cloned().unwrap_or_else(empty_dict),
                _ => empty_dict(),
            };
            let dose = get(&first, "doseNumberPositiveInt")?;
            return Ok(match dose {
                Some(d) if truthy(d) => {
                    s(&crate::store::primitive::string(&d.value).unwrap_or_default())
                }
                _ => s(""),
            });
        }
        Ok(s(""))
    }

    pub fn vaccine_product_code(&mut self) -> PyRes<FieldValue> {
        let cc = self.data_get("vaccineCode", empty_dict())?;
        self.first_snomed_code(&cc)
    }

    pub fn vaccine_product_term(&mut self) -> PyRes<FieldValue> {
        let cc = self.data_get("vaccineCode", empty_dict())?;
        self.codeable_term(&cc)
    }

    pub fn vaccine_manufacturer(&mut self) -> PyRes<FieldValue> {
        let m = self.data_get("manufacturer", empty_dict())?;
        if truthy(&m) {
            return Ok(Some(get_or(&m, "display", &str_node(""))?.clone()));
        }
        Ok(s(""))
    }

    pub fn batch_number(&mut self) -> PyRes<FieldValue> {
        Ok(Some(self.data_get("lotNumber", str_node(""))?.into_owned()))
    }

    pub fn expiry_date(&mut self) -> PyRes<FieldValue> {
        let date = self.data_get("expirationDate", str_node(""))?;
        self.convert_date("EXPIRY_DATE", &date)
    }

    pub fn site_of_vaccination_code(&mut self) -> PyRes<FieldValue> {
        let cc = self.data_get("site", empty_dict())?;
        self.first_snomed_code(&cc)
    }

    pub fn site_of_vaccination_term(&mut self) -> PyRes<FieldValue> {
        let cc = self.data_get("site", empty_dict())?;
        self.codeable_term(&cc)
    }

    pub fn route_of_vaccination_code(&mut self) -> PyRes<FieldValue> {
        let cc = self.data_get("route", empty_dict())?;
        self.first_snomed_code(&cc)
    }

    pub fn route_of_vaccination_term(&mut self) -> PyRes<FieldValue> {
        let cc = self.data_get("route", empty_dict())?;
        self.codeable_term(&cc)
    }

    pub fn dose_amount(&mut self) -> PyRes<FieldValue> {
        let dq = self.data_get("doseQuantity", empty_dict())?;
        Ok(Some(get_or(&dq, "value", &str_node(""))?.clone()))
    }

    pub fn dose_unit_code(&mut self) -> PyRes<FieldValue> {
        let dq = self.data_get("doseQuantity", empty_dict())?;
        if eq_str(get(&dq, "system")?, SNOMED) {
            if let Some(code) = get(&dq, "code")? {
                if truthy(code) {
                    return Ok(Some(code.clone()));
                }
            }
        }
        Ok(s(""))
    }

    pub fn dose_unit_term(&mut self) -> PyRes<FieldValue> {
        let dq = self.data_get("doseQuantity", empty_dict())?;
        Ok(Some(get_or(&dq, "unit", &str_node(""))?.clone()))
    }

    pub fn indication_code(&mut self) -> PyRes<FieldValue> {
        for reason in iter(self.data_get("reasonCode", empty_list())?.as_ref())?.iter() {
            for coding in iter(get_or(reason, "coding", &empty_list())?)?.iter() {
                if eq_str(get(coding, "system")?, SNOMED) {
                    return Ok(Some(get_or(coding, "code", &str_node(""))?.clone()));
                }
            }
        }
        Ok(s(""))
    }

    fn location_identifier(&self, key: &str, default: &str) -> PyRes<FieldValue> {
        let location = self.data_get("location", empty_dict())?;
        if truthy(&location) {
            let identifier = get_or(&location, "identifier", &empty_dict())?.clone();
            return Ok(Some(get_or(&identifier, key, &str_node(default))?.clone()));
        }
        Ok(s(default))
    }

    pub fn location_code(&mut self) -> PyRes<FieldValue> {
        self.location_identifier("value", DEFAULT_LOCATION)
    }

    pub fn location_code_type_uri(&mut self) -> PyRes<FieldValue> {
        self.location_identifier("system", ODS)
    }
}
