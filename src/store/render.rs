//! Writes `Immunization.parse_obj(body).json(use_decimal=True)` straight from the
//! body tree into one string, class by class from the cached [`plan`]s: no
//! intermediate tree is built. An object or list that renders empty is written and
//! then cut back off the end of the string.

use super::plan::{self, plain_tag, ClassPlan, ElementPlan, Kind};
use super::primitive;
use super::pyjson;
use super::resource::NotStorable;
use crate::delta::doc::{Kind as TapeKind, Slot};
use crate::json::{Key, Node, Value, MAX_PYTHON_NESTING};

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

/// The text being written, the slot stack of the objects being written, and the
/// delta's tape of the text.
pub struct Renderer {
    pub out: String,
    /// The [`gather`]ed members of the objects being written, innermost last.
    found: Vec<(u32, u32)>,
    /// The tape [`Doc::parse`](crate::delta::doc::Doc::parse) reads from `out`,
    /// recorded as it is written (while `tape_holds`).
    tape: Vec<Slot>,
    /// Whether `tape` is `out`'s tape: false once a value was written whose kind
    /// the writer does not say, nesting reached the reader's limit, or the text grew
    /// past [`TAPE_TEXT_LIMIT`] (the tape is then dropped and no longer recorded).
    tape_holds: bool,
    /// Containers open in `out`.
    open: usize,
}

/// Where the text and its tape stood, to cut both back to.
#[derive(Clone, Copy)]
pub struct Mark {
    out: usize,
    tape: usize,
}

/// The longest text whose tape is recorded. A Resource text longer than the largest
/// item the event table takes is refused with its item, and no delta is made from
/// it; a tape (several times the text's size) would only hold memory. (The tape is
/// dropped as soon as the text being written passes this length, even while a trial
/// write past the end stands; the delta then reads the text itself.)
pub const TAPE_TEXT_LIMIT: usize = super::limits::MAX_ITEM_BYTES;

impl Renderer {
    pub fn with_capacity(capacity: usize) -> Self {
        Renderer {
            out: String::with_capacity(capacity),
            found: Vec::with_capacity(64),
            tape: Vec::with_capacity(capacity.min(TAPE_TEXT_LIMIT) / 8 + 8),
            tape_holds: true,
            open: 0,
        }
    }

    pub fn mark(&self) -> Mark {
        Mark {
            out: self.out.len(),
            tape: self.tape.len(),
        }
    }

    /// Cuts the text and its tape back to `mark`.
    pub fn cut(&mut self, mark: Mark) {
        self.out.truncate(mark.out);
        self.tape.truncate(mark.tape);
    }

    /// The text written and, when it holds, its tape.
    pub fn finish(self) -> (String, Option<Vec<Slot>>) {
        let tape = (self.tape_holds && !self.tape.is_empty()).then_some(self.tape);
        (self.out, tape)
    }

    /// Records the value of `kind` written from `start` to the end of `out`
    /// (`None`: a value the tape cannot describe).
    fn scalar(&mut self, kind: Option<TapeKind>, start: usize) {
        match kind {
            Some(kind) => self.leaf(kind, start, self.out.len(), 0),
            None => self.tape_holds = false,
        }
    }

    /// Records a value without items (a scalar, an empty container, a key) at
    /// `start..end` with `len` (a key's tag), while the tape holds.
    fn leaf(&mut self, kind: TapeKind, start: usize, end: usize, len: u64) {
        if !self.tape_holds {
            return;
        }
        let next = self.tape.len() + 1;
        self.tape.push(Slot {
            kind,
            start,
            end,
            len,
            next,
        });
    }

    /// Writes `text`, a literal of `kind` (`null`, `{}`).
    fn literal(&mut self, text: &str, kind: TapeKind) {
        let start = self.out.len();
        if kind == TapeKind::Object || kind == TapeKind::Array {
            self.opening();
        }
        self.out.push_str(text);
        self.scalar(Some(kind), start);
    }

    /// Records the plain key literal written from `start` to `end` (quotes
    /// included), of tag `tag` (`None`: not plain).
    fn key(&mut self, tag: Option<u64>, start: usize, end: usize) {
        match tag {
            Some(tag) => self.leaf(TapeKind::PlainStr, start, end, tag),
            None => self.tape_holds = false,
        }
    }

    /// A container is about to open: the reader refuses one at its nesting limit.
    fn opening(&mut self) {
        if self.open >= MAX_PYTHON_NESTING {
            self.tape_holds = false;
        }
    }

    /// Writes `[` or `{` and records the container's slot; answers its index.
    fn open(&mut self, kind: TapeKind) -> usize {
        self.opening();
        self.open += 1;
        let index = self.tape.len();
        let start = self.out.len();
        self.out
            .push(if kind == TapeKind::Object { '{' } else { '[' });
        if !self.tape_holds {
            return index;
        }
        self.tape.push(Slot {
            kind,
            start,
            end: start,
            len: 0,
            next: index,
        });
        index
    }

    /// Writes `]` or `}` closing the `kind` container opened at `index`, of `count`
    /// items or members.
    fn close(&mut self, index: usize, kind: TapeKind, count: u64) {
        self.open -= 1;
        self.out
            .push(if kind == TapeKind::Object { '}' } else { ']' });
        if self.out.len() > TAPE_TEXT_LIMIT {
            self.tape_holds = false;
            self.tape = Vec::new();
        }
        if !self.tape_holds {
            return;
        }
        let next = self.tape.len();
        let Some(slot) = self.tape.get_mut(index) else {
            self.tape_holds = false;
            return;
        };
        slot.end = self.out.len();
        slot.len = count;
        slot.next = next;
    }

    /// A container opened at `mark` (its slot at `mark.tape`) that renders empty:
    /// cut back off.
    fn abandon(&mut self, mark: Mark) {
        self.open -= 1;
        self.cut(mark);
    }

    /// The whole text: a model object of class `class` (`{}` when it renders empty).
    pub fn root(&mut self, node: &Node, class: usize) -> Result<(), NotStorable> {
        if !self.object(node, class, &Path::Root, 0)? {
            self.literal("{}", TapeKind::Object);
        }
        Ok(())
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
        let mark = self.mark();
        let object = self.open(TapeKind::Object);
        let mut written = 0;
        if plan.is_resource {
            let start = self.out.len();
            self.out.push_str(&plan.resource_type_text);
            // `"resourceType": "Name"`: the key, `: `, the name.
            let key_end = start + plan::RESOURCE_TYPE.len() + 2;
            self.key(plan.resource_type_tag, start, key_end);
            self.scalar(Some(TapeKind::PlainStr), key_end + 2);
            written = 1;
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
                self.keyed(&element.key_text, element.key_tag, &mut written, |r| {
                    r.element(value, element, &path, depth)
                })?;
            } else if let Some(companion) = &element.companion {
                let path = path.key(&companion.json_name);
                self.keyed(&companion.key_text, companion.key_tag, &mut written, |r| {
                    r.companion(value, companion.is_list, &path, depth)
                })?;
            }
        }
        if let Some((_, value)) = comments.and_then(|m| members.get(m)) {
            let path = path.key("fhir_comments");
            self.keyed(
                ", \"fhir_comments\": ",
                plain_tag("fhir_comments"),
                &mut written,
                |r| r.fhir_comments(value, &path),
            )?;
        }
        if written == 0 {
            self.abandon(mark);
            Ok(false)
        } else {
            self.close(object, TapeKind::Object, written);
            Ok(true)
        }
    }

    /// `"key": value`, after the separator unless none is `written` yet (`key_text`
    /// is the key with its separator, as [`ElementPlan::key_text`]); cut back off
    /// when the value renders empty, else counted in `written`.
    fn keyed(
        &mut self,
        key_text: &str,
        key_tag: Option<u64>,
        written: &mut u64,
        value: impl FnOnce(&mut Self) -> Result<bool, NotStorable>,
    ) -> Result<(), NotStorable> {
        let mark = self.mark();
        let text = if *written == 0 {
            key_text.get(plan::SEPARATOR.len()..).unwrap_or("")
        } else {
            key_text
        };
        self.out.push_str(text);
        // The literal between the separator and `: `.
        let literal = key_text.len().saturating_sub(plan::SEPARATOR.len() + 2);
        let end = self.out.len() - 2;
        self.key(key_tag, end - literal, end);
        if value(self)? {
            *written += 1;
        } else {
            self.cut(mark);
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
        let list = self.open(TapeKind::Array);
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            if matches!(item.value, Value::Null) {
                if element.items_nullable {
                    self.literal("null", TapeKind::Null);
                    continue;
                }
                return Err(err(&path.index(i), "none is not an allowed value"));
            }
            if !self.single(item, element.kind, &path.index(i), depth)? {
                self.literal("null", TapeKind::Null);
            }
        }
        self.close(list, TapeKind::Array, items.len() as u64);
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
            Kind::Primitive(p) => {
                let start = self.out.len();
                let kind = primitive::write_canonical(p, &value.value, &mut self.out)
                    .map_err(|reason| err(path, reason))?;
                self.scalar(kind, start);
                Ok(true)
            }
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
        let list = self.open(TapeKind::Array);
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            if matches!(item.value, Value::Null)
                || !self.object(item, class, &path.index(i), depth + 1)?
            {
                self.literal("null", TapeKind::Null);
            }
        }
        self.close(list, TapeKind::Array, items.len() as u64);
        Ok(true)
    }

    /// `fhir_comments`: `Union[str, List[str]]`, written as validated.
    fn fhir_comments(&mut self, value: &Node, path: &Path) -> Result<bool, NotStorable> {
        match &value.value {
            Value::Null => Ok(false),
            Value::Array(items) if items.is_empty() => {
                self.literal("[]", TapeKind::Array);
                Ok(true)
            }
            Value::Array(items) => {
                let list = self.open(TapeKind::Array);
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    let s = primitive::string(&item.value).map_err(|r| err(path, r))?;
                    self.comment(&s);
                }
                self.close(list, TapeKind::Array, items.len() as u64);
                Ok(true)
            }
            other => {
                let s = primitive::string(other).map_err(|r| err(path, r))?;
                self.comment(&s);
                Ok(true)
            }
        }
    }

    /// One comment string.
    fn comment(&mut self, text: &str) {
        let start = self.out.len();
        let plain = pyjson::write_str_reporting(&mut self.out, text, true);
        let kind = if plain {
            TapeKind::PlainStr
        } else {
            TapeKind::EscapedStr
        };
        self.scalar(Some(kind), start);
    }
}
