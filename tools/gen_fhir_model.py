"""Writes src/fhir_model/table.rs from an installed fhir.resources 7.0.2 (FHIR R4B).

Run with a Python that has fhir.resources==7.0.2 and pydantic==1.10.26 installed:
    python tools/gen_fhir_model.py > src/fhir_model/table.rs
"""
import ast
import inspect
import textwrap

from fhir.resources.R4B import fhirtypes as T
from fhir.resources.R4B import fhirtypesvalidators as V
from fhir.resources.R4B.fhirtypes import Primitive

PRIMS = {
    "Boolean": "Boolean", "bool": "Boolean", "String": "String", "Base64Binary": "Base64Binary",
    "Code": "Code", "Id": "Id", "Decimal": "Decimal", "Integer": "Integer",
    "UnsignedInt": "UnsignedInt", "PositiveInt": "PositiveInt", "Uri": "Uri", "Oid": "Oid",
    "Uuid": "Uuid", "Canonical": "Canonical", "Url": "Url", "Markdown": "Markdown",
    "Xhtml": "Xhtml", "Date": "Date", "DateTime": "DateTime", "Instant": "Instant", "Time": "Time",
}


def rs(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def inner_type(f):
    t = f.type_
    nullable = False
    args = getattr(t, "__args__", None)
    if args and type(None) in args:
        nullable = True
        t = [a for a in args if a is not type(None)][0]
    return t, nullable


def literal_assignment(func, var):
    src = textwrap.dedent(inspect.getsource(func))
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == var:
            return ast.literal_eval(node.value)
    raise SystemExit("no %s in %s" % (var, func.__name__))


def pre_rules(cls, field_index):
    """The class's pre-root validators, naming fields by their index in validation order."""
    out = []
    for v in cls.__pre_root_validators__:
        n = v.__name__
        if n.startswith("validate_required_primitive_elements"):
            pairs = literal_assignment(v, "required_fields")
            items = ", ".join("(%d, %d)" % (field_index[a], field_index[b]) for a, b in pairs)
            out.append("PreRule::RequiredPrimitives(&[%s])" % items)
        elif n.startswith("validate_one_of_many"):
            groups = literal_assignment(v, "one_of_many_fields")
            gs = []
            for prefix, fields in groups.items():
                req = cls.__fields__[fields[0]].field_info.extra["one_of_many_required"] is True
                # The rule reads the input by these names: they must be the JSON names.
                assert all(cls.__fields__[x].alias == x for x in fields), fields
                gs.append("ChoiceGroup { fields: &[%s], required: %s }" % (
                    ", ".join(str(field_index[x]) for x in fields), "true" if req else "false"))
            out.append("PreRule::OneOfMany(&[%s])" % ", ".join(gs))
        elif n == "validate_extension_or_fhir_comment_required":
            out.append("PreRule::ExtensionOrComments")
        else:
            raise SystemExit("unknown pre root validator " + n)
    return out


PRIM_ORDER = ["Boolean", "String", "Base64Binary", "Code", "Id", "Decimal", "Integer", "UnsignedInt",
              "PositiveInt", "Uri", "Oid", "Uuid", "Canonical", "Url", "Markdown", "Xhtml", "Date", "DateTime",
              "Instant", "Time"]
FLAG_BITS = {"LIST": 1, "NULLABLE_ITEMS": 2, "REQUIRED": 4, "ELEMENT": 8, "HAS_EXT": 16, "EXT": 32}
ALT_NAME = 64


def type_code(t, type_index):
    """0..19: a primitive (PRIM_ORDER), 20: any resource, 21 + i: the model class TYPES[i]."""
    name = getattr(t, "__name__", "")
    if t is bool or (isinstance(t, type) and issubclass(t, Primitive)):
        return PRIM_ORDER.index(PRIMS[name])
    if t is T.ResourceType:
        return 20
    if isinstance(t, type) and issubclass(t, T.AbstractType):
        return 21 + type_index[t.__resource_type__]
    raise SystemExit("unknown field type %r" % (t,))


def chunks(items, n=24):
    items = list(items)
    for i in range(0, len(items), n):
        yield ", ".join(str(x) for x in items[i:i + n])


def superstring(strings):
    """One text holding every string: longest first, each either found in the text
    already or appended after the longest tail of the text it starts with."""
    text = ""
    for s in sorted(set(strings), key=lambda s: (-len(s), s)):
        if s in text:
            continue
        k = min(len(s) - 1, len(text))
        while k > 0 and not text.endswith(s[:k]):
            k -= 1
        text += s[k:]
    return text


def pool(lists):
    """Lays the lists out in one run of numbers, a list found in the run already
    (or overlapping its end) reusing it; returns the run and each list's start."""
    run, starts = [], {}
    key = lambda items: "".join(chr(x + 1) for x in items)
    for items in sorted(set(map(tuple, lists)), key=lambda t: (-len(t), t)):
        at = key(run).find(key(items)) if items else 0
        if at < 0:
            k = min(len(items) - 1, len(run))
            while k > 0 and run[-k:] != list(items[:k]):
                k -= 1
            at = len(run) - k
            run.extend(items[k:])
        starts[items] = at
    return run, [starts[tuple(items)] for items in lists]


def main():
    names = sorted(V.MODEL_CLASSES)
    type_index = {n: i for i, n in enumerate(names)}
    groups, group_index = [], {}

    def group_of(s):
        if s not in group_index:
            group_index[s] = len(groups)
            groups.append(s)
        return group_index[s]

    packed, packed_index, alt = [], {}, {}
    field_lists, index_lists, types = [], [], []

    for name in names:
        cls = V.get_fhir_model_class(name)
        assert cls.__name__ == name
        assert cls.__post_root_validators__ == []
        fields = [(n, f) for n, f in cls.__fields__.items() if n not in ("resource_type", "fhir_comments")]
        alias_index = {f.alias: i for i, (_, f) in enumerate(fields)}
        field_index = {n: i for i, (n, _) in enumerate(fields)}
        # A key naming a field by its JSON name never names another field by its Python name.
        assert not ({n for n, f in fields if n != f.alias} | {f.alias[1:] + "__ext" for n, f in fields if n.endswith("__ext")}) & set(alias_index)
        field_list = []
        for i, (n, f) in enumerate(fields):
            t, nullable = inner_type(f)
            extra = f.field_info.extra
            is_list = f.shape == 2
            assert f.shape in (1, 2)
            is_ext = n.endswith("__ext")
            if is_ext:
                assert f.alias.startswith("_") and n == f.alias[1:] + "__ext", n
            has_ext = i + 1 < len(fields) and fields[i + 1][0].endswith("__ext") and fields[i + 1][1].alias == "_" + f.alias
            flags = sum(FLAG_BITS[x] for x, on in (("LIST", is_list), ("NULLABLE_ITEMS", nullable),
                                                   ("REQUIRED", f.required),
                                                   ("ELEMENT", extra.get("element_property", False)),
                                                   ("HAS_EXT", has_ext), ("EXT", is_ext)) if on)
            py_name = n if n != f.alias and not is_ext else None
            if py_name is not None:
                flags |= ALT_NAME
            group = group_of(extra["one_of_many"]) + 1 if "one_of_many" in extra else 0
            key = (f.alias, type_code(t, type_index), group, flags, py_name)
            if key not in packed_index:
                packed_index[key] = len(packed)
                packed.append(key)
                if py_name is not None:
                    alt[packed_index[key]] = py_name
            field_list.append(packed_index[key])
        seq = [alias_index[a] for a in cls.elements_sequence() if a in alias_index and fields[alias_index[a]][1].field_info.extra.get("element_property")]
        required = [i for i, (_, f) in enumerate(fields) if f.required]
        field_lists.append(field_list)
        # One byte a position; 255 and above as 255 and the rest (`ElementDefinition` has 297 fields).
        seq = [b for i in seq for b in ([i] if i < 255 else [255, i - 255])]
        assert all(i < 255 for i in required) and len(seq) < 256 and len(required) < 256
        index_lists += [seq, required]
        types.append((name, cls.__module__.rsplit(".", 1)[1], cls.has_resource_base(), len(fields), len(seq),
                      len(required), ", ".join(pre_rules(cls, field_index))))

    modules = sorted({t[1] for t in types})
    rule_sets = sorted({t[6] for t in types})
    text = superstring([k[0] for k in packed] + groups + list(alt.values()) + names + modules)
    assert text.isascii() and len(text) < 65536

    def at(s):
        return text.index(s), len(s)

    # Fields numbered by flags and choice group, then name: similar entries side by side,
    # which the module's gzip compression favours.
    order = sorted(range(len(packed)), key=lambda i: (packed[i][3] | packed[i][2] << 7, at(packed[i][0])))
    renumber = {old: new for new, old in enumerate(order)}
    packed = [packed[old] for old in order]
    field_lists = [[renumber[i] for i in items] for items in field_lists]
    alt = {renumber[i]: name for i, name in alt.items()}

    field_run, field_starts = pool(field_lists)
    index_run, index_starts = pool(index_lists)
    assert len(packed) < 65536 and len(field_run) < 65536 and len(index_run) < 65536
    assert len(groups) < 512 and len(modules) < 256 and len(rule_sets) < 65536
    print("// Generated by tools/gen_fhir_model.py from fhir.resources 7.0.2 (R4B). Do not edit.")
    print("use super::{class, ChoiceGroup, PreRule, TypeDef};")
    print()
    print("/// Every JSON name, Python name, choice-group prefix, class name and module name, each")
    print("/// found at an offset of its own (names overlap where one contains or continues another).")
    print("pub(super) static TEXT: &str = concat!(")
    for i in range(0, len(text), 100):
        print("    %s," % rs(text[i:i + 100]))
    print(");")
    print()
    print("/// Distinct fields: [JSON name offset in `TEXT`, type code | name length << 10,")
    print("/// flags | (choice group + 1, 0: none) << 7].")
    print("pub(super) static FIELDS: &[[u16; 3]] = &[")
    rows = []
    for name, code, group, flags, _ in packed:
        start, n = at(name)
        assert code < 1024 and n < 64 and flags < 128
        rows.append("[%d, %d, %d]" % (start, code | n << 10, flags | group << 7))
    for c in chunks(rows, 10):
        print("    %s," % c)
    print("];")
    print()
    print("/// The `[x]` choice groups: [offset in `TEXT`, length].")
    print("pub(super) static GROUPS: &[[u16; 2]] = &[")
    for c in chunks(("[%d, %d]" % at(g) for g in groups), 12):
        print("    %s," % c)
    print("];")
    print()
    print("/// The Python names of the fields that have one: [`FIELDS` index, offset in `TEXT`, length], sorted.")
    print("pub(super) static PY_NAMES: &[[u16; 3]] = &[%s];" % ", ".join("[%d, %d, %d]" % ((k,) + at(v)) for k, v in sorted(alt.items())))
    print()
    print("/// Module names under `fhir.resources.R4B`: [offset in `TEXT`, length].")
    print("pub(super) static MODULES: &[[u16; 2]] = &[")
    for c in chunks(("[%d, %d]" % at(m) for m in modules), 12):
        print("    %s," % c)
    print("];")
    print()
    print("/// The distinct lists of pre-root validators.")
    print("pub(super) static PRE_RULES: &[&[PreRule]] = &[")
    for r in rule_sets:
        print("    &[%s]," % r)
    print("];")
    print()
    print("/// Each model class's fields in validation order, as `FIELDS` indices (classes share runs).")
    print("pub(super) static FIELD_LISTS: &[u16] = &[")
    for c in chunks(field_run, 20):
        print("    %s," % c)
    print("];")
    print()
    print("/// Each model class's element order and required fields, as positions in its fields,")
    print("/// one byte each (an element order writes 255 and above as 255 and the rest; classes")
    print("/// share runs).")
    print("pub(super) static INDEX_LISTS: &[u8] = &[")
    for c in chunks(index_run, 30):
        print("    %s," % c)
    print("];")
    print()
    print("/// Every model class, sorted by name: class(index, name offset and length, module,")
    print("/// is_resource, fields offset and count, sequence offset and length, required offset")
    print("/// and length, pre-root validators).")
    print("pub(super) static TYPES: &[TypeDef] = &[")
    for index, (name, module, is_res, n, n_seq, n_req, rules) in enumerate(types):
        print("    class(%d, %d, %d, %d, %s, %d, %d, %d, %d, %d, %d, %d)," % (
            (index,) + at(name) + (modules.index(module), "true" if is_res else "false", field_starts[index], n,
                                   index_starts[2 * index], n_seq, index_starts[2 * index + 1], n_req,
                                   rule_sets.index(rules))))
    print("];")


main()
