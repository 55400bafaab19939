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


def main():
    names = sorted(V.MODEL_CLASSES)
    type_index = {n: i for i, n in enumerate(names)}
    strings, string_index = [], {}

    def string(s):
        if s not in string_index:
            string_index[s] = len(strings)
            strings.append(s)
        return string_index[s]

    packed, packed_index, alt = [], {}, {}
    field_list, types = [], []
    index_lists = []

    def index_list(items):
        start = len(index_lists)
        index_lists.extend(items)
        return "IndexList::new(%d, %d)" % (start, len(items))

    for name in names:
        cls = V.get_fhir_model_class(name)
        assert cls.__name__ == name
        assert cls.__post_root_validators__ == []
        fields = [(n, f) for n, f in cls.__fields__.items() if n not in ("resource_type", "fhir_comments")]
        alias_index = {f.alias: i for i, (_, f) in enumerate(fields)}
        field_index = {n: i for i, (n, _) in enumerate(fields)}
        # A key naming a field by its JSON name never names another field by its Python name.
        assert not ({n for n, f in fields if n != f.alias} | {f.alias[1:] + "__ext" for n, f in fields if n.endswith("__ext")}) & set(alias_index)
        start = len(field_list)
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
            group = string(extra["one_of_many"]) + 1 if "one_of_many" in extra else 0
            key = (string(f.alias), type_code(t, type_index), group, flags, py_name)
            if key not in packed_index:
                packed_index[key] = len(packed)
                packed.append(key)
                if py_name is not None:
                    alt[packed_index[key]] = string(py_name)
            field_list.append(packed_index[key])
        seq = [alias_index[a] for a in cls.elements_sequence() if a in alias_index and fields[alias_index[a]][1].field_info.extra.get("element_property")]
        required = [i for i, (_, f) in enumerate(fields) if f.required]
        types.append((name, cls.__module__.rsplit(".", 1)[1], cls.has_resource_base(), start, len(fields), index_list(seq),
                      index_list(required), pre_rules(cls, field_index)))

    ends, pos = [], 0
    for s in strings:
        pos += len(s.encode())
        ends.append(pos)
    assert pos < 65536 and len(strings) < 65535 and len(packed) < 65536 and len(field_list) < 65536
    assert len(index_lists) < 65536
    print("// Generated by tools/gen_fhir_model.py from fhir.resources 7.0.2 (R4B). Do not edit.")
    print("use super::{ChoiceGroup, Fields, IndexList, PreRule, TypeDef};")
    print()
    print("/// Every JSON name, Python name and choice-group prefix, concatenated.")
    print("pub(super) static STRINGS: &str = concat!(")
    line = ""
    for s in strings:
        line += s
        if len(line) > 80:
            print("    %s," % rs(line))
            line = ""
    if line:
        print("    %s," % rs(line))
    print(");")
    print()
    print("/// End offset in `STRINGS` of each string (it starts where the previous one ends).")
    print("pub(super) static STRING_ENDS: &[u16] = &[")
    for c in chunks(ends, 16):
        print("    %s," % c)
    print("];")
    print()
    print("/// Distinct fields: [JSON name, type code, choice group + 1 (0: none), flags].")
    print("pub(super) static FIELDS: &[[u16; 4]] = &[")
    for c in chunks(("[%d, %d, %d, %d]" % k[:4] for k in packed), 8):
        print("    %s," % c)
    print("];")
    print()
    print("/// The Python names of the fields that have one (by `FIELDS` index, sorted).")
    print("pub(super) static PY_NAMES: &[(u16, u16)] = &[%s];" % ", ".join("(%d, %d)" % kv for kv in sorted(alt.items())))
    print()
    print("/// Each model class's fields in validation order, as `FIELDS` indices.")
    print("pub(super) static FIELD_LISTS: &[u16] = &[")
    for c in chunks(field_list, 20):
        print("    %s," % c)
    print("];")
    print()
    print("/// Each model class's element order and required fields, as positions in its fields.")
    print("pub(super) static INDEX_LISTS: &[u16] = &[")
    for c in chunks(index_lists, 24):
        print("    %s," % c)
    print("];")
    print()
    print("pub(super) static TYPES: &[TypeDef] = &[")
    for index, (name, module, is_res, start, n, seq, required, rules) in enumerate(types):
        print("    TypeDef {")
        print("        index: %d," % index)
        print("        name: %s," % rs(name))
        print("        module: %s," % rs(module))
        print("        is_resource: %s," % ("true" if is_res else "false"))
        print("        fields: Fields::new(%d, %d)," % (start, n))
        print("        sequence: %s," % seq)
        print("        required: %s," % required)
        print("        pre_rules: &[%s]," % ", ".join(rules))
        print("    },")
    print("];")


main()
