//! Pre-validators (upstream `fhir_immunization_pre_validators.py`), one module per field family.
