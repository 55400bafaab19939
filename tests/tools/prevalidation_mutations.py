"""Scenarios for the pre-validation stage comparison: each base body of a
corpus with the fields of the extension, protocolApplied, product, site/route,
doseQuantity, reasonCode, performer and location rules deleted, duplicated or
set to values of every JSON type (including `NaN`, `Infinity` and decimals
written as they stand), one at a time and in random combinations.

Usage: python3 prevalidation_mutations.py CORPUS.jsonl [BASES] [COMBINATIONS] [SEED] > cases.jsonl
Label the result with prevalidation_stage.py.
"""

import copy
import json
import random
import sys

SNOMED = "http://snomed.info/sct"
PROCEDURE = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationProcedure"
SITUATION = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationSituation"

# "RAW:<text>" stands for a JSON literal written as <text>.
VALUES = [
    None, True, False, 0, 1, -1, 9, 10, "RAW:1.5", "RAW:1E2", "RAW:NaN", "RAW:Infinity",
    "", " ", "\t", "x", "valueCodeableConcept", "coding", "code", "0",
    [], [{}], ["x"], ["coding"], ["valueCodeableConcept"], {}, {"a": 1},
    {"coding": []}, {"coding": 1}, {"coding": "x"}, [1], [[]], [None], [True],
    SNOMED, {"system": SNOMED}, [{"system": SNOMED}], [{"system": SNOMED, "code": 1}],
    [{"system": SNOMED, "code": "123"}, {"system": SNOMED}],
    "2021-1-2", "2021-02-30", "٢٠٢١-01-01", " 2021-01-01", "2021-01- 1", "2999-01-01",
    "2021-01-01T00:00:00+00:00", "0000-01-01",
    "1324681000000101", "123456", "²²²²²²", "٣٩١١٤٩١١٠٠٠٠٠١١٠٥", "39114911000001105", "0123456", PROCEDURE,
]

PATHS = [
    "extension", "extension/0", "extension/0/url", "extension/0/valueCodeableConcept",
    "extension/0/valueCodeableConcept/coding", "extension/0/valueCodeableConcept/coding/0",
    "extension/0/valueCodeableConcept/coding/0/system", "extension/0/valueCodeableConcept/coding/0/code",
    "extension/0/valueCodeableConcept/coding/0/display",
    "protocolApplied", "protocolApplied/0", "protocolApplied/0/doseNumberPositiveInt",
    "protocolApplied/0/doseNumberString", "protocolApplied/0/targetDisease", "protocolApplied/0/targetDisease/0",
    "protocolApplied/0/targetDisease/0/coding", "protocolApplied/0/targetDisease/0/coding/0",
    "protocolApplied/0/targetDisease/0/coding/0/system", "protocolApplied/0/targetDisease/0/coding/0/code",
    "manufacturer", "manufacturer/display", "lotNumber", "expirationDate",
    "site", "site/coding", "site/coding/0", "site/coding/0/system", "site/coding/0/code", "site/coding/0/display",
    "route", "route/coding", "route/coding/0", "route/coding/0/system", "route/coding/0/code",
    "route/coding/0/display",
    "doseQuantity", "doseQuantity/value", "doseQuantity/code", "doseQuantity/system", "doseQuantity/unit",
    "reasonCode", "reasonCode/0", "reasonCode/0/coding", "reasonCode/0/coding/0", "reasonCode/0/coding/0/code",
    "performer", "performer/1", "performer/1/actor", "performer/1/actor/identifier",
    "performer/1/actor/identifier/system", "performer/1/actor/type",
    "location", "location/identifier", "location/identifier/value", "location/identifier/system",
    "vaccineCode", "vaccineCode/coding", "vaccineCode/coding/0", "vaccineCode/coding/0/system",
    "vaccineCode/coding/0/code", "vaccineCode/coding/0/display",
]

CODINGS = [
    [{"system": "a"}, {"system": "a"}],
    [{"system": 1}, {"system": True}],
    [{"system": "RAW:1.5"}, {"system": "RAW:1.5"}],
    [{"system": "RAW:NaN"}, {"system": "RAW:NaN"}],
    [{"system": "RAW:1E2"}, {"system": 100}],
    [{"system": [1]}, {"system": ["RAW:1.0"]}],
    [{"system": {"a": 1}}, {"system": {"a": True}}],
    [{"system": None}, {"system": None}],
    [{"code": "x"}, {"system": "a"}, {"system": "a"}],
    [{"system": "a"}, {"code": "x"}, {"system": "a"}],
    [{"system": "a"}, "abc", {"system": "a"}],
    [{"system": "a"}, [], {"system": "a"}],
    [{"system": SNOMED, "code": "1324681000000101"}, {"system": SNOMED, "code": "x"}],
    [{"system": "x"}, {"system": SNOMED, "code": "123"}],
    [{"system": SNOMED, "code": "1324681000000101"}, 1],
    [1, {"system": SNOMED, "code": "1324681000000101"}],
    "abc", "", {"system": "a"}, {}, 5,
]

LISTS = CODINGS + [
    [{"coding": []}],
    [{"coding": [{"system": SNOMED}]}, {"coding": "x"}],
    [{"coding": [1]}],
    [{"actor": None}],
    [{"actor": {"type": "Organization", "identifier": []}}],
    [{"actor": {"type": "Organization", "identifier": "x"}}],
    [{"actor": {"type": "Organization", "identifier": {"system": 5}}}],
]

SNOMED_CODES = [
    "1324681000000101", "1324681000000102", "01324681000000101", "132468100000010", "²324681000000101",
    "١٣٢٤٦٨١٠٠٠٠٠٠١٠١", "1324681000000١٠١", "13246810000001O1", "1324681000000101 ",
    "123456789012345678901", "100000",
]

EXTENSIONS = [
    [{"url": SITUATION, "valueCodeableConcept": {"coding": [{"system": SNOMED, "code": 5, "display": []}]}}],
    [{"url": SITUATION, "valueCodeableConcept": {"coding": [{"system": SNOMED, "code": " ", "display": ""}]}}],
    [{"url": SITUATION, "valueCodeableConcept": "coding"}],
    [{"url": SITUATION, "valueCodeableConcept": ["coding"]}],
    [
        {"url": PROCEDURE, "valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "1324681000000101"}]}},
        {"url": SITUATION, "valueCodeableConcept": {"coding": [{"system": SNOMED, "code": 1}]}},
    ],
    ["valueCodeableConcept"], "valueCodeableConcept", ["url"], [["valueCodeableConcept"]],
    {"valueCodeableConcept": {"coding": 1}}, {"url": 1},
    [{"valueCodeableConcept": None}], [{"valueCodeableConcept": 5}], [{"valueCodeableConcept": "xcodingx"}],
    [{"url": None, "valueCodeableConcept": {"coding": []}}],
]


def edit(doc, path, value, delete=False, duplicate=False):
    """Applies one edit at a /-separated path; False when the path does not exist."""
    parts = path.split("/")
    current = doc
    for part in parts[:-1]:
        if isinstance(current, list):
            if not part.isdigit() or int(part) >= len(current):
                return False
            current = current[int(part)]
        elif isinstance(current, dict):
            if part not in current:
                return False
            current = current[part]
        else:
            return False
    last = parts[-1]
    if isinstance(current, list):
        if not last.isdigit() or int(last) >= len(current):
            return False
        last = int(last)
    elif not isinstance(current, dict):
        return False
    if delete or duplicate:
        if isinstance(current, dict) and last not in current:
            return False
        if delete:
            del current[last]
        elif isinstance(current, list):
            current.append(copy.deepcopy(current[last]))
        else:
            old = current[last]
            current[last] = old + copy.deepcopy(old) if isinstance(old, list) else [old, copy.deepcopy(old)]
    else:
        current[last] = copy.deepcopy(value)
    return True


def dumps(doc):
    text = json.dumps(doc, ensure_ascii=False)
    for raw in ("1.5", "1.0", "1E2", "NaN", "Infinity"):
        text = text.replace('"RAW:%s"' % raw, raw)
    return text


def main():
    corpus = sys.argv[1]
    base_count = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    combinations = int(sys.argv[3]) if len(sys.argv) > 3 else 1500
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 7)
    with open(corpus, encoding="utf-8") as lines:
        bases = [s for s in map(json.loads, lines) if s["name"].endswith("/base")][:base_count]

    def emit(base, name, doc):
        request = dict(base["request"])
        request["body"] = dumps(doc)
        print(json.dumps({"name": "%s/%s" % (base["name"], name), "request": request}))

    for base in bases:
        body = json.loads(base["request"]["body"])
        for path in PATHS:
            variants = [("del", None, True, False), ("dup", None, False, True)]
            variants += [("set", value, False, False) for value in VALUES]
            for kind, value, delete, duplicate in variants:
                doc = copy.deepcopy(body)
                if edit(doc, path, value, delete, duplicate):
                    emit(base, "%s:%s=%s" % (kind, path, json.dumps(value, ensure_ascii=False)), doc)
        for i in range(combinations):
            doc, labels = copy.deepcopy(body), []
            for _ in range(rng.randint(2, 4)):
                path, value, delete = rng.choice(PATHS), rng.choice(VALUES), rng.random() < 0.15
                if edit(doc, path, value, delete):
                    labels.append("%s:%s=%s" % ("del" if delete else "set", path, json.dumps(value, ensure_ascii=False)))
            emit(base, "multi%d/%s" % (i, "|".join(labels)), doc)
        for path in ("site/coding", "route/coding", "vaccineCode/coding", "extension/0/valueCodeableConcept/coding",
                     "protocolApplied/0/targetDisease/0/coding", "reasonCode/0/coding"):
            for i, value in enumerate(CODINGS):
                doc = copy.deepcopy(body)
                if edit(doc, path, value):
                    emit(base, "codings:%s=%d" % (path, i), doc)
        for path in ("protocolApplied/0/targetDisease", "reasonCode", "extension", "performer"):
            for i, value in enumerate(LISTS):
                doc = copy.deepcopy(body)
                if edit(doc, path, value):
                    emit(base, "lists:%s=%d" % (path, i), doc)
        for i, code in enumerate(SNOMED_CODES):
            for path in ("extension/0/valueCodeableConcept/coding/0/code", "vaccineCode/coding/0/code"):
                doc = copy.deepcopy(body)
                if edit(doc, path, code):
                    emit(base, "snomed:%s=%d" % (path, i), doc)
        for i, value in enumerate(EXTENSIONS):
            doc = copy.deepcopy(body)
            if edit(doc, "extension", value):
                emit(base, "extension=%d" % i, doc)


if __name__ == "__main__":
    main()
