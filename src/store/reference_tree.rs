//! The stored resource as a tree, built the straightforward way: the canonical tree
//! first (every value its own node), then `pyjson::dumps`. Kept as the reference the
//! direct renderer is checked against.

use super::primitive;
use super::pyjson;
use super::resource::NotStorable;
use crate::fhir_model::{type_def, FieldDef, FieldType, TypeDef};
use crate::json::{Key, Node, Value};

const MAX_DEPTH: usize = 200;

/// `(canonical tree, text)` of an Immunization body, or why it cannot be stored.
pub fn stored_tree(body: &Node) -> Result<(Node, String), NotStorable> {
    let def = type_def("Immunization").ok_or_else(|| NotStorable {
        path: String::new(),
        reason: "model table lacks Immunization".into(),
    })?;
    let tree =
        model(body, def, &Path::Root, 0)?.unwrap_or_else(|| Node::synthetic(Value::Object(vec![])));
    let text = pyjson::dumps(&tree, true);
    Ok((tree, text))
}

/// Where a value stands, kept as a chain of borrowed steps and written out as a dotted
/// path only when something cannot be stored.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn key<'a>(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    fn index(&self, index: usize) -> Path<'_> {
        Path::Index(self, index)
    }

    fn render(&self) -> String {
        let mut steps = Vec::new();
        let mut at = self;
        loop {
            match at {
                Path::Root => break,
                Path::Key(parent, key) => {
                    steps.push((*key).to_string());
                    at = parent;
                }
                Path::Index(parent, index) => {
                    steps.push(index.to_string());
                    at = parent;
                }
            }
        }
        steps.reverse();
        steps.join(".")
    }
}

fn err(path: &Path, reason: impl Into<String>) -> NotStorable {
    NotStorable {
        path: path.render(),
        reason: reason.into(),
    }
}

/// The value pydantic takes for a field: its JSON name first, else its Python name.
fn lookup<'a>(members: &'a [(Key, Node)], field: &FieldDef) -> Option<&'a Node> {
    members
        .iter()
        .find(|(k, _)| k == field.json_name)
        .or_else(|| {
            if field.has_alt_name() {
                members.iter().find(|(k, _)| field.py_name_is(k))
            } else {
                None
            }
        })
        .map(|(_, v)| v)
}

/// Whether `key` names one of `fields` (JSON or Python name).
fn is_known_key(fields: &[FieldDef], key: &str) -> bool {
    key == "resourceType"
        || key == "fhir_comments"
        || fields
            .iter()
            .any(|f| f.json_name == key || (f.has_alt_name() && f.py_name_is(key)))
}

/// A model object: `Some(object)` or `None` when it renders empty.
fn model(
    node: &Node,
    def: &TypeDef,
    path: &Path,
    depth: usize,
) -> Result<Option<Node>, NotStorable> {
    if depth > MAX_DEPTH {
        return Err(err(path, "nesting too deep"));
    }
    let Value::Object(members) = &node.value else {
        return Err(err(
            path,
            format!("{} is not an object", node.py_type_name()),
        ));
    };
    // The model's fields, read out of the packed table once for this object.
    let fields: Vec<FieldDef> = def.fields.iter().collect();
    if let Some((key, _)) = members.iter().find(|(k, _)| !is_known_key(&fields, k)) {
        return Err(err(&path.key(key), "extra fields not permitted"));
    }
    let mut out: Vec<(Key, Node)> = Vec::new();
    if def.is_resource {
        out.push((
            "resourceType".into(),
            Node::synthetic(Value::Str(def.name.into())),
        ));
    }
    // Companions (`_name`, or their Python names `name__ext`) are rare: look for them
    // only in objects that have a key of that shape.
    let has_companions = members
        .iter()
        .any(|(k, _)| k.starts_with('_') || k.ends_with("__ext"));
    for field in def.elements() {
        if let Some(value) = lookup(members, &field) {
            if let Some(v) = element(value, &field, &path.key(field.json_name), depth)? {
                out.push((Key::from_static(field.json_name), v));
            }
        }
        if !has_companions {
            continue;
        }
        if let Some(ext_name) = field.ext_json_name() {
            if let Some(ext_field) = def.field(&ext_name) {
                if let Some(value) = lookup(members, &ext_field) {
                    let ext_path = path.key(&ext_name);
                    if let Some(v) = companion(value, field.is_list(), &ext_path, depth)? {
                        out.push((ext_name.into(), v));
                    }
                }
            }
        }
    }
    if let Some((_, comments)) = members.iter().find(|(k, _)| k == "fhir_comments") {
        if let Some(v) = fhir_comments(comments, &path.key("fhir_comments"))? {
            out.push(("fhir_comments".into(), v));
        }
    }
    if out.is_empty() {
        Ok(None)
    } else {
        Ok(Some(Node::synthetic(Value::Object(out))))
    }
}

/// One element's value (a list or a single value), `None` when it renders empty.
fn element(
    value: &Node,
    field: &FieldDef,
    path: &Path,
    depth: usize,
) -> Result<Option<Node>, NotStorable> {
    if matches!(value.value, Value::Null) {
        return Ok(None);
    }
    if field.is_list() {
        let Value::Array(items) = &value.value else {
            return Err(err(path, "value is not a valid list"));
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let item_path = path.index(i);
            if matches!(item.value, Value::Null) {
                if field.items_nullable() {
                    out.push(Node::synthetic(Value::Null));
                    continue;
                }
                return Err(err(&item_path, "none is not an allowed value"));
            }
            let v = single(item, field.ty, &item_path, depth)?;
            out.push(v.unwrap_or_else(|| Node::synthetic(Value::Null)));
        }
        if out.is_empty() {
            return Ok(None);
        }
        return Ok(Some(Node::synthetic(Value::Array(out))));
    }
    single(value, field.ty, path, depth)
}

/// One value of a field's type.
fn single(
    value: &Node,
    ty: FieldType,
    path: &Path,
    depth: usize,
) -> Result<Option<Node>, NotStorable> {
    match ty {
        FieldType::Primitive(p) => primitive::canonical(p, &value.value)
            .map(|v| Some(Node::synthetic(v)))
            .map_err(|reason| err(path, reason)),
        FieldType::Complex(name) => {
            let def = type_def(name).ok_or_else(|| err(path, format!("unknown type {name}")))?;
            model(value, def, path, depth + 1)
        }
        FieldType::Resource => {
            let resource_type = match value.get("resourceType") {
                None => "Resource",
                Some(n) => n
                    .as_str()
                    .ok_or_else(|| err(path, "resourceType is not a string"))?,
            };
            let def = type_def(resource_type)
                .ok_or_else(|| err(path, format!("unknown resource type {resource_type}")))?;
            model(value, def, path, depth + 1)
        }
    }
}

/// A primitive's `_name` companion: `FHIRPrimitiveExtension` (or a list of optional
/// ones for a list element); written only when non-empty.
fn companion(
    value: &Node,
    is_list: bool,
    path: &Path,
    depth: usize,
) -> Result<Option<Node>, NotStorable> {
    let def =
        type_def("FHIRPrimitiveExtension").ok_or_else(|| err(path, "no FHIRPrimitiveExtension"))?;
    if matches!(value.value, Value::Null) {
        return Ok(None);
    }
    if is_list {
        let Value::Array(items) = &value.value else {
            return Err(err(path, "value is not a valid list"));
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if matches!(item.value, Value::Null) {
                out.push(Node::synthetic(Value::Null));
                continue;
            }
            let v = model(item, def, &path.index(i), depth + 1)?;
            out.push(v.unwrap_or_else(|| Node::synthetic(Value::Null)));
        }
        if out.is_empty() {
            return Ok(None);
        }
        return Ok(Some(Node::synthetic(Value::Array(out))));
    }
    model(value, def, path, depth + 1)
}

/// `fhir_comments`: `Union[str, List[str]]`, written as validated.
fn fhir_comments(value: &Node, path: &Path) -> Result<Option<Node>, NotStorable> {
    match &value.value {
        Value::Null => Ok(None),
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                let s = primitive::string(&item.value).map_err(|r| err(path, r))?;
                out.push(Node::synthetic(Value::Str(s.into())));
            }
            Ok(Some(Node::synthetic(Value::Array(out))))
        }
        other => {
            let s = primitive::string(other).map_err(|r| err(path, r))?;
            Ok(Some(Node::synthetic(Value::Str(s.into()))))
        }
    }
}
