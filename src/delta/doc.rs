//! The stored Resource text as the converter reads it back
//! (`json.loads(Resource, parse_float=Decimal)`), without building a tree of owned
//! values: one pass records every value's kind and byte range in a flat list
//! ("tape"), in document order. Strings are decoded, and containers turned into
//! [`Node`]s, only when a rule needs them.
//!
//! [`Doc::parse`] accepts exactly the texts [`crate::json::loads`] accepts: the same
//! grammar, whitespace, `NaN` / `Infinity` / `-Infinity`, strict strings (no raw
//! control characters, only the JSON escapes), nesting up to
//! [`MAX_PYTHON_NESTING`], integers up to [`INT_MAX_STR_DIGITS`] digits and decimals
//! within `Decimal`'s exponent range.

use std::borrow::Cow;

use crate::json::{bytes_eq, loads, Node, Value, INT_MAX_STR_DIGITS, MAX_PYTHON_NESTING};

/// What a tape slot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Null,
    True,
    False,
    /// `int`, digits as written.
    Int,
    /// `Decimal`, text as written.
    Decimal,
    NaN,
    Infinity,
    NegInfinity,
    /// A string of printable ASCII without escapes: its text is its value, and
    /// the literal is also how the delta JSON writes it.
    PlainStr,
    /// A string with non-ASCII characters but no escapes: its text is its value.
    RawStr,
    /// A string with escapes: decoded on demand.
    EscapedStr,
    Array,
    Object,
}

/// One value of the tape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub kind: Kind,
    /// Byte range of the value's text (strings: quotes included).
    pub start: usize,
    pub end: usize,
    /// Arrays: items; objects: members (a repeated key counted each time), see
    /// [`Slot::count`]; keys: their [`key_tag`] ([`ESCAPED_KEY`] for a key with escapes).
    pub len: u64,
    /// Index of the slot after this value and everything inside it.
    pub next: usize,
}

/// Key texts up to this length are told apart by their [`key_tag`] alone.
pub const TAGGED_KEY_LEN: usize = 7;

/// A summary of a key's text that [`Doc::member`] compares first: its length
/// (up to 255) in the top byte and its first seven bytes below. Equal texts have
/// equal tags; texts of up to [`TAGGED_KEY_LEN`] bytes with equal tags are equal.
#[inline(always)]
pub fn key_tag(text: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    for (lane, &byte) in word.iter_mut().zip(text.iter().take(TAGGED_KEY_LEN)) {
        *lane = byte;
    }
    tag_of(u64::from_le_bytes(word), text.len())
}

/// [`key_tag`] of the `length` bytes of `bytes` from `start`, read as one word
/// where the text goes on for eight bytes.
#[inline(always)]
fn key_tag_at(bytes: &[u8], start: usize, length: usize) -> u64 {
    match bytes
        .get(start..start + 8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
    {
        Some(word) => tag_of(u64::from_le_bytes(word), length),
        None => key_tag(bytes.get(start..start + length).unwrap_or_default()),
    }
}

/// The tag of a key of `length` bytes whose first eight bytes (or fewer, then
/// anything) are `word`, little-endian.
#[inline(always)]
fn tag_of(word: u64, length: usize) -> u64 {
    let mask = if length >= TAGGED_KEY_LEN {
        0x00ff_ffff_ffff_ffff
    } else {
        (1u64 << (8 * length)) - 1
    };
    (word & mask) | ((length.min(255) as u64) << 56)
}

/// A key a rule looks up, with its [`key_tag`] worked out once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key<'k> {
    pub text: &'k str,
    pub tag: u64,
}

impl<'k> Key<'k> {
    /// `text` with its tag, computable in a constant (the `key!` macro).
    pub const fn new(text: &'k str) -> Key<'k> {
        let bytes = text.as_bytes();
        let mut word = 0u64;
        let mut i = 0;
        while i < bytes.len() && i < TAGGED_KEY_LEN {
            word |= (bytes[i] as u64) << (8 * i);
            i += 1;
        }
        let length = if bytes.len() > 255 { 255 } else { bytes.len() };
        Key {
            text,
            tag: word | ((length as u64) << 56),
        }
    }
}

impl<'k> From<&'k str> for Key<'k> {
    fn from(text: &'k str) -> Key<'k> {
        Key {
            text,
            tag: key_tag(text.as_bytes()),
        }
    }
}

/// The tag of a key written with escapes, whose text is not its value: no
/// [`key_tag`] gives it (a UTF-8 text has no byte 0xFF).
pub const ESCAPED_KEY: u64 = u64::MAX;

impl Slot {
    /// A container's items or members.
    #[inline]
    pub fn count(&self) -> usize {
        usize::try_from(self.len).unwrap_or(usize::MAX)
    }
}

/// `Slot::next` of an open container at the top level.
const NO_PARENT: usize = usize::MAX;

const NULL_SLOT: Slot = Slot {
    kind: Kind::Null,
    start: 0,
    end: 0,
    len: 0,
    next: usize::MAX,
};

/// A parsed Resource text. An object's slots are its members in order, each a key
/// (a string slot) followed by its value; an array's slots are its items.
#[derive(Clone, Copy)]
pub struct Doc<'t> {
    pub text: &'t str,
    slots: &'t [Slot],
    /// Whether no object of the text repeats a key, so that a member lookup may stop
    /// at the first match (see [`Doc::from_written_tape`]).
    distinct_keys: bool,
}

fn is_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

#[inline]
fn skip_whitespace(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).copied().is_some_and(is_whitespace) {
        at += 1;
    }
    at
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// High bit set in each byte lane of `w` (little-endian) holding `"`, `\`, a
/// control character or a non-ASCII byte; zero when there is none.
#[inline]
fn special_mask(w: u64) -> u64 {
    let below_space = w.wrapping_sub(ONES * 0x20) & !w;
    let quote = w ^ (ONES * u64::from(b'"'));
    let backslash = w ^ (ONES * u64::from(b'\\'));
    let quote_zero = quote.wrapping_sub(ONES) & !quote;
    let backslash_zero = backslash.wrapping_sub(ONES) & !backslash;
    (below_space | quote_zero | backslash_zero | w) & HIGHS
}

fn is_special(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\' || b >= 0x80
}

/// Index of the first special byte (see [`special_mask`]) at or after `from`.
#[inline(always)]
fn find_special(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let mask = special_mask(u64::from_le_bytes(word));
        if mask != 0 {
            return at + (mask.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while bytes.get(at).is_some_and(|&b| !is_special(b)) {
        at += 1;
    }
    at
}

/// The string literal opening at `quote` as the scanner reads it (strict): its end
/// (past the closing quote) and kind, or `None` when `json.loads` would raise.
#[inline(always)]
fn scan_string(bytes: &[u8], quote: usize) -> Option<(usize, Kind)> {
    let mut at = quote + 1;
    let mut kind = Kind::PlainStr;
    loop {
        at = find_special(bytes, at);
        let b = *bytes.get(at)?;
        match b {
            b'"' => return Some((at + 1, kind)),
            b'\\' => {
                kind = Kind::EscapedStr;
                match bytes.get(at + 1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => at += 2,
                    b'u' => {
                        let digits = bytes.get(at + 2..at + 6)?;
                        if !digits.iter().all(u8::is_ascii_hexdigit) {
                            return None;
                        }
                        at += 6;
                    }
                    _ => return None,
                }
            }
            b if b < 0x20 => return None,
            _ => {
                if kind == Kind::PlainStr {
                    kind = Kind::RawStr;
                }
                at += 1;
            }
        }
    }
}

fn skip_digits(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_digit) {
        at += 1;
    }
    at
}

/// The number literal at `start` (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`,
/// a `.` or exponent without digits left out): its end and kind; `None` when no
/// literal starts here or `int()` / `Decimal()` would raise on it.
fn scan_number(text: &str, start: usize) -> Option<(usize, Kind)> {
    let bytes = text.as_bytes();
    let mut at = start;
    if bytes.get(at) == Some(&b'-') {
        at += 1;
    }
    let digits_start = at;
    match bytes.get(at) {
        Some(b'1'..=b'9') => at = skip_digits(bytes, at + 1),
        Some(b'0') => at += 1,
        _ => return None,
    }
    let mut kind = Kind::Int;
    if bytes.get(at) == Some(&b'.') && bytes.get(at + 1).is_some_and(u8::is_ascii_digit) {
        kind = Kind::Decimal;
        at = skip_digits(bytes, at + 2);
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        let mut exponent = at + 1;
        if matches!(bytes.get(exponent), Some(b'-' | b'+')) {
            exponent += 1;
        }
        if bytes.get(exponent).is_some_and(u8::is_ascii_digit) {
            let end = skip_digits(bytes, exponent + 1);
            // Below 18 exponent digits `Decimal()` always succeeds; beyond, ask the parser.
            if end - exponent >= 18 && loads(text.get(start..end)?).is_err() {
                return None;
            }
            kind = Kind::Decimal;
            at = end;
        }
    }
    if kind == Kind::Int && at - digits_start > INT_MAX_STR_DIGITS {
        return None;
    }
    Some((at, kind))
}

/// The kind of the one scalar literal `text` (no whitespace around it) as
/// [`Doc::parse`] reads it; `None` for a container, for anything else, or where
/// `json.loads` would raise.
pub fn scalar_kind(text: &str) -> Option<Kind> {
    let tape = read_tape(text)?;
    let slot = tape.first()?;
    let whole = slot.start == 0 && slot.end == text.len();
    (whole && !matches!(slot.kind, Kind::Array | Kind::Object)).then_some(slot.kind)
}

/// The tape of `text` (see [`Doc`]), or `None` when `json.loads(text)` would raise.
pub fn read_tape(text: &str) -> Option<Vec<Slot>> {
    if text.starts_with('\u{feff}') {
        return None;
    }
    let bytes = text.as_bytes();
    let mut slots: Vec<Slot> = Vec::with_capacity(text.len() / 8 + 8);
    // The innermost open container (while open, its `next` holds the one around
    // it) and how many are open.
    let mut parent = NO_PARENT;
    let mut depth = 0;
    let mut at = skip_whitespace(bytes, 0);
    'value: loop {
        let index = slots.len();
        let first = *bytes.get(at)?;
        let literal = |word: &[u8]| bytes.get(at..at + word.len()) == Some(word);
        let (kind, end) = match first {
            b'"' => {
                let (end, kind) = scan_string(bytes, at)?;
                (kind, end)
            }
            b'{' | b'[' => {
                if depth >= MAX_PYTHON_NESTING {
                    return None;
                }
                let (kind, close) = if first == b'{' {
                    (Kind::Object, b'}')
                } else {
                    (Kind::Array, b']')
                };
                let inner = skip_whitespace(bytes, at + 1);
                if bytes.get(inner) == Some(&close) {
                    (kind, inner + 1)
                } else {
                    slots.push(Slot {
                        kind,
                        start: at,
                        end: at,
                        len: 0,
                        next: parent,
                    });
                    parent = index;
                    depth += 1;
                    at = if kind == Kind::Object {
                        Doc::key(bytes, &mut slots, inner)?
                    } else {
                        inner
                    };
                    continue 'value;
                }
            }
            b'n' if literal(b"null") => (Kind::Null, at + 4),
            b't' if literal(b"true") => (Kind::True, at + 4),
            b'f' if literal(b"false") => (Kind::False, at + 5),
            b'N' if literal(b"NaN") => (Kind::NaN, at + 3),
            b'I' if literal(b"Infinity") => (Kind::Infinity, at + 8),
            b'-' if literal(b"-Infinity") => (Kind::NegInfinity, at + 9),
            _ => {
                let (end, kind) = scan_number(text, at)?;
                (kind, end)
            }
        };
        slots.push(Slot {
            kind,
            start: at,
            end,
            len: 0,
            next: index + 1,
        });
        at = end;
        // Count the value in its container; close every container ending here.
        loop {
            if parent == NO_PARENT {
                return (skip_whitespace(bytes, at) == bytes.len()).then_some(slots);
            }
            let after = skip_whitespace(bytes, at);
            let count = slots.len();
            let container = slots.get_mut(parent)?;
            container.len += 1;
            let is_object = container.kind == Kind::Object;
            match bytes.get(after) {
                Some(b',') => {
                    let next = skip_whitespace(bytes, after + 1);
                    at = if is_object {
                        Doc::key(bytes, &mut slots, next)?
                    } else {
                        next
                    };
                    continue 'value;
                }
                Some(b'}') if is_object => {}
                Some(b']') if !is_object => {}
                _ => return None,
            }
            parent = container.next;
            container.end = after + 1;
            container.next = count;
            depth -= 1;
            at = after + 1;
        }
    }
}

impl<'t> Doc<'t> {
    /// The document `text` with its tape `slots` already known (as [`Doc::parse`]
    /// would read it; the caller answers for that).
    pub fn from_tape(text: &'t str, slots: &'t [Slot]) -> Doc<'t> {
        Doc {
            text,
            slots,
            distinct_keys: false,
        }
    }

    /// [`Doc::from_tape`] for a text the stored Resource's writer wrote, with the tape
    /// it recorded: `json.dumps` of a dict, whose objects never repeat a key.
    pub fn from_written_tape(text: &'t str, slots: &'t [Slot]) -> Doc<'t> {
        Doc {
            text,
            slots,
            distinct_keys: true,
        }
    }

    /// Reads `"key"` + `:` at `at`, pushing the key's slot; returns where the value starts.
    #[inline(always)]
    fn key(bytes: &[u8], slots: &mut Vec<Slot>, at: usize) -> Option<usize> {
        if bytes.get(at) != Some(&b'"') {
            return None;
        }
        let (end, kind) = scan_string(bytes, at)?;
        let index = slots.len();
        let tag = if kind == Kind::EscapedStr {
            ESCAPED_KEY
        } else {
            key_tag_at(bytes, at + 1, end - at - 2)
        };
        slots.push(Slot {
            kind,
            start: at,
            end,
            len: tag,
            next: index + 1,
        });
        let colon = skip_whitespace(bytes, end);
        if bytes.get(colon) != Some(&b':') {
            return None;
        }
        Some(skip_whitespace(bytes, colon + 1))
    }

    /// The slot at `index` (a `null` past the end, which the tape never refers to).
    #[inline]
    pub fn slot(&self, index: usize) -> &Slot {
        self.slots.get(index).unwrap_or(&NULL_SLOT)
    }

    /// The bytes between a string slot's quotes.
    #[inline]
    fn inner(&self, slot: &Slot) -> &'t [u8] {
        self.text
            .as_bytes()
            .get(slot.start + 1..slot.end.saturating_sub(1))
            .unwrap_or_default()
    }

    /// The (key, value) tape indices of the members of the object at `object`, in
    /// order (a repeated key each time).
    pub fn members(&self, object: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let mut key = object + 1;
        (0..self.slot(object).count()).map(move |_| {
            let this = key;
            key = self.slot(this + 1).next;
            (this, this + 1)
        })
    }

    /// The value index of the member `key` of the object at `object` (the last one
    /// when the key is repeated, as in the dict `json.loads` builds).
    #[inline]
    pub fn member(&self, object: usize, key: Key) -> Option<usize> {
        let slots = self.slots;
        let count = slots.get(object)?.count();
        let mut at = object + 1;
        let mut found = None;
        for _ in 0..count {
            let tag = slots.get(at)?.len;
            if (tag == key.tag && (key.text.len() <= TAGGED_KEY_LEN || self.long_key_is(at, key)))
                || (tag == ESCAPED_KEY && self.escaped_key_is(at, key.text.as_bytes()))
            {
                if self.distinct_keys {
                    return Some(at + 1);
                }
                found = Some(at + 1);
            }
            at = slots.get(at + 1)?.next;
        }
        found
    }

    /// Whether the key slot at `index` reads as `key`.
    #[inline(always)]
    pub fn key_is(&self, index: usize, key: Key) -> bool {
        let tag = self.slot(index).len;
        (tag == key.tag && (key.text.len() <= TAGGED_KEY_LEN || self.long_key_is(index, key)))
            || (tag == ESCAPED_KEY && self.escaped_key_is(index, key.text.as_bytes()))
    }

    /// Whether the key slot at `index`, whose tag is `key`'s, reads as `key` (a key
    /// longer than the tag tells apart).
    #[inline(never)]
    fn long_key_is(&self, index: usize, key: Key) -> bool {
        bytes_eq(self.inner(self.slot(index)), key.text.as_bytes())
    }

    /// The [`key_tag`] of the key slot at `index` ([`ESCAPED_KEY`] for a key with escapes).
    #[inline]
    pub fn key_tag_of(&self, index: usize) -> u64 {
        self.slot(index).len
    }

    /// Whether the key at `index`, written with escapes, reads as `key`.
    #[cold]
    #[inline(never)]
    fn escaped_key_is(&self, index: usize, key: &[u8]) -> bool {
        self.str_value(index).is_some_and(|s| s.as_bytes() == key)
    }

    /// The text of the value at `index` (strings: with their quotes).
    pub fn raw(&self, index: usize) -> &'t str {
        let slot = self.slot(index);
        self.text.get(slot.start..slot.end).unwrap_or("")
    }

    /// The value of the string at `index` (`None` for any other kind).
    pub fn str_value(&self, index: usize) -> Option<Cow<'t, str>> {
        let slot = self.slot(index);
        match slot.kind {
            Kind::PlainStr | Kind::RawStr => Some(Cow::Borrowed(
                self.text
                    .get(slot.start + 1..slot.end.saturating_sub(1))
                    .unwrap_or(""),
            )),
            Kind::EscapedStr => match self.node(index).value {
                Value::Str(s) => Some(Cow::Owned(s.into_string())),
                _ => Some(Cow::Borrowed("")),
            },
            _ => None,
        }
    }

    /// Whether the string at `index` equals `text`.
    pub fn str_eq(&self, index: usize, text: &str) -> bool {
        let slot = self.slot(index);
        match slot.kind {
            Kind::PlainStr | Kind::RawStr => {
                slot.end - slot.start == text.len() + 2
                    && bytes_eq(self.inner(slot), text.as_bytes())
            }
            Kind::EscapedStr => self.str_value(index).is_some_and(|s| s == text),
            _ => false,
        }
    }

    /// Whether the keys at `a` and `b` are the same `str`.
    pub fn same_key(&self, a: usize, b: usize) -> bool {
        let (sa, sb) = (self.slot(a), self.slot(b));
        if sa.kind == Kind::EscapedStr || sb.kind == Kind::EscapedStr {
            return self.str_value(a) == self.str_value(b);
        }
        self.raw(a) == self.raw(b)
    }

    /// The value at `index` as [`crate::json::loads`] builds it.
    pub fn node(&self, index: usize) -> Node {
        loads(self.raw(index)).unwrap_or_else(|_| Node::synthetic(Value::Null))
    }
}
