//! [`Text`]: the text of a JSON string or number in the value tree.
//!
//! Most strings of an Immunization body (codes, systems, dates, identifiers)
//! and nearly every number literal are short. A text of at most
//! [`INLINE_CAPACITY`] bytes is kept inside the value itself; only longer ones
//! are allocated. Either way a text is just its `str`: equality, ordering,
//! hashing, `Debug` and `Display` are those of the `str`, and it derefs to one.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use super::value::key_eq;

/// Longest text stored without an allocation (a `Text` is as large as a `String`).
pub const INLINE_CAPACITY: usize = 22;

/// An immutable string, stored inline when short.
#[derive(Clone)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    /// The first `len` bytes of `bytes`, always a whole UTF-8 text (copied
    /// from a `str`); the bytes after them mean nothing.
    Inline {
        len: u8,
        bytes: [u8; INLINE_CAPACITY],
    },
    Heap(Box<str>),
}

impl Text {
    /// The text `text`, copied inline when it is short enough.
    #[inline]
    pub fn new(text: &str) -> Text {
        match inline(text) {
            Some(repr) => Text(repr),
            None => Text(Repr::Heap(text.into())),
        }
    }

    /// The first `len` bytes of `rest`, copied as one fixed-size block (no
    /// length-dependent copy) when `rest` has at least [`INLINE_CAPACITY`] bytes
    /// and `len` is at most that and ends a character; `None` otherwise.
    #[inline]
    pub fn prefix_of(rest: &str, len: usize) -> Option<Text> {
        let window = rest.as_bytes().get(..INLINE_CAPACITY)?;
        let bytes = <[u8; INLINE_CAPACITY]>::try_from(window).ok()?;
        let len = u8::try_from(len)
            .ok()
            .filter(|&len| usize::from(len) <= INLINE_CAPACITY)?;
        if !rest.is_char_boundary(usize::from(len)) {
            return None;
        }
        Some(Text(Repr::Inline { len, bytes }))
    }

    #[inline]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline { len, bytes } => {
                let bytes = bytes.get(..usize::from(*len)).unwrap_or_default();
                // SAFETY: `Repr::Inline` is only built by `inline`, which copies
                // the whole of a `&str` (`len` bytes, a valid UTF-8 text) into
                // `bytes`, and by `prefix_of`, which copies the start of a `&str`
                // and checks that `len` ends a character; the bytes are never
                // changed afterwards.
                unsafe { std::str::from_utf8_unchecked(bytes) }
            }
            Repr::Heap(text) => text,
        }
    }

    /// Whether the text is kept without an allocation.
    pub fn is_inline(&self) -> bool {
        matches!(self.0, Repr::Inline { .. })
    }

    pub fn into_string(self) -> String {
        match self.0 {
            Repr::Heap(text) => text.into_string(),
            Repr::Inline { .. } => self.as_str().to_owned(),
        }
    }
}

/// The inline form of `text`, if it fits.
#[inline(always)]
fn inline(text: &str) -> Option<Repr> {
    let source = text.as_bytes();
    let len = u8::try_from(source.len())
        .ok()
        .filter(|&len| usize::from(len) <= INLINE_CAPACITY)?;
    let mut bytes = [0u8; INLINE_CAPACITY];
    bytes.get_mut(..source.len())?.copy_from_slice(source);
    Some(Repr::Inline { len, bytes })
}

impl Default for Text {
    fn default() -> Text {
        Text::new("")
    }
}

impl Deref for Text {
    type Target = str;

    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Text {
    #[inline]
    fn eq(&self, other: &Text) -> bool {
        key_eq(self, other)
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    #[inline]
    fn eq(&self, other: &str) -> bool {
        key_eq(self, other)
    }
}

impl PartialEq<&str> for Text {
    #[inline]
    fn eq(&self, other: &&str) -> bool {
        key_eq(self, other)
    }
}

impl PartialEq<String> for Text {
    #[inline]
    fn eq(&self, other: &String) -> bool {
        key_eq(self, other)
    }
}

impl PartialEq<Text> for str {
    #[inline]
    fn eq(&self, other: &Text) -> bool {
        key_eq(self, other)
    }
}

impl PartialEq<Text> for &str {
    #[inline]
    fn eq(&self, other: &Text) -> bool {
        key_eq(self, other)
    }
}

impl PartialEq<Text> for String {
    #[inline]
    fn eq(&self, other: &Text) -> bool {
        key_eq(self, other)
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Text) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for Text {
    #[inline]
    fn from(text: &str) -> Text {
        Text::new(text)
    }
}

impl From<&String> for Text {
    fn from(text: &String) -> Text {
        Text::new(text)
    }
}

impl From<String> for Text {
    /// Keeps the allocation of a long text (without its spare capacity).
    fn from(text: String) -> Text {
        match inline(&text) {
            Some(repr) => Text(repr),
            None => Text(Repr::Heap(text.into_boxed_str())),
        }
    }
}

impl From<char> for Text {
    fn from(c: char) -> Text {
        Text::new(c.encode_utf8(&mut [0; 4]))
    }
}

impl From<Text> for String {
    fn from(text: Text) -> String {
        text.into_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts() -> Vec<String> {
        let mut texts = vec![String::new()];
        for alphabet in [
            "abcdefghijklmnopqrstuvwxyz0123",
            "é",
            "😀",
            "\u{10f800}",
            "a\"\\\n",
        ] {
            let chars: Vec<char> = alphabet.chars().cycle().take(30).collect();
            for n in 0..=30 {
                texts.push(chars[..n].iter().collect());
            }
        }
        texts.push("x".repeat(100_000));
        texts
    }

    #[test]
    fn a_text_is_as_large_as_a_string() {
        assert_eq!(std::mem::size_of::<Text>(), std::mem::size_of::<String>());
    }

    #[test]
    fn every_text_reads_back_as_written_however_it_is_stored() {
        for text in texts() {
            for made in [
                Text::new(&text),
                Text::from(text.clone()),
                Text::from(&text),
                Text::from(text.as_str()),
            ] {
                assert_eq!(made.as_str(), text);
                assert_eq!(&*made, text.as_str());
                assert_eq!(made.len(), text.len());
                assert_eq!(made.is_inline(), text.len() <= INLINE_CAPACITY, "{text:?}");
                assert_eq!(made.clone().into_string(), text);
                assert_eq!(String::from(made.clone()), text);
                assert_eq!(format!("{made:?}"), format!("{text:?}"));
                assert_eq!(made.to_string(), text);
                assert_eq!(made, text);
                assert_eq!(made, text.as_str());
                assert_eq!(text, made);
                assert_eq!(text.as_str(), made);
            }
        }
        let mut spare = String::with_capacity(100);
        spare.push_str(&"é".repeat(20));
        assert_eq!(Text::from(spare.clone()).as_str(), spare);
        assert_eq!(Text::from('é').as_str(), "é");
        assert_eq!(Text::default().as_str(), "");
    }

    #[test]
    fn a_prefix_is_the_text_it_starts_or_nothing() {
        let rests = [
            "abcdefghijklmnopqrstuvwxyz\"tail",
            "éééééééééééééééééééé\"",
            "😀😀😀😀😀😀😀😀",
            "\u{10f800}\u{10f800}\u{10f800}\u{10f800}\u{10f800}\u{10f800}",
            "short",
            "",
        ];
        for rest in rests {
            for len in 0..=rest.len() + 2 {
                let made = Text::prefix_of(rest, len);
                let fits = rest.len() >= INLINE_CAPACITY
                    && len <= INLINE_CAPACITY
                    && rest.is_char_boundary(len);
                assert_eq!(made.is_some(), fits, "{rest:?} {len}");
                if let Some(made) = made {
                    assert!(made.is_inline());
                    assert_eq!(made.as_str(), &rest[..len]);
                    assert_eq!(made, Text::new(&rest[..len]));
                    assert_eq!(made.clone().into_string(), &rest[..len]);
                }
            }
        }
    }

    #[test]
    fn equality_and_order_are_those_of_the_str() {
        let texts = texts();
        let made: Vec<Text> = texts.iter().map(|t| Text::new(t)).collect();
        for (a, ta) in texts.iter().zip(&made) {
            for (b, tb) in texts.iter().zip(&made) {
                assert_eq!(ta == tb, a == b, "{a:?} {b:?}");
                assert_eq!(ta.cmp(tb), a.cmp(b), "{a:?} {b:?}");
            }
        }
    }
}
