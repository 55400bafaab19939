//! What `.json()` needs to know about one model class, read out of the packed model
//! table once per class and kept for the life of the program: the elements in
//! serialisation order with their keys already written as JSON text, each element's
//! `_name` companion, and every key pydantic accepts for the class (JSON names and
//! Python attribute names) sorted for lookup.

use crate::delta::doc::key_tag;
use crate::fhir_model::{all_types, type_def, FieldDef, FieldType, Primitive, TypeDef};
use crate::json::key_eq;
use std::sync::OnceLock;

/// What an element (or each item of a list element) holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Primitive(Primitive),
    /// A model class, by its index in [`all_types`].
    Complex(usize),
    /// Any resource, chosen by the value's own `resourceType`.
    Resource,
}

/// A primitive element's `_name` companion (`FHIRPrimitiveExtension`).
#[derive(Debug)]
pub struct CompanionPlan {
    /// `, "_name": ` as written after another member (see [`SEPARATOR`]).
    pub key_text: Box<str>,
    /// The key's tag as the delta's reader records it (see [`plain_tag`]).
    pub key_tag: Option<u64>,
    /// The JSON key (`_name`), for error paths.
    pub json_name: Box<str>,
    /// A list companion (for a list element: a list of optional extensions).
    pub is_list: bool,
}

/// One element, in serialisation order.
#[derive(Debug)]
pub struct ElementPlan {
    /// `, "name": ` as written after another member (see [`SEPARATOR`]).
    pub key_text: Box<str>,
    /// The key's tag as the delta's reader records it (see [`plain_tag`]).
    pub key_tag: Option<u64>,
    pub json_name: &'static str,
    /// The Python attribute name, when pydantic has a distinct one (`class_fhir`).
    pub alt_name: Option<Box<str>>,
    pub kind: Kind,
    pub is_list: bool,
    /// List items may be `null` (`List[Optional[...]]`).
    pub items_nullable: bool,
    pub companion: Option<CompanionPlan>,
}

/// Which value of an object a key supplies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The value of slot `n` under its JSON name.
    Json(usize),
    /// The value of slot `n` under its Python attribute name (taken when the JSON
    /// name is absent).
    Alt(usize),
    /// `resourceType` (accepted, not read: a resource is written under its class name).
    ResourceType,
    /// `fhir_comments`.
    Comments,
    /// A field of the class that `.json()` does not write.
    Unwritten,
}

/// Slot of element `i` is `2 * i`; slot of its companion is `2 * i + 1`.
pub fn element_slot(i: usize) -> usize {
    2 * i
}

pub fn companion_slot(i: usize) -> usize {
    2 * i + 1
}

/// One model class as `.json()` writes it.
#[derive(Debug)]
pub struct ClassPlan {
    pub name: &'static str,
    pub is_resource: bool,
    /// `"resourceType": "Name"` as written (resources only).
    pub resource_type_text: Box<str>,
    /// The tag of `resourceType` as the delta's reader records it, when the class
    /// name is written as it is (see [`plain_tag`]).
    pub resource_type_tag: Option<u64>,
    pub elements: Box<[ElementPlan]>,
    /// Every accepted key with what it supplies (a key may appear more than once).
    keys: Box<[(Box<str>, Target)]>,
    /// Open-addressing index of `keys` by [`key_hash`]: entry number + 1, 0 for
    /// an empty bucket, with [`REPEATED`] set when another entry has the same key;
    /// a power of two in size, at least twice the keys.
    buckets: Box<[u16]>,
}

/// A hash of the key's length and its first and last four bytes (all of them when
/// shorter): enough to tell a class's keys apart, read in a few operations.
fn key_hash(key: &str) -> usize {
    let bytes = key.as_bytes();
    let len = bytes.len();
    let word = |at: usize| {
        bytes
            .get(at..at + 4)
            .and_then(|w| <[u8; 4]>::try_from(w).ok())
            .map_or(0, u32::from_le_bytes)
    };
    let mixed = if len >= 4 {
        word(0) ^ word(len - 4).rotate_left(16)
    } else {
        bytes.iter().fold(0u32, |h, &b| (h << 8) | u32::from(b))
    };
    ((mixed ^ len as u32).wrapping_mul(0x9e37_79b1) >> 7) as usize
}

/// The bucket bit of a key that has more than one entry.
const REPEATED: u16 = 0x8000;

/// The bucket index of `keys`.
fn buckets_of(keys: &[(Box<str>, Target)]) -> Box<[u16]> {
    let size = (2 * keys.len()).next_power_of_two().max(8);
    let mut buckets = vec![0u16; size];
    for (entry, (key, _)) in keys.iter().enumerate() {
        let mut at = key_hash(key) & (size - 1);
        while buckets.get(at).is_some_and(|&b| b != 0) {
            at = (at + 1) & (size - 1);
        }
        let repeated = keys.iter().filter(|(other, _)| other == key).count() > 1;
        if let Some(bucket) = buckets.get_mut(at) {
            *bucket = u16::try_from(entry + 1)
                .ok()
                .filter(|&e| e < REPEATED)
                .map_or(0, |e| if repeated { e | REPEATED } else { e });
        }
    }
    buckets.into()
}

impl ClassPlan {
    /// Calls `each` with every target `key` supplies; returns whether the key is
    /// known to the class at all (pydantic forbids extra keys).
    pub fn resolve(&self, key: &str, mut each: impl FnMut(Target)) -> bool {
        let mask = self.buckets.len().wrapping_sub(1);
        let mut at = key_hash(key) & mask;
        let mut known = false;
        // Every entry of this key sits in the run of full buckets from its hash (a
        // key of one entry: the search ends there).
        while let Some(&bucket) = self.buckets.get(at) {
            let Some((k, target)) = usize::from(bucket & !REPEATED)
                .checked_sub(1)
                .and_then(|entry| self.keys.get(entry))
            else {
                break;
            };
            if key_eq(k, key) {
                known = true;
                each(*target);
                if bucket & REPEATED == 0 {
                    break;
                }
            }
            at = (at + 1) & mask;
        }
        known
    }

    /// The element with this JSON name and its index.
    pub fn element(&self, json_name: &str) -> Option<(usize, &ElementPlan)> {
        let mut index = None;
        self.resolve(json_name, |target| {
            if let Target::Json(slot) = target {
                if slot % 2 == 0 {
                    index.get_or_insert(slot / 2);
                }
            }
        });
        let index = index?;
        let element = self.elements.get(index)?;
        key_eq(element.json_name, json_name).then_some((index, element))
    }

    fn build(def: &TypeDef) -> ClassPlan {
        let fields: Vec<FieldDef> = def.fields.iter().collect();
        let mut keys: Vec<(Box<str>, Target)> = vec![
            ("resourceType".into(), Target::ResourceType),
            ("fhir_comments".into(), Target::Comments),
        ];
        let mut elements = Vec::new();
        // Slot of each field (by position in `fields`), when `.json()` writes it.
        let mut slot_of: Vec<Option<usize>> = vec![None; fields.len()];
        for field in def.elements() {
            let i = elements.len();
            if let Some(at) = fields.iter().position(|f| f.json_name == field.json_name) {
                if let Some(s) = slot_of.get_mut(at) {
                    s.get_or_insert(element_slot(i));
                }
            }
            let companion = field.ext_json_name().and_then(|ext_name| {
                let at = fields.iter().position(|f| f.json_name == ext_name)?;
                if let Some(s) = slot_of.get_mut(at) {
                    s.get_or_insert(companion_slot(i));
                }
                let key_text = key_text(&ext_name);
                Some(CompanionPlan {
                    key_tag: plain_tag(&ext_name),
                    key_text,
                    json_name: ext_name.into(),
                    is_list: field.is_list(),
                })
            });
            let key_text = key_text(field.json_name);
            elements.push(ElementPlan {
                key_tag: plain_tag(field.json_name),
                key_text,
                json_name: field.json_name,
                alt_name: field
                    .has_alt_name()
                    .then(|| alt_name(&field))
                    .flatten()
                    .map(String::into_boxed_str),
                kind: kind(field.ty),
                is_list: field.is_list(),
                items_nullable: field.items_nullable(),
                companion,
            });
        }
        for (field, slot) in fields.iter().zip(&slot_of) {
            keys.push((
                field.json_name.into(),
                slot.map_or(Target::Unwritten, Target::Json),
            ));
            if field.has_alt_name() {
                if let Some(alt) = alt_name(field) {
                    keys.push((alt.into(), slot.map_or(Target::Unwritten, Target::Alt)));
                }
            }
        }
        let buckets = buckets_of(&keys);
        let mut resource_type_text = String::from("\"resourceType\": ");
        super::pyjson::write_str(&mut resource_type_text, def.name, true);
        ClassPlan {
            name: def.name,
            is_resource: def.is_resource,
            resource_type_text: resource_type_text.into(),
            resource_type_tag: plain_tag(def.name).and(plain_tag(RESOURCE_TYPE)),
            elements: elements.into(),
            keys: keys.into(),
            buckets,
        }
    }
}

/// The key every resource is written with first.
pub const RESOURCE_TYPE: &str = "resourceType";

/// The tag the delta's reader ([`crate::delta::doc`]) records for a key `name` written
/// as it is: every character printable ASCII other than `"` and `\\` (a plain string
/// literal, see [`crate::store::pyjson::write_str_reporting`]). `None` for any
/// other name.
pub fn plain_tag(name: &str) -> Option<u64> {
    let plain = name
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\');
    plain.then(|| key_tag(name.as_bytes()))
}

/// What stands between two members of an object; a key text without it opens one.
pub const SEPARATOR: &str = ", ";

/// `, "key": ` as `simplejson` writes it after another member.
fn key_text(name: &str) -> Box<str> {
    let mut out = String::with_capacity(name.len() + 6);
    out.push_str(SEPARATOR);
    super::pyjson::write_str(&mut out, name, true);
    out.push_str(": ");
    out.into()
}

/// The Python attribute name of a field that has one: `name__ext` for a companion,
/// else the keyword-safe name (`class_fhir`), found among the candidates pydantic
/// accepts for it.
fn alt_name(field: &FieldDef) -> Option<String> {
    let base = field.json_name.strip_prefix('_').unwrap_or(field.json_name);
    [
        format!("{base}__ext"),
        format!("{}_fhir", field.json_name),
        format!("{}_", field.json_name),
    ]
    .into_iter()
    .find(|candidate| field.py_name_is(candidate))
}

fn kind(ty: FieldType) -> Kind {
    match ty {
        FieldType::Primitive(p) => Kind::Primitive(p),
        FieldType::Complex(name) => class_index(name).map_or(Kind::Resource, Kind::Complex),
        FieldType::Resource => Kind::Resource,
    }
}

/// Index in [`all_types`] of the class of this name: found through the model's
/// own name index ([`type_def`]), its position read from where it stands in the
/// table (checked; a binary search otherwise).
pub fn class_index(name: &str) -> Option<usize> {
    let all = all_types();
    let def = type_def(name)?;
    let offset = (def as *const TypeDef as usize).wrapping_sub(all.as_ptr() as usize)
        / std::mem::size_of::<TypeDef>().max(1);
    match all.get(offset) {
        Some(at) if std::ptr::eq(at, def) => Some(offset),
        _ => all.binary_search_by(|t| t.name.cmp(name)).ok(),
    }
}

/// The classes the repository names itself, looked up once.
pub struct Known {
    pub immunization: Option<usize>,
    pub patient: Option<usize>,
    pub primitive_extension: Option<usize>,
}

pub fn known() -> &'static Known {
    static KNOWN: OnceLock<Known> = OnceLock::new();
    KNOWN.get_or_init(|| Known {
        immunization: class_index("Immunization"),
        patient: class_index("Patient"),
        primitive_extension: class_index("FHIRPrimitiveExtension"),
    })
}

/// The plan of class `index` of [`all_types`], built on first use.
pub fn plan(index: usize) -> Option<&'static ClassPlan> {
    static PLANS: OnceLock<Box<[OnceLock<ClassPlan>]>> = OnceLock::new();
    let plans = PLANS.get_or_init(|| all_types().iter().map(|_| OnceLock::new()).collect());
    let def = all_types().get(index)?;
    Some(plans.get(index)?.get_or_init(|| ClassPlan::build(def)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_indices_are_positions_in_the_table() {
        for (index, def) in all_types().iter().enumerate() {
            assert_eq!(class_index(def.name), Some(index), "{}", def.name);
        }
        for name in [
            "",
            "immunization",
            "Immunization ",
            "Imm",
            "ZZZ",
            "é",
            "Patient\u{0}",
        ] {
            assert_eq!(class_index(name), None, "{name:?}");
        }
    }

    #[test]
    fn every_alt_name_is_found() {
        for def in all_types() {
            for field in def.fields.iter() {
                if field.has_alt_name() {
                    let alt = alt_name(&field);
                    assert!(alt.is_some(), "{}.{}", def.name, field.json_name);
                }
            }
        }
    }

    #[test]
    fn plans_follow_the_model_table() {
        for (index, def) in all_types().iter().enumerate() {
            let plan = plan(index).expect("plan");
            assert_eq!(plan.name, def.name);
            let names: Vec<&str> = def.elements().map(|f| f.json_name).collect();
            let planned: Vec<&str> = plan.elements.iter().map(|e| e.json_name).collect();
            assert_eq!(names, planned, "{}", def.name);
            for field in def.fields.iter() {
                assert!(plan.resolve(field.json_name, |_| {}), "{}", field.json_name);
                if let Some(alt) = alt_name(&field) {
                    let mut targets = Vec::new();
                    plan.resolve(&alt, |t| targets.push(t));
                    assert!(!targets.is_empty());
                }
            }
            assert!(!plan.resolve("noSuchKey", |_| {}));
        }
    }

    /// Every key finds all its entries and only them, repeated or not.
    #[test]
    fn keys_resolve_to_every_entry() {
        let mut repeated = 0;
        for index in 0..all_types().len() {
            let plan = plan(index).expect("plan");
            for (key, _) in plan.keys.iter() {
                let expected: Vec<Target> = plan
                    .keys
                    .iter()
                    .filter(|(k, _)| k == key)
                    .map(|(_, t)| *t)
                    .collect();
                repeated += usize::from(expected.len() > 1);
                let mut found = Vec::new();
                assert!(plan.resolve(key, |t| found.push(t)));
                assert_eq!(found, expected, "{}.{key}", plan.name);
                let longer = format!("{key}x");
                let shorter = key.get(..key.len().saturating_sub(1)).unwrap_or("");
                for other in [longer.as_str(), shorter] {
                    let known = plan.keys.iter().any(|(k, _)| &**k == other);
                    assert_eq!(plan.resolve(other, |_| {}), known, "{other}");
                }
            }
        }
        assert!(repeated > 0, "some key has two entries");
    }

    #[test]
    fn immunization_keys() {
        let index = class_index("Immunization").expect("Immunization");
        let plan = plan(index).expect("plan");
        assert_eq!(
            &*plan.resource_type_text,
            r#""resourceType": "Immunization""#
        );
        let (i, status) = plan.element("status").expect("status");
        assert!(plan.element("_status").is_none() && plan.element("nope").is_none());
        for (index, element) in plan.elements.iter().enumerate() {
            assert_eq!(plan.element(element.json_name).map(|e| e.0), Some(index));
        }
        assert_eq!(&*status.key_text, r#", "status": "#);
        let mut targets = Vec::new();
        plan.resolve("status__ext", |t| targets.push(t));
        assert_eq!(targets, vec![Target::Alt(companion_slot(i))]);
        targets.clear();
        plan.resolve("_status", |t| targets.push(t));
        assert_eq!(targets, vec![Target::Json(companion_slot(i))]);
        let enc = plan_of("Encounter");
        let (c, _) = enc.element("class").expect("class");
        targets.clear();
        enc.resolve("class_fhir", |t| targets.push(t));
        assert_eq!(
            enc.elements.get(c).and_then(|e| e.alt_name.as_deref()),
            Some("class_fhir")
        );
        assert_eq!(targets, vec![Target::Alt(element_slot(c))]);
        assert!(type_def("FHIRPrimitiveExtension").is_some());
    }

    fn plan_of(name: &str) -> &'static ClassPlan {
        plan(class_index(name).expect("class")).expect("plan")
    }
}
