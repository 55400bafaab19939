"""Label scenarios with the service's own pre-validation outcome.

Runs the service's `PreValidators(...).validate()` (from a checkout of
NHSDigital/immunisation-fhir-api, path in $SERVICE_CHECKOUT) on each scenario's
body, after the same steps the service takes before it: `json.loads` with
`parse_float=Decimal`, the create-with-id rejection, and keeping only the first
SNOMED coding of `site` and `route`. Prints one line per scenario:

    {"name": ..., "pre": "pass" | "invalid" | "unhandled" | "skip", "message": ...}

which is the PREVALIDATION_EXPECTED format of tests/prevalidation_corpus.rs:

    PREVALIDATION_CORPUS=cases.jsonl PREVALIDATION_EXPECTED=labels.jsonl \
        cargo test --test prevalidation_corpus -- --nocapture

Usage: SERVICE_CHECKOUT=/path/to/checkout python3 prevalidation_stage.py CASES.jsonl > labels.jsonl
"""

import copy
import json
import os
import sys
from decimal import Decimal

CHECKOUT = os.environ["SERVICE_CHECKOUT"]
for part in ("lambdas/backend/src", "lambdas/shared/src"):
    sys.path.insert(0, os.path.join(CHECKOUT, part))

from common.models.errors import MandatoryError  # noqa: E402
from common.models.fhir_immunization_pre_validators import PreValidators  # noqa: E402

SNOMED = "http://snomed.info/sct"


def first_snomed_only(coding):
    kept, seen = [], False
    for entry in coding:
        snomed = isinstance(entry, dict) and entry.get("system") == SNOMED
        if snomed and seen:
            continue
        seen = seen or snomed
        kept.append(entry)
    return kept


def label(scenario):
    request = scenario.get("request", scenario)
    try:
        imms = json.loads(request["body"], parse_float=Decimal)
    except (ValueError, RecursionError):
        return {"pre": "skip"}
    if not isinstance(imms, dict):
        return {"pre": "skip"}
    if request["operation"] == "create" and imms.get("id") is not None:
        return {"pre": "skip"}
    try:
        imms = copy.deepcopy(imms)
    except RecursionError:
        return {"pre": "skip"}
    for field_name in ("site", "route"):
        field = imms.get(field_name)
        coding = field.get("coding") if isinstance(field, dict) else None
        if isinstance(coding, list):
            field["coding"] = first_snomed_only(coding)
    try:
        PreValidators(imms).validate()
    except (ValueError, MandatoryError) as error:
        return {"pre": "invalid", "message": str(error)}
    except BaseException as error:  # what the service answers with a 500
        return {"pre": "unhandled", "message": type(error).__name__}
    return {"pre": "pass"}


def main():
    with open(sys.argv[1], encoding="utf-8") as cases:
        for line in cases:
            scenario = json.loads(line)
            print(json.dumps({"name": scenario.get("name"), **label(scenario)}))


if __name__ == "__main__":
    main()
