//! Byte offsets in the body text versus the code-point positions Python reports.

/// Where a byte offset stands, in Python's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PythonPosition {
    /// Python `str` index (code points before the offset).
    pub pos: usize,
    /// `doc.count('\n', 0, pos) + 1`.
    pub lineno: usize,
    /// `pos - doc.rfind('\n', 0, pos)`.
    pub colno: usize,
    /// The byte offset, clamped into the text and down to a character boundary.
    pub byte_offset: usize,
}

/// Largest character boundary of `text` at or before `byte_offset`.
pub fn floor_char_boundary(text: &str, byte_offset: usize) -> usize {
    let mut offset = byte_offset.min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Python's `JSONDecodeError` position fields for a byte offset into `text`.
pub fn python_position(text: &str, byte_offset: usize) -> PythonPosition {
    let byte_offset = floor_char_boundary(text, byte_offset);
    let before = &text[..byte_offset];
    let pos = before.chars().count();
    let (lineno, colno) = match before.rfind('\n') {
        Some(newline) => {
            let lines = before.bytes().filter(|&b| b == b'\n').count();
            // rfind gives the byte index of '\n'; the column counts code points after it, plus one.
            (lines + 1, before[newline + 1..].chars().count() + 1)
        }
        None => (1, pos + 1),
    };
    PythonPosition {
        pos,
        lineno,
        colno,
        byte_offset,
    }
}

/// 1-based line and 1-based column (in characters) of a byte offset, as
/// Python's `JSONDecodeError` counts them (`lineno`, `colno`). Offsets past the
/// end or inside a character are moved back to the previous character boundary.
pub fn line_column(text: &str, byte_offset: usize) -> (usize, usize) {
    let p = python_position(text, byte_offset);
    (p.lineno, p.colno)
}

/// Python `str` index (code points) of a byte offset into `text`.
pub fn char_index(text: &str, byte_offset: usize) -> usize {
    text[..floor_char_boundary(text, byte_offset)]
        .chars()
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_positions() {
        let p = python_position("ab\ncd", 4);
        assert_eq!((p.pos, p.lineno, p.colno), (4, 2, 2));
        assert_eq!(line_column("abc", 0), (1, 1));
        assert_eq!(line_column("abc", 3), (1, 4));
        // Just after a newline: the newline belongs to the previous line count.
        assert_eq!(line_column("a\n", 2), (2, 1));
        assert_eq!(line_column("a\n", 1), (1, 2));
    }

    #[test]
    fn non_ascii_counts_code_points() {
        // 'é' is 2 bytes, '😀' 4 bytes: Python counts one each.
        let text = "é😀\nx😀y";
        let y = text.find('y').unwrap_or(0);
        let p = python_position(text, y);
        assert_eq!((p.pos, p.lineno, p.colno), (5, 2, 3));
        assert_eq!(char_index(text, y), 5);
    }

    #[test]
    fn offsets_out_of_range_or_inside_a_char_are_clamped() {
        assert_eq!(line_column("é", 1), (1, 1));
        assert_eq!(line_column("é", 99), (1, 2));
        assert_eq!(python_position("é", 1).byte_offset, 0);
    }
}
