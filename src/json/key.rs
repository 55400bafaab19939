//! Dict keys ([`Key`]): the member names of a JSON object.
//!
//! An Immunization body repeats a few dozen FHIR element names (`system`,
//! `code`, `coding`, ...). [`Key::new`] recognises those and refers to a
//! shared static copy of the text instead of allocating one per occurrence;
//! any other name is owned. Either way a key is just its text: equality,
//! ordering, hashing, `Debug` and `Display` are those of the `str`.

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;

use super::value::{key_eq, word4, word8};

/// The name of a member of a JSON object (a Python `dict` key).
#[derive(Clone, Default, PartialOrd, Ord)]
pub struct Key(Cow<'static, str>);

impl Key {
    /// The key with text `text`, shared when it is a [`KNOWN`] name.
    #[inline]
    pub fn new(text: &str) -> Key {
        match known(text) {
            Some(name) => Key(Cow::Borrowed(name)),
            None => Key(Cow::Owned(text.to_owned())),
        }
    }

    /// The key with text `text`, never copied.
    pub const fn from_static(text: &'static str) -> Key {
        Key(Cow::Borrowed(text))
    }

    #[inline]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl Deref for Key {
    type Target = str;

    #[inline]
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Key {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq for Key {
    #[inline]
    fn eq(&self, other: &Key) -> bool {
        key_eq(&self.0, &other.0)
    }
}

impl Eq for Key {}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq<str> for Key {
    #[inline]
    fn eq(&self, other: &str) -> bool {
        key_eq(&self.0, other)
    }
}

impl PartialEq<&str> for Key {
    #[inline]
    fn eq(&self, other: &&str) -> bool {
        key_eq(&self.0, other)
    }
}

impl PartialEq<String> for Key {
    #[inline]
    fn eq(&self, other: &String) -> bool {
        key_eq(&self.0, other)
    }
}

impl PartialEq<Key> for str {
    #[inline]
    fn eq(&self, other: &Key) -> bool {
        key_eq(self, &other.0)
    }
}

impl PartialEq<Key> for &str {
    #[inline]
    fn eq(&self, other: &Key) -> bool {
        key_eq(self, &other.0)
    }
}

impl PartialEq<Key> for String {
    #[inline]
    fn eq(&self, other: &Key) -> bool {
        key_eq(self, &other.0)
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<String> for Key {
    fn from(text: String) -> Key {
        match known(&text) {
            Some(name) => Key(Cow::Borrowed(name)),
            None => Key(Cow::Owned(text)),
        }
    }
}

impl From<&str> for Key {
    fn from(text: &str) -> Key {
        Key::new(text)
    }
}

impl From<Key> for String {
    fn from(key: Key) -> String {
        key.into_string()
    }
}

/// The element names of FHIR R4 Immunization bodies (the resource, its
/// contained Patient and Practitioner, and the data types they use), which
/// keys share rather than copy.
pub const KNOWN: &[&str] = &[
    "resourceType",
    "id",
    "meta",
    "versionId",
    "lastUpdated",
    "source",
    "profile",
    "security",
    "tag",
    "implicitRules",
    "language",
    "text",
    "div",
    "contained",
    "extension",
    "modifierExtension",
    "url",
    "identifier",
    "use",
    "type",
    "system",
    "value",
    "period",
    "start",
    "end",
    "assigner",
    "status",
    "statusReason",
    "vaccineCode",
    "coding",
    "code",
    "display",
    "version",
    "userSelected",
    "patient",
    "encounter",
    "occurrenceDateTime",
    "occurrenceString",
    "recorded",
    "primarySource",
    "reportOrigin",
    "location",
    "manufacturer",
    "lotNumber",
    "expirationDate",
    "site",
    "route",
    "doseQuantity",
    "unit",
    "comparator",
    "performer",
    "function",
    "actor",
    "reference",
    "note",
    "reasonCode",
    "reasonReference",
    "isSubpotent",
    "subpotentReason",
    "education",
    "programEligibility",
    "fundingSource",
    "reaction",
    "date",
    "detail",
    "reported",
    "protocolApplied",
    "series",
    "authority",
    "targetDisease",
    "doseNumberPositiveInt",
    "doseNumberString",
    "seriesDosesPositiveInt",
    "seriesDosesString",
    "valueCodeableConcept",
    "valueString",
    "valueReference",
    "valueBoolean",
    "valueCoding",
    "valueDateTime",
    "valueInteger",
    "valueDecimal",
    "valueQuantity",
    "name",
    "family",
    "given",
    "prefix",
    "suffix",
    "telecom",
    "gender",
    "birthDate",
    "deceasedBoolean",
    "deceasedDateTime",
    "address",
    "line",
    "city",
    "district",
    "state",
    "postalCode",
    "country",
    "active",
    "qualification",
    "issuer",
    "rank",
    "documentType",
    "publicationDate",
    "presentationDate",
];

/// Slots of the [`KNOWN`] names' table (a power of two, at least twice as many).
const SLOTS: usize = 512;

/// Multiplier of [`slot_of`], chosen so that every [`KNOWN`] name has a slot
/// of its own (a search for a known name ends at its first slot).
const MIX: u64 = 0x1b95_910d_8e3f_ebef;

/// The little-endian value of `count` (at most 8) bytes of `name` from `at`,
/// at compile time.
const fn const_word(name: &[u8], at: usize, count: usize) -> u64 {
    let mut word = 0u64;
    let mut i = 0;
    while i < count {
        word |= (name[at + i] as u64) << (8 * i);
        i += 1;
    }
    word
}

/// The bytes [`slot_of`] mixes, at compile time: the first and last eight
/// bytes (four from four to seven, all of them below four) and the length.
const fn const_fingerprint(name: &[u8]) -> u64 {
    let n = name.len();
    let words = if n >= 8 {
        const_word(name, 0, 8) ^ (const_word(name, n - 8, 8) << 1)
    } else if n >= 4 {
        const_word(name, 0, 4) | const_word(name, n - 4, 4) << 32
    } else {
        const_word(name, 0, n)
    };
    words ^ n as u64
}

/// [`const_fingerprint`] at run time, by whole-word loads.
#[inline(always)]
fn fingerprint(name: &[u8]) -> u64 {
    let n = name.len();
    let words = if n >= 8 {
        word8(name, 0) ^ (word8(name, n - 8) << 1)
    } else if n >= 4 {
        u64::from(word4(name, 0)) | u64::from(word4(name, n - 4)) << 32
    } else {
        name.iter()
            .rev()
            .fold(0u64, |word, &byte| word << 8 | u64::from(byte))
    };
    words ^ n as u64
}

/// Where a search for a name's fingerprint starts in the table.
#[inline(always)]
const fn slot_of(fingerprint: u64) -> usize {
    (fingerprint.wrapping_mul(MIX) >> 55) as usize & (SLOTS - 1)
}

const fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The [`KNOWN`] names by [`slot_of`], open addressing with linear probing
/// ("" marks an empty slot).
static TABLE: [&str; SLOTS] = {
    let mut table = [""; SLOTS];
    let mut k = 0;
    while k < KNOWN.len() {
        let name = KNOWN[k];
        let mut at = slot_of(const_fingerprint(name.as_bytes()));
        let mut present = false;
        while !table[at].is_empty() {
            if same_bytes(table[at].as_bytes(), name.as_bytes()) {
                present = true;
            }
            at = (at + 1) & (SLOTS - 1);
        }
        if !present {
            table[at] = name;
        }
        k += 1;
    }
    table
};

/// The shared copy of `text`, if it is one of the [`KNOWN`] names.
#[inline]
fn known(text: &str) -> Option<&'static str> {
    let mut at = slot_of(fingerprint(text.as_bytes()));
    loop {
        let name: &'static str = TABLE.get(at).copied().unwrap_or("");
        if name.is_empty() {
            return None;
        }
        if key_eq(name, text) {
            return Some(name);
        }
        at = (at + 1) & (SLOTS - 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_name_is_found_and_shared() {
        for &name in KNOWN {
            let owned = name.to_string();
            assert_eq!(known(&owned), Some(name));
            let key = Key::new(&owned);
            assert!(matches!(key.0, Cow::Borrowed(_)), "{name}");
            assert_eq!(key, name);
        }
    }

    #[test]
    fn other_names_are_owned_and_equal_to_their_text() {
        for text in [
            "",
            "x",
            "systems",
            "Code",
            "cod",
            "resourcetype",
            "é",
            "😀",
            "\u{10f800}",
            "display ",
            "valueCodeableConcep",
            "vaccineCodes",
        ] {
            assert_eq!(known(text), None, "{text:?}");
            let key = Key::new(text);
            assert!(matches!(key.0, Cow::Owned(_)));
            assert_eq!(key.as_str(), text);
            assert_eq!(key, Key::from(text.to_string()));
            assert_eq!(format!("{key:?}"), format!("{text:?}"));
            assert_eq!(key.to_string(), text);
        }
        assert_eq!(Key::new("code"), Key::from("code".to_string()));
        assert_ne!(Key::new("code"), Key::new("codes"));
        assert!(Key::new("a") < Key::new("b"));
    }

    #[test]
    fn run_time_fingerprints_match_the_tables() {
        let mut texts: Vec<String> = KNOWN.iter().map(|n| n.to_string()).collect();
        let alphabet: Vec<char> = "aZ0é😀\u{10f800}".chars().collect();
        for n in 0..40 {
            texts.push(alphabet.iter().cycle().skip(n).take(n).collect());
        }
        for text in &texts {
            let bytes = text.as_bytes();
            assert_eq!(fingerprint(bytes), const_fingerprint(bytes), "{text:?}");
        }
    }

    #[test]
    fn every_known_name_has_a_slot_of_its_own() {
        for &name in KNOWN {
            let slot = slot_of(fingerprint(name.as_bytes()));
            assert_eq!(TABLE[slot], name);
        }
    }

    #[test]
    fn the_table_has_room_to_end_every_search() {
        let taken = TABLE.iter().filter(|name| !name.is_empty()).count();
        assert!(taken * 2 <= SLOTS);
        assert!(KNOWN.iter().all(|name| TABLE.contains(name)));
    }
}
