//! Upstream `Extractor`: each flat field's value taken from the stored resource
//! (as `json.loads(Resource, parse_float=Decimal)` gives it back), with the errors it
//! records itself (unparseable dates, unsupported offsets).
//!
//! The rules are pure functions of the resource, so the values several fields share
//! (the Patient, the occurrence time, the selected names, the performer, the
//! vaccination procedure) are worked out once, with the same result or exception.

use std::fmt::Write as _;

use super::doc::{Doc, Key, Kind, ESCAPED_KEY};
use super::py::{eq_str, Kept, PyErr, PyRes, Ty, V};
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

/// One of the extractor's own `CONVERSION_ERRORS` records (`RECORD_CHECK_FAILED`, code 5).
pub struct Logged<'d> {
    pub field: &'static str,
    /// The offending value.
    pub value: V<'d>,
    pub message: String,
}

/// A field's value.
#[derive(Clone)]
pub enum Out<'d> {
    /// `None`: the converter leaves the field out.
    Absent,
    /// A value of the resource (or a default standing in for one).
    Value(V<'d>),
    /// A string the rule built.
    Text(String),
    /// A string the rule took from the resource's text (an `int` as `str()` writes it).
    Raw(&'d str),
    /// A fixed string.
    Fixed(&'static str),
    /// A date as `strftime("%Y%m%d")` writes it.
    Date(PyDateTime),
    /// A date and time as `strftime("%Y%m%dT%H%M%S")` writes it, then `00` (UTC)
    /// or `01` (offset +01:00).
    Stamp(PyDateTime),
}

pub type FieldRes<'d> = PyRes<Out<'d>>;

/// Declares [`Top`], the top-level members the rules read, with their keys.
macro_rules! top_members {
    ($($variant:ident = $name:literal,)*) => {
        /// The top-level members the rules read.
        #[derive(Debug, Clone, Copy)]
        enum Top {
            $($variant,)*
        }

        const TOP_COUNT: usize = [$($name,)*].len();

        impl Top {
            fn key(self) -> Key<'static> {
                match self {
                    $(Top::$variant => key!($name),)*
                }
            }

            /// The member the key at tape index `index` names, if one of these.
            fn of_key(doc: &Doc, index: usize) -> Option<Top> {
                let tag = doc.key_tag_of(index);
                $(
                    if tag == key!($name).tag {
                        return doc.key_is(index, key!($name)).then_some(Top::$variant);
                    }
                )*
                if tag == ESCAPED_KEY {
                    return Top::of_escaped(doc, index);
                }
                None
            }

            /// [`Top::of_key`] of a key written with escapes.
            #[cold]
            #[inline(never)]
            fn of_escaped(doc: &Doc, index: usize) -> Option<Top> {
                let text = doc.str_value(index)?;
                $(
                    if text == $name {
                        return Some(Top::$variant);
                    }
                )*
                None
            }
        }
    };
}

top_members! {
    Contained = "contained",
    OccurrenceDateTime = "occurrenceDateTime",
    Performer = "performer",
    Identifier = "identifier",
    Recorded = "recorded",
    PrimarySource = "primarySource",
    Extension = "extension",
    ProtocolApplied = "protocolApplied",
    VaccineCode = "vaccineCode",
    Manufacturer = "manufacturer",
    LotNumber = "lotNumber",
    ExpirationDate = "expirationDate",
    Site = "site",
    Route = "route",
    DoseQuantity = "doseQuantity",
    ReasonCode = "reasonCode",
    Location = "location",
}

/// Where each [`Top`] member's value is, from one pass over the resource's keys
/// (`None` when the resource is not an object: every `get` on it raises).
fn index_top(data: V) -> Option<[Option<usize>; TOP_COUNT]> {
    let object = data.tape_index().filter(|_| data.is_dict())?;
    let doc = data.doc();
    let mut index = [None; TOP_COUNT];
    for (key, value) in doc.members(object) {
        if let Some(top) = Top::of_key(doc, key) {
            // A repeated key keeps its last value.
            if let Some(slot) = index.get_mut(top as usize) {
                *slot = Some(value);
            }
        }
    }
    Some(index)
}

/// A value worked out once for several fields.
type Memo<T> = Option<PyRes<T>>;

pub struct Extractor<'d> {
    data: V<'d>,
    top: Option<[Option<usize>; TOP_COUNT]>,
    pub errors: Vec<Logged<'d>>,
    patient: Memo<V<'d>>,
    occurrence: Memo<PyDateTime>,
    person_names: Memo<(Out<'d>, Out<'d>)>,
    practitioner_names: Memo<(Out<'d>, Out<'d>)>,
    site: Memo<(Out<'d>, Out<'d>)>,
    procedure: Memo<Option<V<'d>>>,
    /// [`Extractor::first_snomed_coding`] of the concept at this tape index.
    snomed: Option<(usize, PyRes<Option<V<'d>>>)>,
}

fn value_error(e: crate::store::pydatetime::DateTimeInvalid) -> PyErr {
    PyErr::new("ValueError", e.0)
}

/// `datetime.fromisoformat(x)` on any value.
fn from_iso(x: V) -> PyRes<PyDateTime> {
    match x.as_str() {
        Some(text) => match common_isoformat(&text) {
            Some(dt) => Ok(dt),
            None => fromisoformat(&text).map_err(value_error),
        },
        None => Err(PyErr::new(
            "TypeError",
            "fromisoformat: argument must be str",
        )),
    }
}

/// `fromisoformat(text)` for the shapes the service's records use
/// (`YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS`, then `Z` or `±HH:MM`) when the value is
/// valid; `None` for anything else, which the general parser reads.
pub(super) fn common_isoformat(text: &str) -> Option<PyDateTime> {
    let bytes = text.as_bytes();
    let number = |from: usize, to: usize| -> Option<u32> {
        let mut value = 0u32;
        for &b in bytes.get(from..to)? {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(b - b'0');
        }
        Some(value)
    };
    let is = |at: usize, expected: u8| bytes.get(at) == Some(&expected);
    if !(is(4, b'-') && is(7, b'-')) {
        return None;
    }
    let year = i32::try_from(number(0, 4)?).ok()?;
    let mut dt = PyDateTime::date(year, number(5, 7)?, number(8, 10)?);
    if bytes.len() > 10 {
        if !(is(10, b'T') && is(13, b':') && is(16, b':')) {
            return None;
        }
        dt.hour = number(11, 13)?;
        dt.minute = number(14, 16)?;
        dt.second = number(17, 19)?;
        dt.offset_seconds = match bytes.len() {
            19 => None,
            20 if is(19, b'Z') => Some(0),
            25 if is(22, b':') => {
                let sign = match bytes.get(19) {
                    Some(b'+') => 1,
                    Some(b'-') => -1,
                    _ => return None,
                };
                let seconds = number(20, 22)? * 3600 + number(23, 25)? * 60;
                Some(sign * i32::try_from(seconds).ok()?)
            }
            _ => return None,
        };
    } else if bytes.len() < 10 {
        return None;
    }
    dt.check().ok()?;
    Some(dt)
}

fn with_utc(mut dt: PyDateTime) -> PyDateTime {
    if dt.offset_seconds.is_none() {
        dt.offset_seconds = Some(0);
    }
    dt
}

/// `n` as at least two decimal digits (`%m`, `%d`, `%H`, …).
#[inline]
fn push_two_digits(out: &mut String, n: u32) {
    if n < 100 {
        out.push(char::from(b'0' + (n / 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    } else {
        push_number(out, n);
    }
}

#[cold]
fn push_number(out: &mut String, n: u32) {
    let _ = write!(out, "{n}");
}

/// `strftime("%Y%m%d")`: the year unpadded (as glibc writes years below 1000),
/// month and day on two digits.
pub fn write_compact_date(out: &mut String, dt: &PyDateTime) {
    match u32::try_from(dt.year) {
        Ok(year) if (1000..10000).contains(&year) => {
            push_two_digits(out, year / 100);
            push_two_digits(out, year % 100);
        }
        _ => {
            let _ = write!(out, "{}", dt.year);
        }
    }
    push_two_digits(out, dt.month);
    push_two_digits(out, dt.day);
}

/// [`Out::Stamp`]'s text: `strftime("%Y%m%dT%H%M%S%z")` with `+0000` written
/// `00` and any other offset `01`.
pub fn write_stamp(out: &mut String, dt: &PyDateTime) {
    write_compact_date(out, dt);
    out.push('T');
    for part in [dt.hour, dt.minute, dt.second] {
        push_two_digits(out, part);
    }
    out.push_str(if dt.offset_seconds == Some(0) {
        "00"
    } else {
        "01"
    });
}

/// Works out a memoised value once.
fn memo<T: Clone>(slot: &mut Memo<T>, compute: impl FnOnce() -> PyRes<T>) -> PyRes<T> {
    match slot {
        Some(done) => done.clone(),
        None => {
            let done = compute();
            *slot = Some(done.clone());
            done
        }
    }
}

/// `x.lower() == target` for a value that is a `str` (any other value: false).
fn lower_is(x: Option<V>, target: &str) -> bool {
    let Some(text) = x.and_then(V::as_str) else {
        return false;
    };
    if text.is_ascii() {
        text.eq_ignore_ascii_case(target)
    } else {
        text.to_lowercase() == target
    }
}

impl<'d> Extractor<'d> {
    pub fn new(data: V<'d>) -> Self {
        Extractor {
            data,
            top: index_top(data),
            errors: Vec::new(),
            patient: None,
            occurrence: None,
            person_names: None,
            practitioner_names: None,
            site: None,
            procedure: None,
            snomed: None,
        }
    }

    fn s(&self, text: &'static str) -> V<'d> {
        self.data.lit(text)
    }

    fn list(&self) -> V<'d> {
        self.data.empty_list()
    }

    fn dict(&self) -> V<'d> {
        self.data.empty_dict()
    }

    fn log_error(&mut self, field: &'static str, value: V<'d>, message: String) {
        self.errors.push(Logged {
            field,
            value,
            message,
        });
    }

    fn log_exception(&mut self, field: &'static str, value: V<'d>, e: PyErr) {
        let message = format!("Unexpected exception [{}]: {}", e.kind, e.message);
        self.log_error(field, value, message);
    }

    /// `self.fhir_json_data.get(key)`.
    fn data_find(&self, key: Top) -> PyRes<Option<V<'d>>> {
        match &self.top {
            Some(index) => Ok(index
                .get(key as usize)
                .copied()
                .flatten()
                .map(|at| self.data.tape(at))),
            None => self.data.get(key.key()),
        }
    }

    /// `self.fhir_json_data.get(key, default)`.
    fn data_get(&self, key: Top, default: V<'d>) -> PyRes<V<'d>> {
        Ok(self.data_find(key)?.unwrap_or(default))
    }

    /// The first contained Patient, or `""`.
    fn patient(&mut self) -> PyRes<V<'d>> {
        let data = self.data;
        let contained = self.data_find(Top::Contained);
        memo(&mut self.patient, || {
            let Some(contained) = contained? else {
                return Ok(data.lit(""));
            };
            // Only a list holds objects; iterating a dict or a string yields strings.
            for c in contained.iter()? {
                if c.is_dict() && eq_str(c.get(key!("resourceType"))?, "Patient") {
                    return Ok(c);
                }
            }
            Ok(data.lit(""))
        })
    }

    fn occurrence_time(&mut self) -> PyRes<PyDateTime> {
        let v = self.data_get(Top::OccurrenceDateTime, self.s(""));
        memo(&mut self.occurrence, || {
            let v = v?;
            Ok(with_utc(from_iso(v)?))
        })
    }

    /// Whether a name/address `period` covers the occurrence time (no period: yes;
    /// a date-only end covers its whole day; naive values are UTC).
    fn is_current_period(x: V<'d>, t: &PyDateTime) -> PyRes<bool> {
        let Some(period) = x.get(key!("period"))? else {
            return Ok(true);
        };
        if !period.is_dict() {
            return Ok(true);
        }
        let start = match period.get(key!("start"))? {
            Some(v) if v.truthy() => Some(with_utc(from_iso(v)?)),
            _ => None,
        };
        let end = match period.get(key!("end"))? {
            Some(v) if v.truthy() => {
                let mut e = from_iso(v)?;
                if !v.contains(key!("T"))? {
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
    fn valid_name(&self, names: &Kept<'d>, t: &PyDateTime) -> PyRes<V<'d>> {
        for n in names.iter() {
            if eq_str(n.get(key!("use"))?, "official") && Self::is_current_period(n, t)? {
                return Ok(n);
            }
        }
        for n in names.iter() {
            if Self::is_current_period(n, t)? && !eq_str(n.get(key!("use"))?, "old") {
                return Ok(n);
            }
        }
        Ok(names.first().unwrap_or(self.dict()))
    }

    fn person_names(&mut self) -> PyRes<(Out<'d>, Out<'d>)> {
        if let Some(done) = &self.person_names {
            return done.clone();
        }
        let done = self.compute_person_names();
        self.person_names = Some(done.clone());
        done
    }

    /// `" ".join(x)`: a list of one `str` is that `str`, copied through.
    fn joined(x: V<'d>) -> PyRes<Out<'d>> {
        if x.list_len() == Some(1) {
            if let Some(only) = x.iter()?.next() {
                if only.ty() == Ty::Str {
                    return Ok(Out::Value(only));
                }
            }
        }
        Ok(Out::Text(x.join(" ")?))
    }

    fn compute_person_names(&mut self) -> PyRes<(Out<'d>, Out<'d>)> {
        let t = self.occurrence_time()?;
        let patient = self.patient()?;
        let names = patient.get_or(key!("name"), self.list())?;
        let mut kept = Kept::new();
        for n in names.iter()? {
            if n.contains(key!("given"))? && n.contains(key!("family"))? {
                kept.push(n);
            }
        }
        let empty = Ok((Out::Fixed(""), Out::Fixed("")));
        if kept.is_empty() {
            return empty;
        }
        let selected = self.valid_name(&kept, &t)?;
        let forename = Self::joined(selected.get_or(key!("given"), self.list())?)?;
        let surname = selected.get_or(key!("family"), self.s(""))?;
        let has_forename = match &forename {
            Out::Value(v) => v.truthy(),
            Out::Text(text) => !text.is_empty(),
            _ => false,
        };
        if has_forename && surname.ty() == Ty::Str && surname.truthy() {
            Ok((forename, Out::Value(surname)))
        } else {
            empty
        }
    }

    fn practitioner_names(&mut self) -> PyRes<(Out<'d>, Out<'d>)> {
        if let Some(done) = &self.practitioner_names {
            return done.clone();
        }
        let done = self.compute_practitioner_names();
        self.practitioner_names = Some(done.clone());
        done
    }

    fn compute_practitioner_names(&mut self) -> PyRes<(Out<'d>, Out<'d>)> {
        let empty = Ok((Out::Fixed(""), Out::Fixed("")));
        let contained = self.data_get(Top::Contained, self.list())?;
        let t = self.occurrence_time()?;
        let mut practitioner = None;
        for c in contained.iter()? {
            if c.is_dict() && eq_str(c.get(key!("resourceType"))?, "Practitioner") {
                practitioner = Some(c);
                break;
            }
        }
        let Some(practitioner) = practitioner else {
            return empty;
        };
        if !practitioner.truthy() || !practitioner.contains(key!("name"))? {
            return empty;
        }
        let names = practitioner.get_or(key!("name"), self.list())?;
        let mut kept = Kept::new();
        for n in names.iter()? {
            if n.contains(key!("given"))? || n.contains(key!("family"))? {
                kept.push(n);
            }
        }
        if kept.is_empty() {
            return empty;
        }
        let selected = self.valid_name(&kept, &t)?;
        let forename = Self::joined(selected.get_or(key!("given"), self.list())?)?;
        let surname = selected.get_or(key!("family"), self.s(""))?;
        Ok((forename, Out::Value(surname)))
    }

    /// `_convert_date`: `YYYYMMDD`, or `""` with a recorded error when unparseable.
    fn convert_date(&mut self, field: &'static str, date: V<'d>) -> FieldRes<'d> {
        if !date.truthy() {
            return Ok(Out::Fixed(""));
        }
        match from_iso(date) {
            Ok(dt) => Ok(Out::Date(dt)),
            Err(e) if e.kind == "ValueError" => {
                self.log_exception(field, date, e);
                Ok(Out::Fixed(""))
            }
            Err(e) => Err(e),
        }
    }

    /// `_convert_date_to_safe_format` of `date`, given `with_utc(fromisoformat(date))`
    /// already worked out: `YYYYMMDDTHHMMSS00` (UTC) / `…01` (BST); other offsets
    /// are recorded as unsupported.
    fn safe_format(
        &mut self,
        field: &'static str,
        date: V<'d>,
        parsed: PyRes<PyDateTime>,
    ) -> Out<'d> {
        let dt = match parsed {
            Ok(dt) => dt,
            Err(e) => {
                self.log_exception(field, date, e);
                return Out::Fixed("");
            }
        };
        if !matches!(dt.offset_seconds, Some(0) | Some(3600)) {
            self.log_error(field, date, "Unsupported Format or offset".into());
            return Out::Fixed("");
        }
        // strftime("%Y%m%dT%H%M%S%z") with "+0000" → "00" and "+0100" → "01".
        Out::Stamp(dt)
    }

    /// The first coding of `container.get("coding", [])` whose system is SNOMED
    /// (the loop the code and term rules of a concept both run), remembered for the
    /// last concept asked about.
    fn first_snomed_coding(&mut self, container: V<'d>) -> PyRes<Option<V<'d>>> {
        let at = container.tape_index();
        if let (Some(at), Some((done_at, done))) = (at, &self.snomed) {
            if at == *done_at {
                return done.clone();
            }
        }
        let found = self.find_snomed_coding(container);
        if let Some(at) = at {
            self.snomed = Some((at, found.clone()));
        }
        found
    }

    fn find_snomed_coding(&self, container: V<'d>) -> PyRes<Option<V<'d>>> {
        for coding in container.get_or(key!("coding"), self.list())?.iter()? {
            if eq_str(coding.get(key!("system"))?, SNOMED) {
                return Ok(Some(coding));
            }
        }
        Ok(None)
    }

    fn first_snomed_code(&mut self, container: V<'d>) -> FieldRes<'d> {
        match self.first_snomed_coding(container)? {
            Some(coding) => Ok(Out::Value(coding.get_or(key!("code"), self.s(""))?)),
            None => Ok(Out::Fixed("")),
        }
    }

    fn snomed_display(&self, coding: V<'d>) -> FieldRes<'d> {
        for ext in coding.get_or(key!("extension"), self.list())?.iter()? {
            if eq_str(ext.get(key!("url"))?, SCT_DESC_DISPLAY_URL) {
                if let Some(v) = ext.get(key!("valueString"))? {
                    if v.truthy() {
                        return Ok(Out::Value(v));
                    }
                }
            }
        }
        Ok(Out::Value(coding.get_or(key!("display"), self.s(""))?))
    }

    fn codeable_term(&mut self, concept: V<'d>) -> FieldRes<'d> {
        if let Some(text) = concept.get(key!("text"))? {
            if text.truthy() {
                return Ok(Out::Value(text));
            }
        }
        match self.first_snomed_coding(concept)? {
            Some(coding) => self.snomed_display(coding),
            None => Ok(Out::Fixed("")),
        }
    }

    fn site_information(&mut self) -> PyRes<(Out<'d>, Out<'d>)> {
        if let Some(done) = &self.site {
            return done.clone();
        }
        let done = self.compute_site_information();
        self.site = Some(done.clone());
        done
    }

    fn compute_site_information(&self) -> PyRes<(Out<'d>, Out<'d>)> {
        let performers = self.data_get(Top::Performer, self.list())?;
        let none = Ok((Out::Fixed(""), Out::Fixed("")));
        if performers.list_len().unwrap_or(0) == 0 {
            return none;
        }
        let mut valid = Kept::new();
        for p in performers.iter()? {
            if p.contains(key!("actor"))? {
                let actor = p.get(key!("actor"))?.unwrap_or(self.dict());
                if actor.contains(key!("identifier"))? {
                    valid.push(p);
                }
            }
        }
        let Some(first) = valid.first() else {
            return none;
        };
        let actor_of = |p: V<'d>| p.get_or(key!("actor"), self.dict());
        let system_of = |p: V<'d>| -> PyRes<bool> {
            let identifier = actor_of(p)?.get_or(key!("identifier"), self.dict())?;
            Ok(eq_str(identifier.get(key!("system"))?, ODS))
        };
        let is_org = |p: V<'d>| -> PyRes<bool> {
            Ok(eq_str(actor_of(p)?.get(key!("type"))?, "Organization"))
        };
        let mut selected = None;
        for p in valid.iter() {
            if is_org(p)? && system_of(p)? {
                selected = Some(p);
                break;
            }
        }
        if selected.is_none() {
            for p in valid.iter() {
                if system_of(p)? {
                    selected = Some(p);
                    break;
                }
            }
        }
        if selected.is_none() {
            for p in valid.iter() {
                if is_org(p)? {
                    selected = Some(p);
                    break;
                }
            }
        }
        let selected = selected.unwrap_or(first);
        let identifier = actor_of(selected)?.get_or(key!("identifier"), self.dict())?;
        let present = |v: Option<V<'d>>| v.map_or(Out::Absent, Out::Value);
        Ok((
            present(identifier.get(key!("value"))?),
            present(identifier.get(key!("system"))?),
        ))
    }

    pub fn nhs_number(&mut self) -> FieldRes<'d> {
        let patient = self.patient()?;
        if patient.truthy() {
            for identifier in patient.get_or(key!("identifier"), self.list())?.iter()? {
                if identifier
                    .get_or(key!("system"), self.s(""))?
                    .is_str(NHS_NUMBER_SYSTEM)
                {
                    return Ok(Out::Value(identifier.get_or(key!("value"), self.s(""))?));
                }
            }
        }
        Ok(Out::Fixed(""))
    }

    pub fn person_forename(&mut self) -> FieldRes<'d> {
        Ok(self.person_names()?.0)
    }

    pub fn person_surname(&mut self) -> FieldRes<'d> {
        Ok(self.person_names()?.1)
    }

    pub fn person_dob(&mut self) -> FieldRes<'d> {
        let patient = self.patient()?;
        if patient.truthy() {
            let dob = patient.get_or(key!("birthDate"), self.s(""))?;
            return self.convert_date("PERSON_DOB", dob);
        }
        Ok(Out::Fixed(""))
    }

    pub fn person_gender(&mut self) -> FieldRes<'d> {
        let patient = self.patient()?;
        if patient.truthy() {
            let gender = patient.get_or(key!("gender"), self.s(""))?;
            let Some(text) = gender.as_str() else {
                return Err(PyErr::new(
                    "AttributeError",
                    format!("'{}' object has no attribute 'upper'", gender.type_name()),
                ));
            };
            let is = |code: &str| {
                if text.is_ascii() {
                    text.eq_ignore_ascii_case(code)
                } else {
                    text.to_uppercase() == code
                }
            };
            let code = if is("MALE") {
                "1"
            } else if is("FEMALE") {
                "2"
            } else if is("OTHER") {
                "9"
            } else if is("UNKNOWN") {
                "0"
            } else {
                ""
            };
            return Ok(Out::Fixed(code));
        }
        Ok(Out::Fixed(""))
    }

    pub fn valid_address(&mut self) -> FieldRes<'d> {
        let t = self.occurrence_time()?;
        let patient = self.patient()?;
        let addresses = patient.get_or(key!("address"), self.list())?;
        let count = match addresses.list_len() {
            Some(n) if n > 0 => n,
            _ => return Ok(Out::Fixed(DEFAULT_POSTCODE)),
        };
        let postcode_or_default = |a: V<'d>| -> FieldRes<'d> {
            match a.get(key!("postalCode"))? {
                Some(v) if v.truthy() => Ok(Out::Value(v)),
                _ => Ok(Out::Fixed(DEFAULT_POSTCODE)),
            }
        };
        if count == 1 {
            if let Some(only) = addresses.iter()?.next() {
                return postcode_or_default(only);
            }
        }
        let mut valid = Kept::new();
        for a in addresses.iter()? {
            if a.get(key!("postalCode"))?.is_some_and(V::truthy) && Self::is_current_period(a, &t)?
            {
                valid.push(a);
            }
        }
        let Some(first) = valid.first() else {
            return Ok(Out::Fixed(DEFAULT_POSTCODE));
        };
        let mut selected = None;
        for a in valid.iter() {
            if lower_is(a.get(key!("use"))?, "home") && !lower_is(a.get(key!("type"))?, "postal") {
                selected = Some(a);
                break;
            }
        }
        if selected.is_none() {
            for a in valid.iter() {
                if !lower_is(a.get(key!("use"))?, "old")
                    && !lower_is(a.get(key!("type"))?, "postal")
                {
                    selected = Some(a);
                    break;
                }
            }
        }
        if selected.is_none() {
            for a in valid.iter() {
                if !lower_is(a.get(key!("use"))?, "old") {
                    selected = Some(a);
                    break;
                }
            }
        }
        postcode_or_default(selected.unwrap_or(first))
    }

    pub fn date_time(&mut self) -> FieldRes<'d> {
        let date = self.data_get(Top::OccurrenceDateTime, self.s(""))?;
        if date.truthy() {
            // The same `fromisoformat` of the same value as the occurrence time:
            // its outcome is taken from there rather than parsed again.
            let parsed = self.occurrence_time();
            return Ok(self.safe_format("DATE_AND_TIME", date, parsed));
        }
        Ok(Out::Fixed(""))
    }

    pub fn site_code(&mut self) -> FieldRes<'d> {
        Ok(self.site_information()?.0)
    }

    pub fn site_code_type_uri(&mut self) -> FieldRes<'d> {
        Ok(self.site_information()?.1)
    }

    pub fn unique_id(&mut self) -> FieldRes<'d> {
        let identifier = self.data_get(Top::Identifier, self.list())?;
        if identifier.list_len().is_some_and(|n| n > 0) {
            if let Some(first) = identifier.iter()?.next() {
                return Ok(Out::Value(first.get_or(key!("value"), self.s(""))?));
            }
        }
        Ok(Out::Fixed(""))
    }

    pub fn unique_id_uri(&mut self) -> FieldRes<'d> {
        let identifier = self.data_get(Top::Identifier, self.list())?;
        if identifier.list_len() == Some(1) {
            if let Some(only) = identifier.iter()?.next() {
                return Ok(Out::Value(only.get_or(key!("system"), self.s(""))?));
            }
        }
        Ok(Out::Fixed(""))
    }

    pub fn practitioner_forename(&mut self) -> FieldRes<'d> {
        Ok(self.practitioner_names()?.0)
    }

    pub fn practitioner_surname(&mut self) -> FieldRes<'d> {
        Ok(self.practitioner_names()?.1)
    }

    pub fn recorded_date(&mut self) -> FieldRes<'d> {
        let date = self.data_get(Top::Recorded, self.s(""))?;
        self.convert_date("RECORDED_DATE", date)
    }

    pub fn primary_source(&mut self) -> FieldRes<'d> {
        match self.data_find(Top::PrimarySource)?.and_then(V::as_bool) {
            Some(true) => Ok(Out::Fixed("TRUE")),
            Some(false) => Ok(Out::Fixed("FALSE")),
            None => Ok(Out::Fixed("")),
        }
    }

    fn vaccination_procedure(&mut self) -> PyRes<Option<V<'d>>> {
        let data = self.data;
        let extensions = self.data_get(Top::Extension, self.list());
        memo(&mut self.procedure, || {
            for ext in extensions?.iter()? {
                if eq_str(ext.get(key!("url"))?, VACCINATION_PROCEDURE_URL) {
                    return Ok(Some(
                        ext.get_or(key!("valueCodeableConcept"), data.empty_dict())?,
                    ));
                }
            }
            Ok(None)
        })
    }

    pub fn vaccination_procedure_code(&mut self) -> FieldRes<'d> {
        match self.vaccination_procedure()? {
            Some(cc) => self.first_snomed_code(cc),
            None => Ok(Out::Fixed("")),
        }
    }

    pub fn vaccination_procedure_term(&mut self) -> FieldRes<'d> {
        match self.vaccination_procedure()? {
            Some(cc) => self.codeable_term(cc),
            None => Ok(Out::Fixed("")),
        }
    }

    pub fn dose_sequence(&mut self) -> FieldRes<'d> {
        let applied = self.data_get(Top::ProtocolApplied, self.list())?;
        if applied.truthy() {
            let first = match applied.list_len() {
                Some(_) => applied.iter()?.next().unwrap_or(self.dict()),
                None => self.dict(),
            };
            return Ok(match first.get(key!("doseNumberPositiveInt"))? {
                // `str()` of a string is itself; of a non-negative JSON int, its digits.
                Some(d) if d.ty() == Ty::Str && d.truthy() => Out::Value(d),
                Some(d)
                    if d.kind() == Some(Kind::Int) && d.truthy() && !d.raw().starts_with('-') =>
                {
                    Out::Raw(d.raw())
                }
                Some(d) if d.truthy() => Out::Text(
                    crate::store::primitive::string(&d.to_node().value).unwrap_or_default(),
                ),
                _ => Out::Fixed(""),
            });
        }
        Ok(Out::Fixed(""))
    }

    pub fn vaccine_product_code(&mut self) -> FieldRes<'d> {
        let cc = self.data_get(Top::VaccineCode, self.dict())?;
        self.first_snomed_code(cc)
    }

    pub fn vaccine_product_term(&mut self) -> FieldRes<'d> {
        let cc = self.data_get(Top::VaccineCode, self.dict())?;
        self.codeable_term(cc)
    }

    pub fn vaccine_manufacturer(&mut self) -> FieldRes<'d> {
        let m = self.data_get(Top::Manufacturer, self.dict())?;
        if m.truthy() {
            return Ok(Out::Value(m.get_or(key!("display"), self.s(""))?));
        }
        Ok(Out::Fixed(""))
    }

    pub fn batch_number(&mut self) -> FieldRes<'d> {
        Ok(Out::Value(self.data_get(Top::LotNumber, self.s(""))?))
    }

    pub fn expiry_date(&mut self) -> FieldRes<'d> {
        let date = self.data_get(Top::ExpirationDate, self.s(""))?;
        self.convert_date("EXPIRY_DATE", date)
    }

    pub fn site_of_vaccination_code(&mut self) -> FieldRes<'d> {
        let cc = self.data_get(Top::Site, self.dict())?;
        self.first_snomed_code(cc)
    }

    pub fn site_of_vaccination_term(&mut self) -> FieldRes<'d> {
        let cc = self.data_get(Top::Site, self.dict())?;
        self.codeable_term(cc)
    }

    pub fn route_of_vaccination_code(&mut self) -> FieldRes<'d> {
        let cc = self.data_get(Top::Route, self.dict())?;
        self.first_snomed_code(cc)
    }

    pub fn route_of_vaccination_term(&mut self) -> FieldRes<'d> {
        let cc = self.data_get(Top::Route, self.dict())?;
        self.codeable_term(cc)
    }

    pub fn dose_amount(&mut self) -> FieldRes<'d> {
        let dq = self.data_get(Top::DoseQuantity, self.dict())?;
        Ok(Out::Value(dq.get_or(key!("value"), self.s(""))?))
    }

    pub fn dose_unit_code(&mut self) -> FieldRes<'d> {
        let dq = self.data_get(Top::DoseQuantity, self.dict())?;
        if eq_str(dq.get(key!("system"))?, SNOMED) {
            if let Some(code) = dq.get(key!("code"))? {
                if code.truthy() {
                    return Ok(Out::Value(code));
                }
            }
        }
        Ok(Out::Fixed(""))
    }

    pub fn dose_unit_term(&mut self) -> FieldRes<'d> {
        let dq = self.data_get(Top::DoseQuantity, self.dict())?;
        Ok(Out::Value(dq.get_or(key!("unit"), self.s(""))?))
    }

    pub fn indication_code(&mut self) -> FieldRes<'d> {
        for reason in self.data_get(Top::ReasonCode, self.list())?.iter()? {
            for coding in reason.get_or(key!("coding"), self.list())?.iter()? {
                if eq_str(coding.get(key!("system"))?, SNOMED) {
                    return Ok(Out::Value(coding.get_or(key!("code"), self.s(""))?));
                }
            }
        }
        Ok(Out::Fixed(""))
    }

    fn location_identifier(&self, key: Key<'static>, default: &'static str) -> FieldRes<'d> {
        let location = self.data_get(Top::Location, self.dict())?;
        if location.truthy() {
            let identifier = location.get_or(key!("identifier"), self.dict())?;
            return Ok(Out::Value(identifier.get_or(key, self.s(default))?));
        }
        Ok(Out::Fixed(default))
    }

    pub fn location_code(&mut self) -> FieldRes<'d> {
        self.location_identifier(key!("value"), DEFAULT_LOCATION)
    }

    pub fn location_code_type_uri(&mut self) -> FieldRes<'d> {
        self.location_identifier(key!("system"), ODS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_member_keys_have_distinct_tags_and_are_found_by_them() {
        let names = [
            "contained",
            "occurrenceDateTime",
            "performer",
            "identifier",
            "recorded",
            "primarySource",
            "extension",
            "protocolApplied",
            "vaccineCode",
            "manufacturer",
            "lotNumber",
            "expirationDate",
            "site",
            "route",
            "doseQuantity",
            "reasonCode",
            "location",
        ];
        assert_eq!(names.len(), TOP_COUNT);
        let mut text = String::from("{");
        for (i, name) in names.iter().enumerate() {
            let _ = write!(text, "\"{name}\": {i}, ");
        }
        // Near misses: same length and first bytes, or an escaped spelling.
        text.push_str("\"containex\": 0, \"lo\\u0063ation\": 99, \"sit\": 0, \"recordedX\": 0}");
        let tape = super::super::doc::read_tape(&text).expect("tape");
        let doc = Doc::from_tape(&text, &tape);
        let index = index_top(V::root(&doc)).expect("object");
        for (i, name) in names.iter().enumerate() {
            let at = index.get(i).copied().flatten().expect(name);
            let want = if *name == "location" {
                "99"
            } else {
                &i.to_string()
            };
            assert_eq!(doc.raw(at), want, "{name}");
        }
        for (i, a) in names.iter().enumerate() {
            for b in names.iter().skip(i + 1) {
                assert_ne!(Key::new(a).tag, Key::new(b).tag, "{a} {b}");
            }
        }
    }
}
