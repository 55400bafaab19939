//! The disease → vaccine-type map (the service's `disease_mapping.json`, as its
//! cache loader turns it into the `diseases_to_vacc` hash): each vaccine type's
//! SNOMED disease codes, sorted and joined with `:`, name the vaccine type.

use std::sync::OnceLock;

use serde::Serialize;
use serde_json::Value as JsonValue;

/// The map the service is configured with, embedded (its JSON, without the whitespace between tokens).
pub const EMBEDDED_JSON: &str = crate::reference::DISEASE_MAPPING;

/// One target disease of a vaccine type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disease {
    pub code: String,
    /// Display term, where the map gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
}

/// One vaccine type and the diseases it targets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VaccineEntry {
    pub vacc_type: String,
    pub diseases: Vec<Disease>,
}

/// The disease → vaccine-type map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiseaseMapping {
    entries: Vec<VaccineEntry>,
    /// `(sorted codes joined by ':', vaccine type)`; a later entry with the same key replaces an earlier one.
    by_codes: Vec<(String, String)>,
}

impl Default for DiseaseMapping {
    /// The embedded map the service is configured with.
    fn default() -> Self {
        Self::embedded().clone()
    }
}

impl DiseaseMapping {
    /// The embedded map, parsed once.
    pub fn embedded() -> &'static DiseaseMapping {
        static EMBEDDED: OnceLock<DiseaseMapping> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            DiseaseMapping::from_json(EMBEDDED_JSON).unwrap_or(DiseaseMapping {
                entries: Vec::new(),
                by_codes: Vec::new(),
            })
        })
    }

    /// Reads a map in the service's `disease_mapping.json` shape: a list of
    /// `{"vacc_type": ..., "diseases": [{"code": ..., "term": ...}]}`. Entries
    /// lacking `vacc_type` or `diseases` are skipped, as the service's loader skips them.
    pub fn from_json(text: &str) -> Result<DiseaseMapping, String> {
        let parsed: JsonValue =
            serde_json::from_str(text).map_err(|e| format!("disease mapping is not JSON: {e}"))?;
        let JsonValue::Array(items) = parsed else {
            return Err("disease mapping must be a list of vaccine types".to_string());
        };
        let mut entries = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let JsonValue::Object(entry) = item else {
                return Err(format!("disease mapping entry {index} must be an object"));
            };
            let (Some(vacc_type), Some(diseases)) = (entry.get("vacc_type"), entry.get("diseases"))
            else {
                continue;
            };
            let Some(vacc_type) = vacc_type.as_str() else {
                return Err(format!(
                    "disease mapping entry {index}: vacc_type must be a string"
                ));
            };
            let Some(diseases) = diseases.as_array() else {
                return Err(format!(
                    "disease mapping entry {index}: diseases must be a list"
                ));
            };
            let mut parsed_diseases = Vec::new();
            for disease in diseases {
                let code = disease
                    .get("code")
                    .and_then(JsonValue::as_str)
                    .ok_or_else(|| {
                        format!("disease mapping entry {index}: every disease needs a string code")
                    })?;
                parsed_diseases.push(Disease {
                    code: code.to_string(),
                    term: disease
                        .get("term")
                        .and_then(JsonValue::as_str)
                        .map(str::to_string),
                });
            }
            entries.push(VaccineEntry {
                vacc_type: vacc_type.to_string(),
                diseases: parsed_diseases,
            });
        }
        Ok(DiseaseMapping::from_entries(entries))
    }

    fn from_entries(entries: Vec<VaccineEntry>) -> DiseaseMapping {
        let mut by_codes: Vec<(String, String)> = Vec::new();
        for entry in &entries {
            let key = codes_key(entry.diseases.iter().map(|d| d.code.as_str()));
            match by_codes.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = entry.vacc_type.clone(),
                None => by_codes.push((key, entry.vacc_type.clone())),
            }
        }
        DiseaseMapping { entries, by_codes }
    }

    /// The entries as read, for display.
    pub fn entries(&self) -> &[VaccineEntry] {
        &self.entries
    }

    /// The map as JSON, for display.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.entries).unwrap_or_else(|_| "[]".to_string())
    }

    /// The vaccine type whose diseases are exactly these codes (in any order).
    /// An empty vaccine-type name counts as no match, as in the service.
    pub fn lookup<'s, I: IntoIterator<Item = &'s str>>(&self, codes: I) -> Option<&str> {
        let mut codes = codes.into_iter();
        let found = match (codes.next(), codes.next()) {
            // One code is its own key.
            (Some(only), None) => self.by_key(only),
            (first, second) => {
                self.by_key(&codes_key(first.into_iter().chain(second).chain(codes)))
            }
        };
        found.filter(|v| !v.is_empty())
    }

    #[cfg(test)]
    pub(crate) fn lookup_joined_for_test(&self, key: &str) -> Option<&str> {
        self.by_key(key)
    }

    fn by_key(&self, key: &str) -> Option<&str> {
        self.by_codes
            .iter()
            .find(|(k, _)| crate::json::key_eq(k, key))
            .map(|(_, v)| v.as_str())
    }
}

/// `":".join(sorted(codes))`, sorting by code point as Python sorts strings.
fn codes_key<'s, I: IntoIterator<Item = &'s str>>(codes: I) -> String {
    let mut codes: Vec<&str> = codes.into_iter().collect();
    codes.sort_unstable();
    codes.join(":")
}

/// The vaccine types the map knows, in the map's order, each once.
pub fn vaccine_types(mapping: &DiseaseMapping) -> Vec<String> {
    let mut types: Vec<String> = Vec::new();
    for entry in &mapping.entries {
        if !types.contains(&entry.vacc_type) {
            types.push(entry.vacc_type.clone());
        }
    }
    types
}
