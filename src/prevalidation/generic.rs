//! The helpers of upstream `generic_utils.py` the validators rely on, with the
//! same behaviour on values of unexpected types (the exceptions they raise
//! reach the service's answer).

use std::borrow::Cow;

use super::constants::is_allowed_key;
use super::lookups::{Contained, Lookups, SnomedExtension};
use crate::json::{key_eq, Node, Value};
use crate::python::{int_of_digits, str_isdigit, str_len, PyExcKind, PyResult, PyVal};

/// Upstream `get_contained_resource`: the first `contained` item whose
/// `resourceType` equals `resource_type` (`IndexError` when there is none).
pub fn get_contained_resource<'a>(imms: &PyVal<'a>, resource_type: &str) -> PyResult<PyVal<'a>> {
    first_get_eq(&imms.get("contained")?, "resourceType", resource_type)
}

/// The `IndexError` of `[][0]`.
pub fn list_index_out_of_range() -> crate::python::PyException {
    crate::python::PyException::index_error("list index out of range")
}

/// `value[k1][k2]...`, `None` at the first missing key (where Python raises
/// `KeyError`); any other exception of the subscripts is raised.
pub fn path<'a>(value: &PyVal<'a>, keys: &[&str]) -> PyResult<Option<PyVal<'a>>> {
    // Through the body's own dicts, node to node; anything else (a literal
    // default, a value that is not a dict) as Python evaluates it.
    let PyVal::Node(mut node) = value else {
        return path_of_values(value.clone(), keys);
    };
    for (at, key) in keys.iter().enumerate() {
        let Value::Object(members) = &node.value else {
            return path_of_values(PyVal::Node(node), keys.get(at..).unwrap_or_default());
        };
        match members.iter().find(|(k, _)| key_eq(k, key)) {
            Some((_, next)) => node = next,
            None => return Ok(None),
        }
    }
    Ok(Some(PyVal::Node(node)))
}

/// [`path`] one subscript at a time on any value.
#[cold]
#[inline(never)]
fn path_of_values<'a>(mut current: PyVal<'a>, keys: &[&str]) -> PyResult<Option<PyVal<'a>>> {
    for key in keys {
        match current.lookup(key)? {
            Some(next) => current = next,
            None => return Ok(None),
        }
    }
    Ok(Some(current))
}

/// `[x for x in values if x.get(key) == literal]`, or the first item of it
/// (`None` when empty). Every item is tested, as the comprehension does, so a
/// later item that is not a dict still raises.
pub fn find_get_eq<'a>(
    values: &PyVal<'a>,
    key: &str,
    literal: &str,
) -> PyResult<Option<PyVal<'a>>> {
    // A list of the body's dicts, item by item; anything else (another
    // iterable, an item that is not a dict) as Python evaluates it.
    let PyVal::Node(Node {
        value: Value::Array(items),
        ..
    }) = values
    else {
        return find_get_eq_of_values(values.iter()?, None, key, literal);
    };
    let mut found: Option<&'a Node> = None;
    for (at, x) in items.iter().enumerate() {
        let Value::Object(members) = &x.value else {
            let rest = items.get(at..).unwrap_or_default().iter().map(PyVal::Node);
            return find_get_eq_of_values(rest, found.map(PyVal::Node), key, literal);
        };
        let equal = members
            .iter()
            .find(|(k, _)| key_eq(k, key))
            .and_then(|(_, v)| v.as_str())
            .is_some_and(|text| key_eq(text, literal));
        if equal && found.is_none() {
            found = Some(x);
        }
    }
    Ok(found.map(PyVal::Node))
}

/// [`find_get_eq`] over any items, `found` being what earlier items gave.
#[cold]
#[inline(never)]
fn find_get_eq_of_values<'a>(
    items: impl Iterator<Item = PyVal<'a>>,
    mut found: Option<PyVal<'a>>,
    key: &str,
    literal: &str,
) -> PyResult<Option<PyVal<'a>>> {
    for x in items {
        if x.get(key)?.eq_str(literal) && found.is_none() {
            found = Some(x);
        }
    }
    Ok(found)
}

/// `[x for x in values if x.get(key) == literal][0]`.
pub fn first_get_eq<'a>(values: &PyVal<'a>, key: &str, literal: &str) -> PyResult<PyVal<'a>> {
    find_get_eq(values, key, literal)?.ok_or_else(list_index_out_of_range)
}

/// Upstream `get_generic_extension_value`: `extension[url].valueCodeableConcept.coding[system][field_type]`,
/// `None` where it raises `KeyError` or `IndexError` (its callers swallow both).
pub fn get_generic_extension_value<'a>(
    json_data: &PyVal<'a>,
    url: &str,
    system: &str,
    field_type: &str,
) -> PyResult<Option<PyVal<'a>>> {
    let Some(extensions) = json_data.lookup("extension")? else {
        return Ok(None);
    };
    let Some(extension) = find_get_eq(&extensions, "url", url)? else {
        return Ok(None);
    };
    let Some(coding) = path(&extension, &["valueCodeableConcept", "coding"])? else {
        return Ok(None);
    };
    match find_get_eq(&coding, "system", system)? {
        Some(chosen) => chosen.lookup(field_type),
        None => Ok(None),
    }
}

/// Upstream `generate_field_location_for_extension`.
pub fn generate_field_location_for_extension(
    url: &str,
    system: &str,
    field_type: &str,
) -> Cow<'static, str> {
    use super::constants::{SNOMED, VACCINATION_PROCEDURE, VACCINATION_SITUATION};
    // Compared word by word: the texts are long.
    let procedure = key_eq(url, VACCINATION_PROCEDURE);
    let situation = !procedure && key_eq(url, VACCINATION_SITUATION);
    let snomed = key_eq(system, SNOMED);
    match (procedure, situation, snomed) {
        (true, _, true) => snomed_extension_location(SnomedExtension::Procedure, field_type),
        (_, true, true) => snomed_extension_location(SnomedExtension::Situation, field_type),
        _ => Cow::Owned(format!(
            "extension[?(@.url=='{url}')].valueCodeableConcept.coding[?(@.system=='{system}')].{field_type}"
        )),
    }
}

/// [`generate_field_location_for_extension`] of the extension's SNOMED coding.
pub fn snomed_extension_location(which: SnomedExtension, field_type: &str) -> Cow<'static, str> {
    const PROCEDURE_CODE: &str = "extension[?(@.url=='https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationProcedure')].valueCodeableConcept.coding[?(@.system=='http://snomed.info/sct')].code";
    const PROCEDURE_DISPLAY: &str = "extension[?(@.url=='https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationProcedure')].valueCodeableConcept.coding[?(@.system=='http://snomed.info/sct')].display";
    const SITUATION_CODE: &str = "extension[?(@.url=='https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationSituation')].valueCodeableConcept.coding[?(@.system=='http://snomed.info/sct')].code";
    const SITUATION_DISPLAY: &str = "extension[?(@.url=='https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationSituation')].valueCodeableConcept.coding[?(@.system=='http://snomed.info/sct')].display";
    match (which, field_type) {
        (SnomedExtension::Procedure, "code") => Cow::Borrowed(PROCEDURE_CODE),
        (SnomedExtension::Procedure, "display") => Cow::Borrowed(PROCEDURE_DISPLAY),
        (SnomedExtension::Situation, "code") => Cow::Borrowed(SITUATION_CODE),
        (SnomedExtension::Situation, "display") => Cow::Borrowed(SITUATION_DISPLAY),
        _ => Cow::Owned(format!(
            "extension[?(@.url=='{}')].valueCodeableConcept.coding[?(@.system=='{}')].{field_type}",
            which.url(),
            super::constants::SNOMED
        )),
    }
}

/// Upstream `check_for_unknown_elements`: one message per key not allowed in the resource.
pub fn check_for_unknown_elements(
    resource: &PyVal<'_>,
    resource_type: &str,
) -> PyResult<Vec<String>> {
    let mut errors = Vec::new();
    for key in resource.keys()? {
        let key = key.as_str().unwrap_or_default();
        if !is_allowed_key(resource_type, key) {
            errors.push(format!(
                "{key} is not an allowed element of the {resource_type} resource for this service"
            ));
        }
    }
    Ok(errors)
}

/// Verhoeff checksum of a string of digits (`None` where a character has no digit value).
fn verhoeff_checksum(number: &str) -> Option<usize> {
    let mut digits = Vec::new();
    for c in number.chars().rev() {
        digits.push(crate::python::decimal_value(c)? as u8);
    }
    Some(verhoeff_of_reversed(digits.into_iter()))
}

/// Verhoeff checksum of digit values given from the last to the first.
fn verhoeff_of_reversed(digits: impl Iterator<Item = u8>) -> usize {
    let mut check = 0;
    for (i, digit) in digits.enumerate() {
        check = verhoeff_step(i, check, usize::from(digit % 10));
    }
    check
}

/// The check after the digit at `position` (counted from the last digit); a
/// digit out of range leaves 0.
#[inline]
fn verhoeff_step(position: usize, check: usize, digit: usize) -> usize {
    let permuted = VERHOEFF_PERMUTATION
        .get(position % 8)
        .and_then(|row| row.get(digit));
    permuted
        .and_then(|&p| VERHOEFF_MULTIPLICATION.get(check)?.get(usize::from(p)))
        .map_or(0, |&next| usize::from(next))
}

/// [`verhoeff_of_reversed`] of a text of ASCII digits, read from its last byte
/// (another byte gives some check, never a panic).
fn verhoeff_of_ascii_digits(digits: &[u8]) -> usize {
    let mut check = 0usize;
    for (i, &byte) in digits.iter().rev().enumerate() {
        check = verhoeff_step(i, check, usize::from(byte.wrapping_sub(b'0')));
    }
    check
}

const VERHOEFF_MULTIPLICATION: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_PERMUTATION: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// Upstream `is_valid_simple_snomed`: 6 to 18 digits, not starting with `0`,
/// passing the Verhoeff check, with partition digits `00` or `10`. Where upstream
/// raises (its only caller turns that into the same failure), this answers `false`.
pub fn is_valid_simple_snomed(code: &str) -> bool {
    let bytes = code.as_bytes();
    if !bytes.is_empty() && bytes.iter().all(u8::is_ascii_digit) {
        // ASCII digits: one character per byte, each its own value.
        let n = bytes.len();
        return (6..=18).contains(&n)
            && bytes.first() != Some(&b'0')
            && verhoeff_of_ascii_digits(bytes) == 0
            && matches!(bytes.get(n - 3), Some(b'0' | b'1'))
            && bytes.get(n - 2) == Some(&b'0');
    }
    let length = str_len(code);
    // The two characters before the last (`code[-3:-1]`), read from the end.
    let mut from_end = code.chars().rev().skip(1);
    let (before_last, third_last) = (from_end.next(), from_end.next());
    str_isdigit(code)
        && !code.starts_with('0')
        && (6..=18).contains(&length)
        && verhoeff_checksum(code) == Some(0)
        && matches!(third_last, Some('0' | '1'))
        && before_last == Some('0')
}

/// `int(c)` of one character of a str that passed `isdigit()`.
fn int_of_char(c: char) -> PyResult<u64> {
    match c {
        '0'..='9' => Ok(u64::from(c) - u64::from('0')),
        _ => int_of_digits(c.encode_utf8(&mut [0; 4])),
    }
}

/// Upstream `nhs_number_mod11_check`. `int()` of a digit-like character that is
/// not a decimal digit (`²`) raises `ValueError`, as upstream.
pub fn nhs_number_mod11_check(nhs_number: &str) -> PyResult<bool> {
    let bytes = nhs_number.as_bytes();
    if bytes.len() == 10 && bytes.iter().all(u8::is_ascii_digit) {
        // Ten ASCII digits: the same sum over the byte values.
        let total: u64 = bytes
            .iter()
            .take(9)
            .zip((2..=10u64).rev())
            .map(|(b, weight)| u64::from(b - b'0') * weight)
            .sum();
        let check_digit = if total.is_multiple_of(11) {
            0
        } else {
            11 - total % 11
        };
        return Ok(bytes.get(9).map(|b| u64::from(b - b'0')) == Some(check_digit));
    }
    if !(str_isdigit(nhs_number) && str_len(nhs_number) == 10) {
        return Ok(false);
    }
    let mut total: u64 = 0;
    let mut chars = nhs_number.chars();
    for (c, weight) in chars.by_ref().take(9).zip((2..=10u64).rev()) {
        total += int_of_char(c)? * weight;
    }
    let check_digit = if total.is_multiple_of(11) {
        0
    } else {
        11 - total % 11
    };
    let last = chars.next().map_or(Ok(u64::MAX), int_of_char)?;
    Ok(check_digit == last)
}

/// Upstream `generate_field_location_for_name`.
pub fn generate_field_location_for_name(
    index: usize,
    name_value: &str,
    resource_type: &str,
) -> Cow<'static, str> {
    match (index, resource_type, name_value) {
        (0, "Patient", "given") => {
            Cow::Borrowed("contained[?(@.resourceType=='Patient')].name[0].given")
        }
        (0, "Patient", "family") => {
            Cow::Borrowed("contained[?(@.resourceType=='Patient')].name[0].family")
        }
        (0, "Practitioner", "given") => {
            Cow::Borrowed("contained[?(@.resourceType=='Practitioner')].name[0].given")
        }
        (0, "Practitioner", "family") => {
            Cow::Borrowed("contained[?(@.resourceType=='Practitioner')].name[0].family")
        }
        _ => Cow::Owned(format!(
            "contained[?(@.resourceType=='{resource_type}')].name[{index}].{name_value}"
        )),
    }
}

/// Upstream `obtain_current_name_period`: whether a name `period` covers the
/// occurrence (compared as raw values, with Python's `<`/`>`).
pub fn obtain_current_name_period(
    period: &PyVal<'_>,
    occurrence_date: &PyVal<'_>,
) -> PyResult<bool> {
    if !period.truthy() {
        return Ok(true);
    }
    let start = period.get("start")?;
    let end = period.get("end")?;
    if start.truthy() && occurrence_date.truthy() && occurrence_date.lt(&start)? {
        return Ok(false);
    }
    if end.truthy() && occurrence_date.truthy() && occurrence_date.gt(&end)? {
        return Ok(false);
    }
    Ok(true)
}

/// Upstream `get_current_name_instance`: the index and value of the name in
/// force at the occurrence (official first, then not old, then any current, then the first).
pub fn get_current_name_instance<'a>(
    names: &PyVal<'a>,
    occurrence_date: &PyVal<'_>,
) -> PyResult<(usize, PyVal<'a>)> {
    if names.py_len()? == 1 {
        return Ok((0, names.index(0)?));
    }
    let mut valid = Vec::new();
    for (index, name) in names.iter()?.enumerate() {
        if name.contains_str("given")? && name.contains_str("family")? {
            valid.push((index, name));
        }
    }
    let mut current = Vec::new();
    for (index, name) in valid {
        if !name.is_dict() {
            continue;
        }
        let outcome = (|| -> PyResult<bool> {
            if !name.contains_str("period")? {
                return Ok(true);
            }
            obtain_current_name_period(&name.get_or("period", PyVal::EmptyDict)?, occurrence_date)
        })();
        match outcome {
            Ok(true) => current.push((index, name)),
            Ok(false) => {}
            Err(e) if e.is_one_of(&[PyExcKind::KeyError, PyExcKind::ValueError]) => {}
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
    if let Some((index, name)) = current.into_iter().next() {
        return Ok((index, name));
    }
    Ok((0, names.index(0)?))
}

/// Upstream `patient_and_practitioner_value_and_index`: the `given`/`family`
/// value of the contained resource's current name, and that name's index.
///
/// The current name itself is found once per body ([`Lookups::current_name`]).
pub fn patient_and_practitioner_value_and_index<'a>(
    imms: &Lookups<'a>,
    name_value: &str,
    kind: Contained,
) -> PyResult<(PyVal<'a>, usize)> {
    let (index, selected_name) = imms.current_name(kind)?;
    Ok((selected_name.getitem(name_value)?, index))
}

/// Upstream `obtain_name_field_location`, given what
/// [`patient_and_practitioner_value_and_index`] answered for the same name part:
/// the field location of the current name's `given`/`family` (index 0 when the
/// name cannot be found; a `TypeError` on the way propagates).
pub fn name_field_location(
    found: &PyResult<(PyVal<'_>, usize)>,
    resource_type: &str,
    name_value: &str,
) -> PyResult<Cow<'static, str>> {
    let index = match found {
        Ok((_, index)) => *index,
        Err(e)
            if e.is_one_of(&[
                PyExcKind::KeyError,
                PyExcKind::IndexError,
                PyExcKind::AttributeError,
            ]) =>
        {
            0
        }
        Err(e) => return Err(e.clone()),
    };
    Ok(generate_field_location_for_name(
        index,
        name_value,
        resource_type,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::loads;

    /// The same answer, or the same exception.
    fn same(fast: PyResult<Option<PyVal<'_>>>, general: PyResult<Option<PyVal<'_>>>, what: &str) {
        match (fast, general) {
            (Ok(a), Ok(b)) => assert_eq!(
                a.map(|v| (v.py_repr().ok(), v.node().map(|n| n as *const Node))),
                b.map(|v| (v.py_repr().ok(), v.node().map(|n| n as *const Node))),
                "{what}"
            ),
            (Err(a), Err(b)) => assert_eq!(a, b, "{what}"),
            (a, b) => panic!("{what}: {a:?} {b:?}"),
        }
    }

    const ODD_VALUES: &[&str] = &[
        r#"{"coding": [{"system": "s", "code": "c"}, {"system": "s", "code": "d"}]}"#,
        r#"{"coding": {"system": "s"}, "identifier": {"value": "v", "system": 1}}"#,
        r#"{"coding": "text", "identifier": [1], "display": null}"#,
        r#"{"coding": null, "identifier": {"value": {"value": "x"}}}"#,
        r#"{"coding": [], "identifier": {}, "é": {"😀": "\ud800"}}"#,
        r#"{"coding": [{"system": 5}, {"system": "s"}, "s", {"system": "s"}]}"#,
        r#"{"coding": [{"system": "s"}, null, {"system": "t"}]}"#,
        r#"{"coding": [{"code": "c"}, {"system": ["s"]}, {"system": "s", "system": "t"}]}"#,
        r#"{"coding": [{"system": "s"}, {"system": "s"}, {}, [], 1.5]}"#,
        r#"[{"system": "s"}, {"system": "t"}]"#,
        r#"[]"#,
        r#""system""#,
        r#"null"#,
        r#"12"#,
    ];

    /// [`path`] answers as subscripting each value in turn does.
    #[test]
    fn path_of_body_nodes_is_path_of_values() {
        let key_lists: &[&[&str]] = &[
            &[],
            &["coding"],
            &["identifier", "value"],
            &["identifier", "value", "value"],
            &["identifier", "system"],
            &["coding", "system"],
            &["display", "x"],
            &["é", "😀"],
            &["missing", "x"],
            &[""],
        ];
        for text in ODD_VALUES {
            let node = loads(text).unwrap();
            let value = PyVal::Node(&node);
            for keys in key_lists {
                let what = format!("{text} {keys:?}");
                same(
                    path(&value, keys),
                    path_of_values(value.clone(), keys),
                    &what,
                );
            }
        }
        for value in [
            PyVal::EmptyDict,
            PyVal::EmptyList,
            PyVal::None,
            PyVal::str("ab"),
        ] {
            for keys in key_lists {
                same(
                    path(&value, keys),
                    path_of_values(value.clone(), keys),
                    "literal",
                );
            }
        }
    }

    /// [`find_get_eq`] answers as the comprehension over any iterable does.
    #[test]
    fn find_get_eq_of_body_lists_is_the_comprehension() {
        for text in ODD_VALUES {
            let node = loads(text).unwrap();
            let mut values = vec![PyVal::Node(&node)];
            if let Some(coding) = node.get("coding") {
                values.push(PyVal::Node(coding));
            }
            for value in &values {
                for (key, literal) in [("system", "s"), ("system", "t"), ("code", "c"), ("x", "")] {
                    let what = format!("{text} {key} {literal}");
                    let general = value
                        .iter()
                        .and_then(|items| find_get_eq_of_values(items, None, key, literal));
                    same(find_get_eq(value, key, literal), general, &what);
                }
            }
        }
        for value in [
            PyVal::EmptyDict,
            PyVal::EmptyList,
            PyVal::None,
            PyVal::str("ab"),
        ] {
            let general = value
                .iter()
                .and_then(|items| find_get_eq_of_values(items, None, "system", "s"));
            same(find_get_eq(&value, "system", "s"), general, "literal");
        }
    }

    /// One message per key not allowed, in the dict's order; none for a dict
    /// whose keys are all allowed.
    #[test]
    fn unknown_elements_of_allowed_dicts_are_none() {
        let resources = [
            r#"{"resourceType": "Patient", "id": "p", "name": []}"#,
            r#"{"resourceType": "Patient", "id": "p", "x": 1, "é": 2}"#,
            r#"{"resourceType": "Practitioner", "name": [], "gender": "x"}"#,
            r#"{"resourceType": "Immunization", "status": "x", "site": 1}"#,
            r#"{}"#,
        ];
        for text in resources {
            let node = loads(text).unwrap();
            let resource = PyVal::Node(&node);
            for resource_type in ["Patient", "Practitioner", "Immunization", "Location"] {
                let key_by_key: Vec<String> = resource
                    .keys()
                    .unwrap()
                    .filter_map(|k| {
                        let k = k.as_str().unwrap_or_default().to_string();
                        (!is_allowed_key(resource_type, &k)).then(|| format!(
                            "{k} is not an allowed element of the {resource_type} resource for this service"
                        ))
                    })
                    .collect();
                assert_eq!(
                    check_for_unknown_elements(&resource, resource_type).unwrap(),
                    key_by_key,
                    "{text} {resource_type}"
                );
            }
        }
        assert!(check_for_unknown_elements(&PyVal::str("x"), "Patient").is_err());
        assert_eq!(
            check_for_unknown_elements(&PyVal::EmptyDict, "Patient"),
            Ok(vec![])
        );
    }

    #[test]
    fn nhs_number_check() {
        assert!(nhs_number_mod11_check("9000000009").unwrap());
        assert!(!nhs_number_mod11_check("9000000008").unwrap());
        assert!(!nhs_number_mod11_check("900000000").unwrap());
        assert_eq!(
            nhs_number_mod11_check("90000000²9").unwrap_err().message,
            "invalid literal for int() with base 10: '²'"
        );
        assert_eq!(
            nhs_number_mod11_check("900000000²").unwrap_err().message,
            "invalid literal for int() with base 10: '²'"
        );
        // Decimal digits of other scripts are read as their values.
        assert!(nhs_number_mod11_check("٩٠٠٠٠٠٠٠٠٩").unwrap());
        assert!(!nhs_number_mod11_check("٩٠٠٠٠٠٠٠٠٨").unwrap());
    }

    #[test]
    fn fixed_locations_are_the_formatted_ones() {
        use super::super::constants::{VACCINATION_PROCEDURE, VACCINATION_SITUATION};
        let snomed = "http://snomed.info/sct";
        for url in [VACCINATION_PROCEDURE, VACCINATION_SITUATION, "x"] {
            for system in [snomed, "y"] {
                for field in ["code", "display", "other"] {
                    assert_eq!(
                        generate_field_location_for_extension(url, system, field),
                        format!("extension[?(@.url=='{url}')].valueCodeableConcept.coding[?(@.system=='{system}')].{field}")
                    );
                }
            }
        }
        for index in [0, 1, 12] {
            for resource_type in ["Patient", "Practitioner", "Location"] {
                for part in ["given", "family", "use"] {
                    assert_eq!(
                        generate_field_location_for_name(index, part, resource_type),
                        format!(
                            "contained[?(@.resourceType=='{resource_type}')].name[{index}].{part}"
                        )
                    );
                }
            }
        }
    }

    /// The ASCII shortcuts answer what the character-by-character reading does.
    #[test]
    fn ascii_shortcuts_are_the_general_reading() {
        fn general_snomed(code: &str) -> bool {
            let chars: Vec<char> = code.chars().collect();
            let n = chars.len();
            str_isdigit(code)
                && !code.starts_with('0')
                && (6..=18).contains(&n)
                && verhoeff_checksum(code) == Some(0)
                && matches!(chars[n - 3], '0' | '1')
                && chars[n - 2] == '0'
        }
        fn general_mod11(number: &str) -> bool {
            let digits: Vec<u64> = number.chars().map(|c| u64::from(c) - 48).collect();
            let total: u64 = digits[..9]
                .iter()
                .zip((2..=10u64).rev())
                .map(|(d, w)| d * w)
                .sum();
            let check = if total.is_multiple_of(11) {
                0
            } else {
                11 - total % 11
            };
            check == digits[9]
        }
        let mut n: u64 = 12_345;
        for _ in 0..200_000 {
            n = n
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let digits = (n >> 20).to_string();
            for len in 1..digits.len() {
                let code = &digits[..len];
                assert_eq!(is_valid_simple_snomed(code), general_snomed(code), "{code}");
                if len == 10 {
                    assert_eq!(
                        nhs_number_mod11_check(code).unwrap(),
                        general_mod11(code),
                        "{code}"
                    );
                }
            }
        }
        for code in [
            "",
            "0",
            "00000000",
            "1000000000",
            "9999999999",
            "123456789012345678901",
        ] {
            assert_eq!(
                is_valid_simple_snomed(code),
                !code.is_empty() && general_snomed(code),
                "{code}"
            );
        }
    }

    /// The Verhoeff step of ASCII digits answers what the two tables do, for
    /// every length up to past the permutation's period and many digit strings.
    #[test]
    fn verhoeff_of_ascii_digits_is_the_two_tables() {
        let mut n: u64 = 987_654_321;
        for _ in 0..50_000 {
            n = n
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let digits = format!("{:020}{:020}", n >> 3, n.rotate_left(17) >> 5);
            for len in 0..=digits.len() {
                let text = &digits.as_bytes()[..len];
                let two_tables = text.iter().rev().enumerate().fold(0, |check, (i, b)| {
                    let p = VERHOEFF_PERMUTATION[i % 8][usize::from(b - b'0')];
                    usize::from(VERHOEFF_MULTIPLICATION[check][usize::from(p)])
                });
                assert_eq!(verhoeff_of_ascii_digits(text), two_tables, "{digits} {len}");
                assert_eq!(
                    verhoeff_of_reversed(text.iter().rev().map(|b| b - b'0')),
                    two_tables,
                    "{digits} {len}"
                );
            }
        }
        // Bytes that are not digits give some check without panicking.
        assert!(verhoeff_of_ascii_digits(b"\xff\x00abc/:") < 10);
    }

    #[test]
    fn snomed_check() {
        assert!(is_valid_simple_snomed("1324681000000101"));
        assert!(is_valid_simple_snomed("39114911000001105"));
        assert!(is_valid_simple_snomed("368208006"));
        assert!(!is_valid_simple_snomed("368208007"));
        assert!(!is_valid_simple_snomed("12345"));
        assert!(!is_valid_simple_snomed("0368208006"));
        assert!(!is_valid_simple_snomed(""));
        assert!(!is_valid_simple_snomed("٣٦٨٢٠٨٠٠٦"));
        // Every code of 6 to 8 digits agrees with the partition read as a str slice.
        let mut valid = 0;
        for n in 100_000..2_000_000u32 {
            let code = n.to_string();
            let chars: Vec<char> = code.chars().collect();
            let partition: String = chars[chars.len() - 3..chars.len() - 1].iter().collect();
            let expected =
                verhoeff_checksum(&code) == Some(0) && (partition == "00" || partition == "10");
            assert_eq!(is_valid_simple_snomed(&code), expected, "{code}");
            valid += usize::from(expected);
        }
        assert!(valid > 1_000);
    }
}
