//! A model class's fields by the address of their JSON name's text, for the
//! quick pass of [`super::quick`]: the element names an Immunization body
//! repeats are keys that share one static copy of their text
//! ([`crate::json::Key`]), so the member named `code` is found by comparing
//! an address and a length, without reading the name.
//!
//! Each field's name is kept here as a [`Key`] made the way the body's keys
//! are made: a key of a shared name refers to the same text, and any other
//! key's text lives elsewhere (the text kept here stays allocated as long as
//! the map, so no key made later can be given its address). A key whose
//! address is not found may still be a field's name written as an owned
//! copy: [`FieldMap::find`] says `None` and the caller looks it up by text.

use crate::fhir_model::{all_types, FieldShape, Holds, TypeDef};
use crate::json::Key;
use std::sync::OnceLock;

/// What a key found in a [`FieldMap`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// The field at this position of [`TypeDef::fields`], of this shape, and
    /// what it holds (the shape's [`FieldShape::holds`], resolved once).
    Field(usize, FieldShape, Holds),
    /// `resourceType`, which is no class's field.
    ResourceType,
}

/// The fields of one model class by the address of their name, and which must be given.
pub struct FieldMap {
    /// Open addressing with linear probing, at most half full; an empty slot has length 0.
    slots: Box<[Slot]>,
    /// The names the slots point into, kept alive with the map.
    _names: Vec<Key>,
    /// One bit per field position, set for pydantic-required fields.
    required: Box<[u64]>,
}

#[derive(Clone, Copy)]
struct Slot {
    address: usize,
    len: usize,
    named: Named,
}

/// Words of bits (64 fields each) a class's given fields may need to have a map.
pub const WORDS: usize = 8;

/// Multiplier of [`FieldMap::first_slot`] (the golden-ratio constant).
const HASH_K: u64 = 0x9E37_79B9_7F4A_7C15;

impl FieldMap {
    /// The map of class `td`, built on first use; `None` when the class has
    /// more fields than [`WORDS`] words of bits hold.
    pub fn of(td: &TypeDef) -> Option<&'static FieldMap> {
        static CLASSES: OnceLock<Box<[OnceLock<Option<FieldMap>>]>> = OnceLock::new();
        let all = CLASSES.get_or_init(|| all_types().iter().map(|_| OnceLock::new()).collect());
        all.get(td.position())?
            .get_or_init(|| FieldMap::build(td))
            .as_ref()
    }

    fn build(td: &TypeDef) -> Option<FieldMap> {
        let fields = td.fields;
        if fields.len() > 64 * WORDS {
            return None;
        }
        let mut names = Vec::with_capacity(fields.len() + 1);
        let mut entries = Vec::with_capacity(fields.len() + 1);
        for index in 0..fields.len() {
            let name = Key::new(fields.json_name_at(index)?);
            let shape = fields.shape_at(index)?;
            entries.push(Named::Field(index, shape, shape.holds()));
            names.push(name);
        }
        if td.field_index("resourceType").is_none() {
            names.push(Key::new("resourceType"));
            entries.push(Named::ResourceType);
        }
        let size = (2 * names.len()).next_power_of_two().max(2);
        let empty = Slot {
            address: 0,
            len: 0,
            named: Named::ResourceType,
        };
        let mut slots = vec![empty; size].into_boxed_slice();
        for (name, &named) in names.iter().zip(&entries) {
            let text = name.as_str();
            let mut at = Self::first_slot(text.as_ptr() as usize, size - 1);
            while slots.get(at)?.len != 0 {
                at = (at + 1) & (size - 1);
            }
            *slots.get_mut(at)? = Slot {
                address: text.as_ptr() as usize,
                len: text.len(),
                named,
            };
        }
        let mut required = vec![0u64; fields.len().div_ceil(64)].into_boxed_slice();
        for &r in td.required() {
            let r = usize::from(r);
            *required.get_mut(r / 64)? |= 1 << (r % 64);
        }
        Some(FieldMap {
            slots,
            _names: names,
            required,
        })
    }

    #[inline(always)]
    fn first_slot(address: usize, mask: usize) -> usize {
        ((address as u64).wrapping_mul(HASH_K) >> 32) as usize & mask
    }

    /// What `key` names, when its text is one this map keeps (see the module doc).
    #[inline(always)]
    pub fn find(&self, key: &str) -> Option<Named> {
        let address = key.as_ptr() as usize;
        let mask = self.slots.len().wrapping_sub(1);
        let mut at = Self::first_slot(address, mask);
        loop {
            let slot = self.slots.get(at)?;
            if slot.address == address && slot.len == key.len() {
                return Some(slot.named);
            }
            if slot.len == 0 {
                return None;
            }
            at = (at + 1) & mask;
        }
    }

    /// The bits of the required fields, 64 positions to a word.
    #[inline(always)]
    pub fn required(&self) -> &[u64] {
        &self.required
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir_model::type_def;
    use crate::json::loads;

    #[test]
    fn keys_of_a_parsed_body_are_found_by_address() {
        let td = type_def("Immunization").expect("Immunization");
        let map = FieldMap::of(td).expect("map");
        let body = loads(r#"{"resourceType": "Immunization", "status": "x", "lotNumber": "1", "zzz": 1, "status\u0041": 2}"#)
            .expect("json");
        let members = body.as_object().expect("object");
        let found: Vec<Option<Named>> = members.iter().map(|(k, _)| map.find(k)).collect();
        let at = |name: &str| td.field_index(name).expect("field");
        let shape = |name: &str| td.fields.shape_at(at(name)).expect("shape");
        assert_eq!(found[0], Some(Named::ResourceType));
        let named = |name: &str| Named::Field(at(name), shape(name), shape(name).holds());
        assert_eq!(found[1], Some(named("status")));
        assert_eq!(found[2], Some(named("lotNumber")));
        assert_eq!(found[3], None);
        assert_eq!(found[4], None);
        // The same texts owned elsewhere are not found by address.
        let owned = String::from("status");
        assert_eq!(map.find(&owned), None);
        assert_eq!(map.find(""), None);
    }

    #[test]
    fn every_class_maps_each_field_it_can_hold() {
        for td in all_types() {
            let Some(map) = FieldMap::of(td) else {
                assert!(td.fields.len() > 64 * WORDS, "{}", td.name);
                continue;
            };
            // `ExampleScenarioInstance` has a field of that name.
            if td.field_index("resourceType").is_none() {
                assert_eq!(
                    map.find(&Key::new("resourceType")),
                    Some(Named::ResourceType)
                );
            }
            for index in 0..td.fields.len() {
                let name = td.fields.json_name_at(index).expect("name");
                let key = Key::new(name);
                // A shared name is found by the body's keys; an owned one only by text.
                if let Some(named) = map.find(&key) {
                    let shape = td.fields.shape_at(index).expect("shape");
                    assert_eq!(named, Named::Field(index, shape, shape.holds()));
                }
                let required = map.required()[index / 64] >> (index % 64) & 1 == 1;
                assert_eq!(required, td.fields.required_at(index), "{}", name);
            }
        }
    }
}
