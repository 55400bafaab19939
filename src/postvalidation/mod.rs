//! Post-validators and mandation (upstream `fhir_immunization_post_validators.py`, `mandation_functions.py`).
