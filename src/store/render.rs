//! Writes `Immunization.parse_obj(body).json(use_decimal=True)` straight from the
//! body tree into one string, class by class from the cached [`plan`]s: no
//! intermediate tree is built. An object or list that renders empty is written and
//! then cut back off the end of the string.

use super::plan::{self, ClassPlan, ElementPlan, Kind};
use super::primitive;
use super::pyjson;
use super::resource::NotStorable;
use crate::json::{Key, Node, Value};

/// Nesting beyond this is not stored (the service's validation fails far earlier).
pub const MAX_DEPTH: usize = 200;

/// Where a value stands, kept as a chain of borrowed steps and written out as a dotted
/// path only when something cannot be stored.
#[derive(Clone, Copy)]
pub enum Path<'a> {
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

pub fn err(path: &Path, reason: impl Into<String>) -> NotStorable {
    NotStorable {
        path: path.render(),
        reason: reason.into(),
    }
}

/// The class of this index, or why it cannot be stored.
pub fn class_plan(index: usize, path: &Path) -> Result<&'static ClassPlan, NotStorable> {
    plan::plan(index).ok_or_else(|| err(path, "model table lacks a class"))
}

/// The class a contained resource is validated as: its `resourceType`, else `Resource`.
pub fn resource_class(value: &Node, path: &Path) -> Result<usize, NotStorable> {
    let resource_type = match value.get("resourceType") {
        None => "Resource",
        Some(n) => n
            .as_str()
            .ok_or_else(|| err(path, "resourceType is not a string"))?,
    };
    plan::class_index(resource_type)
        .ok_or_else(|| err(path, format!("unknown resource type {resource_type}")))
}

/// The members of an object of class `plan` that supply a slot, pushed onto
/// `found` as `(2 * slot + under_python_name, member index)` and sorted: written in
/// that order, the first entry of each slot is the member pydantic takes (the first
/// under the JSON name, else the first under the Python name). Returns the
/// `fhir_comments` member, if any.
fn gather(
    plan: &ClassPlan,
    members: &[(Key, Node)],
    found: &mut Vec<(u32, u32)>,
    path: &Path,
) -> Result<Option<usize>, NotStorable> {
    let base = found.len();
    let mut comments = None;
    for (m, (key, _)) in members.iter().enumerate() {
        let member = m as u32;
        let known = plan.resolve(key, |target| {
            let order = match target {
                plan::Target::Json(slot) => 2 * slot,
                plan::Target::Alt(slot) => 2 * slot + 1,
                plan::Target::Comments => {
                    comments.get_or_insert(m);
                    return;
                }
                plan::Target::ResourceType | plan::Target::Unwritten => return,
            };
            found.push((order as u32, member));
        });
        if !known {
            return Err(err(&path.key(key), "extra fields not permitted"));
        }
    }
    if let Some(entries) = found.get_mut(base..) {
        entries.sort_unstable();
    }
    Ok(comments)
}

/// The value pydantic takes for element `name` of an object of class `plan`: its
/// JSON name first, else its Python name (`None` when absent).
pub fn member<'a>(plan: &ClassPlan, node: &'a Node, name: &str) -> Option<&'a Node> {
    let (_, element) = plan.element(name)?;
    let members = node.as_object()?;
    let by_json = members.iter().find(|(key, _)| key == element.json_name);
    let by_alt = || {
        let alt = element.alt_name.as_deref()?;
        members.iter().find(|(key, _)| key == alt)
    };
    by_json.or_else(by_alt).map(|(_, value)| value)
}

/// The text being written, and the slot stack of the objects being written.
pub struct Renderer {
    pub out: String,
    /// The [`gather`]ed members of the objects being written, innermost last.
    found: Vec<(u32, u32)>,
}

impl Renderer {
    pub fn with_capacity(capacity: usize) -> Self {
        Renderer {
            out: String::with_capacity(capacity),
            found: Vec::with_capacity(64),
        }
    }

    /// A model object: writes it and answers `true`, or writes nothing and answers
    /// `false` when it renders empty.
    pub fn object(
        &mut self,
        node: &Node,
        class: usize,
        path: &Path,
        depth: usize,
    ) -> Result<bool, NotStorable> {
        if depth > MAX_DEPTH {
            return Err(err(path, "nesting too deep"));
        }
        let Value::Object(members) = &node.value else {
            return Err(err(
                path,
                format!("{} is not an object", node.py_type_name()),
            ));
        };
        let plan = class_plan(class, path)?;
        let base = self.found.len();
        let written = self.members(plan, members, base, path, depth);
        self.found.truncate(base);
        written
    }

    /// The members of an object of class `plan`, [`gather`]ed onto `found` from `base`.
    fn members(
        &mut self,
        plan: &ClassPlan,
        members: &[(Key, Node)],
        base: usize,
        path: &Path,
        depth: usize,
    ) -> Result<bool, NotStorable> {
        let comments = gather(plan, members, &mut self.found, path)?;
        let end = self.found.len();
        let start = self.out.len();
        self.out.push('{');
        let mut first = true;
        if plan.is_resource {
            self.out.push_str(&plan.resource_type_text);
            first = false;
        }
        let mut last_slot = None;
        for at in base..end {
            let Some(&(order, m)) = self.found.get(at) else {
                break;
            };
            let slot = (order / 2) as usize;
            if last_slot == Some(slot) {
                continue;
            }
            last_slot = Some(slot);
            let (Some(element), Some((_, value))) =
                (plan.elements.get(slot / 2), members.get(m as usize))
            else {
                continue;
            };
            if slot.is_multiple_of(2) {
                let path = path.key(element.json_name);
                self.keyed(&element.key_text, &mut first, |r| {
                    r.element(value, element, &path, depth)
                })?;
            } else if let Some(companion) = &element.companion {
                let path = path.key(&companion.json_name);
                self.keyed(&companion.key_text, &mut first, |r| {
                    r.companion(value, companion.is_list, &path, depth)
                })?;
            }
        }
        if let Some((_, value)) = comments.and_then(|m| members.get(m)) {
            let path = path.key("fhir_comments");
            self.keyed(", \"fhir_comments\": ", &mut first, |r| {
                r.fhir_comments(value, &path)
            })?;
        }
        if first {
            self.out.truncate(start);
            Ok(false)
        } else {
            self.out.push('}');
            Ok(true)
        }
    }

    /// `"key": value`, after the separator unless `first` (`key_text` is the key with
    /// its separator, as [`ElementPlan::key_text`]); cut back off when the value
    /// renders empty.
    fn keyed(
        &mut self,
        key_text: &str,
        first: &mut bool,
        value: impl FnOnce(&mut Self) -> Result<bool, NotStorable>,
    ) -> Result<(), NotStorable> {
        let mark = self.out.len();
        let text = if *first {
            key_text.get(plan::SEPARATOR.len()..).unwrap_or("")
        } else {
            key_text
        };
        self.out.push_str(text);
        if value(self)? {
            *first = false;
        } else {
            self.out.truncate(mark);
        }
        Ok(())
    }

    /// One element's value (a list or a single value).
    fn element(
        &mut self,
        value: &Node,
        element: &ElementPlan,
        path: &Path,
        depth: usize,
    ) -> Result<bool, NotStorable> {
        if matches!(value.value, Value::Null) {
            return Ok(false);
        }
        if !element.is_list {
            return self.single(value, element.kind, path, depth);
        }
        let Value::Array(items) = &value.value else {
            return Err(err(path, "value is not a valid list"));
        };
        if items.is_empty() {
            return Ok(false);
        }
        self.out.push('[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            if matches!(item.value, Value::Null) {
                if element.items_nullable {
                    self.out.push_str("null");
                    continue;
                }
                return Err(err(&path.index(i), "none is not an allowed value"));
            }
            if !self.single(item, element.kind, &path.index(i), depth)? {
                self.out.push_str("null");
            }
        }
        self.out.push(']');
        Ok(true)
    }

    /// One value of an element's type.
    fn single(
        &mut self,
        value: &Node,
        kind: Kind,
        path: &Path,
        depth: usize,
    ) -> Result<bool, NotStorable> {
        match kind {
            Kind::Primitive(p) => primitive::write_canonical(p, &value.value, &mut self.out)
                .map(|()| true)
                .map_err(|reason| err(path, reason)),
            Kind::Complex(class) => self.object(value, class, path, depth + 1),
            Kind::Resource => {
                let class = resource_class(value, path)?;
                self.object(value, class, path, depth + 1)
            }
        }
    }

    /// A primitive's `_name` companion: `FHIRPrimitiveExtension` (or a list of
    /// optional ones for a list element).
    fn companion(
        &mut self,
        value: &Node,
        is_list: bool,
        path: &Path,
        depth: usize,
    ) -> Result<bool, NotStorable> {
        let class = plan::known()
            .primitive_extension
            .ok_or_else(|| err(path, "no FHIRPrimitiveExtension"))?;
        if matches!(value.value, Value::Null) {
            return Ok(false);
        }
        if !is_list {
            return self.object(value, class, path, depth + 1);
        }
        let Value::Array(items) = &value.value else {
            return Err(err(path, "value is not a valid list"));
        };
        if items.is_empty() {
            return Ok(false);
        }
        self.out.push('[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            if matches!(item.value, Value::Null)
                || !self.object(item, class, &path.index(i), depth + 1)?
            {
                self.out.push_str("null");
            }
        }
        self.out.push(']');
        Ok(true)
    }

    /// `fhir_comments`: `Union[str, List[str]]`, written as validated.
    fn fhir_comments(&mut self, value: &Node, path: &Path) -> Result<bool, NotStorable> {
        match &value.value {
            Value::Null => Ok(false),
            Value::Array(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    let s = primitive::string(&item.value).map_err(|r| err(path, r))?;
                    pyjson::write_str(&mut self.out, &s, true);
                }
                self.out.push(']');
                Ok(true)
            }
            other => {
                let s = primitive::string(other).map_err(|r| err(path, r))?;
                pyjson::write_str(&mut self.out, &s, true);
                Ok(true)
            }
        }
    }
}
