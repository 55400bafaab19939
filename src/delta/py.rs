//! The few Python operations the delta converter performs on the parsed resource
//! (`dict.get`, `in`, iteration, `str.join`, truthiness), with the exceptions they
//! raise on values of the wrong type (a `null` left in a list by an empty element,
//! a missing Patient), over values read in place from the Resource text.

use std::borrow::Cow;
use std::collections::HashSet;

use super::doc::{Doc, Key, Kind};
use crate::json::{Node, Value};

/// A raised Python exception: class name and `str(exception)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyErr {
    pub kind: &'static str,
    pub message: String,
}

impl PyErr {
    pub fn new(kind: &'static str, message: impl Into<String>) -> Self {
        PyErr {
            kind,
            message: message.into(),
        }
    }
}

pub type PyRes<T> = Result<T, PyErr>;

/// Where a value lives.
#[derive(Debug, Clone, Copy)]
enum At {
    /// A value of the Resource (its tape index).
    Tape(usize),
    /// One character of a string being iterated.
    Char(char),
    /// A default the converter supplies (`get(key, "")`).
    Str(&'static str),
    /// `[]`
    EmptyList,
    /// `{}`
    EmptyDict,
}

/// A Python value the converter holds: a value of the parsed Resource, a character
/// of one of its strings, or one of the converter's defaults.
#[derive(Clone, Copy)]
pub struct V<'d> {
    doc: &'d Doc<'d>,
    at: At,
}

/// The Python type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    None,
    Bool,
    Int,
    Decimal,
    Float,
    Str,
    List,
    Dict,
}

/// Whether a decimal literal such as `0.000`, `-0e5` or `1.5E-3` is non-zero.
fn decimal_is_nonzero(text: &str) -> bool {
    let mantissa = text.split(['e', 'E']).next().unwrap_or("");
    mantissa.bytes().any(|b| b.is_ascii_digit() && b != b'0')
}

impl<'d> V<'d> {
    /// The document's top-level value.
    pub fn root(doc: &'d Doc<'d>) -> Self {
        V {
            doc,
            at: At::Tape(0),
        }
    }

    /// The default `""`-like string `text`.
    pub fn lit(self, text: &'static str) -> Self {
        V {
            doc: self.doc,
            at: At::Str(text),
        }
    }

    pub fn empty_list(self) -> Self {
        V {
            doc: self.doc,
            at: At::EmptyList,
        }
    }

    pub fn empty_dict(self) -> Self {
        V {
            doc: self.doc,
            at: At::EmptyDict,
        }
    }

    /// The value of the Resource at tape index `index`.
    pub fn tape(self, index: usize) -> Self {
        V {
            doc: self.doc,
            at: At::Tape(index),
        }
    }

    /// The tape slot's kind, for values of the Resource.
    pub fn kind(self) -> Option<Kind> {
        match self.at {
            At::Tape(i) => Some(self.doc.slot(i).kind),
            _ => None,
        }
    }

    pub fn ty(self) -> Ty {
        match self.at {
            At::Tape(i) => match self.doc.slot(i).kind {
                Kind::Null => Ty::None,
                Kind::True | Kind::False => Ty::Bool,
                Kind::Int => Ty::Int,
                Kind::Decimal => Ty::Decimal,
                Kind::NaN | Kind::Infinity | Kind::NegInfinity => Ty::Float,
                Kind::PlainStr | Kind::RawStr | Kind::EscapedStr => Ty::Str,
                Kind::Array => Ty::List,
                Kind::Object => Ty::Dict,
            },
            At::Char(_) | At::Str(_) => Ty::Str,
            At::EmptyList => Ty::List,
            At::EmptyDict => Ty::Dict,
        }
    }

    /// Python `type(x).__name__` as it appears in exception texts.
    pub fn type_name(self) -> &'static str {
        match self.ty() {
            Ty::None => "NoneType",
            Ty::Bool => "bool",
            Ty::Int => "int",
            Ty::Decimal => "decimal.Decimal",
            Ty::Float => "float",
            Ty::Str => "str",
            Ty::List => "list",
            Ty::Dict => "dict",
        }
    }

    pub fn is_dict(self) -> bool {
        self.ty() == Ty::Dict
    }

    /// `bool(x)`.
    pub fn truthy(self) -> bool {
        match self.at {
            At::Tape(i) => {
                let slot = self.doc.slot(i);
                match slot.kind {
                    Kind::Null | Kind::False => false,
                    Kind::True | Kind::NaN | Kind::Infinity | Kind::NegInfinity => true,
                    Kind::Int => self
                        .doc
                        .raw(i)
                        .bytes()
                        .any(|b| b.is_ascii_digit() && b != b'0'),
                    Kind::Decimal => decimal_is_nonzero(self.doc.raw(i)),
                    // An escape always stands for at least one character.
                    Kind::PlainStr | Kind::RawStr | Kind::EscapedStr => slot.end - slot.start > 2,
                    Kind::Array | Kind::Object => slot.len > 0,
                }
            }
            At::Char(_) => true,
            At::Str(s) => !s.is_empty(),
            At::EmptyList | At::EmptyDict => false,
        }
    }

    /// The `str` value (`None` for any other type).
    pub fn as_str(self) -> Option<Cow<'d, str>> {
        match self.at {
            At::Tape(i) => self.doc.str_value(i),
            At::Char(c) => Some(Cow::Owned(c.to_string())),
            At::Str(s) => Some(Cow::Borrowed(s)),
            At::EmptyList | At::EmptyDict => None,
        }
    }

    /// `x == text` for a `str` literal `text`.
    pub fn is_str(self, text: &str) -> bool {
        match self.at {
            At::Tape(i) => self.doc.str_eq(i, text),
            At::Char(c) => {
                let mut buf = [0u8; 4];
                c.encode_utf8(&mut buf) == text
            }
            At::Str(s) => s == text,
            At::EmptyList | At::EmptyDict => false,
        }
    }

    /// `x is True` / `x is False` (`None` for any other value).
    pub fn as_bool(self) -> Option<bool> {
        match self.kind() {
            Some(Kind::True) => Some(true),
            Some(Kind::False) => Some(false),
            _ => None,
        }
    }

    /// The value as [`crate::json::loads`] builds it.
    pub fn to_node(self) -> Node {
        match self.at {
            At::Tape(i) => self.doc.node(i),
            At::Char(c) => Node::synthetic(Value::Str(c.into())),
            At::Str(s) => Node::synthetic(Value::Str(s.into())),
            At::EmptyList => Node::synthetic(Value::Array(Vec::new())),
            At::EmptyDict => Node::synthetic(Value::Object(Vec::new())),
        }
    }

    /// `x.get(key)`: `None` when absent; `AttributeError` on a non-dict. A repeated
    /// key gives its last value, as in the dict `json.loads` builds.
    pub fn get(self, key: Key) -> PyRes<Option<V<'d>>> {
        match self.at {
            At::Tape(i) if self.doc.slot(i).kind == Kind::Object => {
                Ok(self.doc.member(i, key).map(|v| self.tape(v)))
            }
            At::EmptyDict => Ok(None),
            _ => Err(self.no_get()),
        }
    }

    /// `AttributeError` of `x.get` on a value that is not a dict.
    #[cold]
    #[inline(never)]
    fn no_get(self) -> PyErr {
        PyErr::new(
            "AttributeError",
            format!("'{}' object has no attribute 'get'", self.type_name()),
        )
    }

    /// `x.get(key, default)`.
    pub fn get_or(self, key: Key, default: V<'d>) -> PyRes<V<'d>> {
        Ok(self.get(key)?.unwrap_or(default))
    }

    /// `key in x`.
    pub fn contains(self, key: Key) -> PyRes<bool> {
        match self.ty() {
            Ty::Dict => match self.at {
                At::Tape(i) => Ok(self.doc.member(i, key).is_some()),
                _ => Ok(false),
            },
            Ty::List => Ok(self.iter()?.any(|item| item.is_str(key.text))),
            Ty::Str => Ok(self.as_str().is_some_and(|s| s.contains(key.text))),
            _ => Err(PyErr::new(
                "TypeError",
                format!("argument of type '{}' is not iterable", self.type_name()),
            )),
        }
    }

    /// `iter(x)`: a list's items, a dict's keys, a string's characters;
    /// `TypeError` for anything else.
    pub fn iter(self) -> PyRes<Items<'d>> {
        let doc = self.doc;
        match self.at {
            At::Tape(i) if doc.slot(i).kind == Kind::Array => Ok(Items {
                doc,
                next: i + 1,
                left: doc.slot(i).count(),
                rare: None,
            }),
            At::EmptyList | At::EmptyDict => Ok(Items {
                doc,
                next: 0,
                left: 0,
                rare: None,
            }),
            _ => self.iter_other(),
        }
    }

    /// [`V::iter`] of anything but a list of the Resource.
    #[cold]
    #[inline(never)]
    fn iter_other(self) -> PyRes<Items<'d>> {
        let doc = self.doc;
        let rare = match self.at {
            At::Tape(i) => {
                let slot = doc.slot(i);
                match slot.kind {
                    Kind::Array => {
                        return Ok(Items {
                            doc,
                            next: i + 1,
                            left: slot.count(),
                            rare: None,
                        })
                    }
                    Kind::Object => Rare::Keys {
                        first: i + 1,
                        seen: (slot.count() > LINEAR_SEEN_LIMIT).then(HashSet::new),
                    },
                    Kind::PlainStr | Kind::RawStr | Kind::EscapedStr => Rare::Chars {
                        text: doc.str_value(i).unwrap_or_default(),
                        at: 0,
                    },
                    _ => return Err(self.not_iterable()),
                }
            }
            At::Char(c) => Rare::Chars {
                text: Cow::Owned(c.to_string()),
                at: 0,
            },
            At::Str(s) => Rare::Chars {
                text: Cow::Borrowed(s),
                at: 0,
            },
            At::EmptyList | At::EmptyDict => {
                return Ok(Items {
                    doc,
                    next: 0,
                    left: 0,
                    rare: None,
                })
            }
        };
        let (next, left) = match (&rare, self.at) {
            (Rare::Keys { first, .. }, At::Tape(i)) => (*first, doc.slot(i).count()),
            _ => (0, 0),
        };
        Ok(Items {
            doc,
            next,
            left,
            rare: Some(Box::new(rare)),
        })
    }

    fn not_iterable(self) -> PyErr {
        PyErr::new(
            "TypeError",
            format!("'{}' object is not iterable", self.type_name()),
        )
    }

    /// A list's length (`None` for any other type).
    pub fn list_len(self) -> Option<usize> {
        match self.at {
            At::Tape(i) if self.doc.slot(i).kind == Kind::Array => Some(self.doc.slot(i).count()),
            At::EmptyList => Some(0),
            _ => None,
        }
    }

    /// `sep.join(x)`.
    pub fn join(self, sep: &str) -> PyRes<String> {
        let mut out = String::new();
        for (i, item) in self.iter()?.enumerate() {
            let Some(s) = item.as_str() else {
                return Err(PyErr::new(
                    "TypeError",
                    format!(
                        "sequence item {i}: expected str instance, {} found",
                        item.type_name()
                    ),
                ));
            };
            if i > 0 {
                out.push_str(sep);
            }
            out.push_str(&s);
        }
        Ok(out)
    }

    /// The text of a value of the Resource as written (strings: with their quotes;
    /// `""` for any other value).
    pub fn raw(self) -> &'d str {
        match self.at {
            At::Tape(i) => self.doc.raw(i),
            _ => "",
        }
    }

    /// The tape index, for values of the Resource.
    pub fn tape_index(self) -> Option<usize> {
        match self.at {
            At::Tape(i) => Some(i),
            _ => None,
        }
    }

    /// The character, for one taken from an iterated string.
    pub fn as_char(self) -> Option<char> {
        match self.at {
            At::Char(c) => Some(c),
            _ => None,
        }
    }

    /// The default string, for the converter's own defaults.
    pub fn as_default_str(self) -> Option<&'static str> {
        match self.at {
            At::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn doc(self) -> &'d Doc<'d> {
        self.doc
    }
}

/// `x == "text"` for an optional value.
pub fn eq_str(x: Option<V>, text: &str) -> bool {
    x.is_some_and(|v| v.is_str(text))
}

/// How many values a [`Kept`] holds without a heap allocation.
const KEPT_INLINE: usize = 4;

/// The values a rule keeps from a list (`[x for x in xs if …]`), in order.
pub struct Kept<'d> {
    head: [Option<V<'d>>; KEPT_INLINE],
    rest: Vec<V<'d>>,
}

impl<'d> Kept<'d> {
    pub fn new() -> Self {
        Kept {
            head: [None; KEPT_INLINE],
            rest: Vec::new(),
        }
    }

    pub fn push(&mut self, v: V<'d>) {
        match self.head.iter_mut().find(|slot| slot.is_none()) {
            Some(slot) => *slot = Some(v),
            None => self.rest.push(v),
        }
    }

    pub fn first(&self) -> Option<V<'d>> {
        self.head[0]
    }

    pub fn is_empty(&self) -> bool {
        self.head[0].is_none()
    }

    pub fn iter(&self) -> impl Iterator<Item = V<'d>> + '_ {
        self.head
            .iter()
            .flatten()
            .copied()
            .chain(self.rest.iter().copied())
    }
}

/// Objects with more members than this remember the keys already given in a set.
const LINEAR_SEEN_LIMIT: usize = 32;

/// How the items of anything but a list are read.
enum Rare<'d> {
    /// A dict's keys (`next` / `left` in [`Items`] walk its members).
    Keys {
        first: usize,
        seen: Option<HashSet<Cow<'d, str>>>,
    },
    /// A string's characters.
    Chars { text: Cow<'d, str>, at: usize },
}

/// What `for item in x` yields: a list's items (tape index `next`, `left` more),
/// or, for anything else, what `rare` reads.
pub struct Items<'d> {
    doc: &'d Doc<'d>,
    next: usize,
    left: usize,
    rare: Option<Box<Rare<'d>>>,
}

impl<'d> Iterator for Items<'d> {
    type Item = V<'d>;

    #[inline]
    fn next(&mut self) -> Option<V<'d>> {
        if self.rare.is_some() {
            return self.next_rare();
        }
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let item = self.next;
        self.next = self.doc.slot(item).next;
        Some(V {
            doc: self.doc,
            at: At::Tape(item),
        })
    }
}

impl<'d> Items<'d> {
    /// [`Iterator::next`] of a dict's keys or a string's characters.
    #[cold]
    #[inline(never)]
    fn next_rare(&mut self) -> Option<V<'d>> {
        let doc = self.doc;
        match self.rare.as_deref_mut()? {
            Rare::Keys { first, seen } => loop {
                if self.left == 0 {
                    return None;
                }
                self.left -= 1;
                let key = self.next;
                self.next = doc.slot(key + 1).next;
                // A repeated key is given once, at its first place.
                let repeated = match seen {
                    Some(seen) => !seen.insert(doc.str_value(key).unwrap_or_default()),
                    None => {
                        let mut earlier = *first;
                        let mut found = false;
                        while earlier < key && !found {
                            found = doc.same_key(earlier, key);
                            earlier = doc.slot(earlier + 1).next;
                        }
                        found
                    }
                };
                if !repeated {
                    return Some(V {
                        doc,
                        at: At::Tape(key),
                    });
                }
            },
            Rare::Chars { text, at } => {
                let c = text.get(*at..)?.chars().next()?;
                *at += c.len_utf8();
                Some(V {
                    doc,
                    at: At::Char(c),
                })
            }
        }
    }
}
