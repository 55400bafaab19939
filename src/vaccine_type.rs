//! Vaccine type from target-disease codes (upstream `get_vaccine_type`, `disease_mapping.json`).
