//! Python's `datetime.strptime` for the three formats the pre-validators use
//! (`%Y-%m-%d`, `%Y-%m-%dT%H:%M:%S%z`, `%Y-%m-%dT%H:%M:%S.%f%z`): the same
//! case-insensitive, backtracking pattern match (regex `\d` takes digits of any
//! script), the same "unconverted data" rule, and the same range checks of the
//! resulting `datetime`.

use crate::calendar::{days_from_civil, days_in_month};
use crate::python::decimal_value;

/// The formats upstream passes to `datetime.strptime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `%Y-%m-%d`
    Date,
    /// `%Y-%m-%dT%H:%M:%S%z`
    DateTimeZone,
    /// `%Y-%m-%dT%H:%M:%S.%f%z`
    DateTimeFractionZone,
}

/// A `datetime` produced by `strptime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
    pub microsecond: i64,
    /// UTC offset in microseconds when the value is timezone-aware (`%z`).
    pub offset_micros: Option<i64>,
}

impl DateTime {
    /// What `strptime` starts from before the directives fill the fields in.
    pub(super) const UNSET: DateTime = DateTime {
        year: 0,
        month: 1,
        day: 1,
        hour: 0,
        minute: 0,
        second: 0,
        microsecond: 0,
        offset_micros: None,
    };

    /// Whether the fields make a real date and time (`datetime`'s own checks).
    pub(super) fn is_valid(&self) -> bool {
        (1..=9999).contains(&self.year)
            && (1..=12).contains(&self.month)
            && self.day >= 1
            && self.day <= days_in_month(self.year, self.month)
            && (0..=23).contains(&self.hour)
            && (0..=59).contains(&self.minute)
            && (0..=59).contains(&self.second)
    }

    /// Microseconds since 1970-01-01T00:00:00 of the wall-clock reading, ignoring the offset.
    pub fn naive_epoch_micros(&self) -> i64 {
        let days = days_from_civil(self.year, self.month, self.day);
        ((days * 24 + self.hour) * 60 + self.minute) * 60_000_000
            + self.second * 1_000_000
            + self.microsecond
    }

    /// The instant, in microseconds since the Unix epoch, for an aware value;
    /// the naive reading otherwise.
    pub fn epoch_micros(&self) -> i64 {
        self.naive_epoch_micros() - self.offset_micros.unwrap_or(0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Token {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Fraction,
    Zone,
    Literal(char),
}

pub(super) const DATE: &[Token] = &[
    Token::Year,
    Token::Literal('-'),
    Token::Month,
    Token::Literal('-'),
    Token::Day,
];
pub(super) const DATE_TIME_ZONE: &[Token] = &[
    Token::Year,
    Token::Literal('-'),
    Token::Month,
    Token::Literal('-'),
    Token::Day,
    Token::Literal('T'),
    Token::Hour,
    Token::Literal(':'),
    Token::Minute,
    Token::Literal(':'),
    Token::Second,
    Token::Zone,
];
pub(super) const DATE_TIME_FRACTION_ZONE: &[Token] = &[
    Token::Year,
    Token::Literal('-'),
    Token::Month,
    Token::Literal('-'),
    Token::Day,
    Token::Literal('T'),
    Token::Hour,
    Token::Literal(':'),
    Token::Minute,
    Token::Literal(':'),
    Token::Second,
    Token::Literal('.'),
    Token::Fraction,
    Token::Zone,
];

/// The most tokens a format has.
const MAX_TOKENS: usize = 14;

/// The longest text, in characters, any format can match in full:
/// `YYYY-MM-DDTHH:MM:SS.ffffff` (26) and the longest `%z`, `+HH:MM:SS.ffffff` (16).
/// A longer text always leaves "unconverted data", so it never parses.
const MAX_MATCH_CHARS: usize = 42;

/// The text being matched, read one character at a time: the bytes of an ASCII
/// text as they are, any other text decoded into `char`s first.
trait Text: Copy {
    /// The character at `i`, if the text is that long.
    fn at(self, i: usize) -> Option<char>;
    /// The number of characters.
    fn count(self) -> usize;
    /// The characters from `start` on (none past the end).
    fn from(self, start: usize) -> Self;
    /// The characters from `start` to `end`, if both are within the text.
    fn part(self, start: usize, end: usize) -> Option<Self>;
}

impl Text for &[u8] {
    fn at(self, i: usize) -> Option<char> {
        self.get(i).map(|b| char::from(*b))
    }
    fn count(self) -> usize {
        self.len()
    }
    fn from(self, start: usize) -> Self {
        self.get(start..).unwrap_or(&[])
    }
    fn part(self, start: usize, end: usize) -> Option<Self> {
        self.get(start..end)
    }
}

impl Text for &[char] {
    fn at(self, i: usize) -> Option<char> {
        self.get(i).copied()
    }
    fn count(self) -> usize {
        self.len()
    }
    fn from(self, start: usize) -> Self {
        self.get(start..).unwrap_or(&[])
    }
    fn part(self, start: usize, end: usize) -> Option<Self> {
        self.get(start..end)
    }
}

fn is_d(c: Option<char>) -> bool {
    c.is_some_and(|c| decimal_value(c).is_some())
}

fn in_range(c: Option<char>, lo: char, hi: char) -> bool {
    c.is_some_and(|c| (lo..=hi).contains(&c))
}

/// Offers `try_length` each length (in characters) the directive's regex
/// alternatives can match at the start of `input`, in the order the regex engine
/// tries them, until it accepts one; answers whether one was accepted.
fn candidates<T: Text>(token: Token, input: T, mut try_length: impl FnMut(usize) -> bool) -> bool {
    let c0 = input.at(0);
    let c1 = input.at(1);
    match token {
        Token::Literal(expected) => {
            let matches = c0.is_some_and(|c| c == expected || (expected == 'T' && c == 't'));
            matches && try_length(1)
        }
        Token::Year => (0..4).all(|i| is_d(input.at(i))) && try_length(4),
        Token::Month => {
            // 1[0-2]|0[1-9]|[1-9]
            (c0 == Some('1') && in_range(c1, '0', '2') && try_length(2))
                || (c0 == Some('0') && in_range(c1, '1', '9') && try_length(2))
                || (in_range(c0, '1', '9') && try_length(1))
        }
        Token::Day => {
            // 3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9]
            (c0 == Some('3') && in_range(c1, '0', '1') && try_length(2))
                || (in_range(c0, '1', '2') && is_d(c1) && try_length(2))
                || (c0 == Some('0') && in_range(c1, '1', '9') && try_length(2))
                || (in_range(c0, '1', '9') && try_length(1))
                || (c0 == Some(' ') && in_range(c1, '1', '9') && try_length(2))
        }
        Token::Hour => {
            // 2[0-3]|[0-1]\d|\d
            (c0 == Some('2') && in_range(c1, '0', '3') && try_length(2))
                || (in_range(c0, '0', '1') && is_d(c1) && try_length(2))
                || (is_d(c0) && try_length(1))
        }
        Token::Minute => {
            // [0-5]\d|\d
            (in_range(c0, '0', '5') && is_d(c1) && try_length(2)) || (is_d(c0) && try_length(1))
        }
        Token::Second => {
            // 6[0-1]|[0-5]\d|\d
            (c0 == Some('6') && in_range(c1, '0', '1') && try_length(2))
                || (in_range(c0, '0', '5') && is_d(c1) && try_length(2))
                || (is_d(c0) && try_length(1))
        }
        Token::Fraction => {
            // [0-9]{1,6}, greedy
            let run = (0..6)
                .take_while(|&i| input.at(i).is_some_and(|c| c.is_ascii_digit()))
                .count();
            (1..=run).rev().any(try_length)
        }
        Token::Zone => zone_candidates(input, try_length),
    }
}

/// `[+-]\d\d:?[0-5]\d(:?[0-5]\d(\.\d{1,6})?)?|(?-i:Z)` in backtracking order.
fn zone_candidates<T: Text>(input: T, mut try_length: impl FnMut(usize) -> bool) -> bool {
    let at = |i: usize| input.at(i);
    if matches!(at(0), Some('+') | Some('-')) && is_d(at(1)) && is_d(at(2)) {
        // `:?` is greedy: with the colon first, then without.
        let with_colon = (at(3) == Some(':')).then_some(4);
        for pos in with_colon.into_iter().chain([3]) {
            if !(in_range(at(pos), '0', '5') && is_d(at(pos + 1))) {
                continue;
            }
            let base = pos + 2;
            // Optional seconds group, greedy: tried before skipping it.
            let with_colon = (at(base) == Some(':')).then_some(base + 1);
            for spos in with_colon.into_iter().chain([base]) {
                if in_range(at(spos), '0', '5') && is_d(at(spos + 1)) {
                    let after = spos + 2;
                    if at(after) == Some('.') {
                        let run = (after + 1..after + 7).take_while(|&i| is_d(at(i))).count();
                        if (1..=run).rev().any(|len| try_length(after + 1 + len)) {
                            return true;
                        }
                    }
                    if try_length(after) {
                        return true;
                    }
                }
            }
            if try_length(base) {
                return true;
            }
        }
    }
    at(0) == Some('Z') && try_length(1)
}

/// Depth-first over the tokens, trying each directive's alternatives in the
/// regex engine's order; the first complete path is the match `re.match`
/// returns, and `ends` holds where each token's part of it ends.
fn match_tokens<T: Text>(tokens: &[Token], input: T, pos: usize, ends: &mut [u8]) -> bool {
    let Some((&token, rest)) = tokens.split_first() else {
        return true;
    };
    let Some((slot, rest_ends)) = ends.split_first_mut() else {
        return false;
    };
    candidates(token, input.from(pos), |len| {
        let end = pos + len;
        let Ok(end_u8) = u8::try_from(end) else {
            return false;
        };
        *slot = end_u8;
        match_tokens(rest, input, end, rest_ends)
    })
}

/// The first match for texts of the usual shape, without backtracking: every
/// numeric directive takes its two-digit (year: four-digit) first alternative,
/// each followed by a literal or `%z`.
///
/// Along such a path every shorter alternative of a directive would leave a
/// digit where the next literal or `%z` must start, and neither can start with a
/// digit; so when a literal, `%f` or `%z` finds nothing, no other path matches
/// either (`Some(false)`), and when the path reaches the end it is the first
/// match (`Some(true)`, `ends` filled). `None` where the text leaves the shape
/// (a one-digit field, a digit of another script): [`match_tokens`] decides.
fn usual_shape_path<T: Text>(tokens: &[Token], input: T, ends: &mut [u8]) -> Option<bool> {
    let at = |i: usize| input.at(i);
    let digit = |i: usize| at(i).is_some_and(|c| c.is_ascii_digit());
    let two_digits = |i: usize, first: fn(char) -> bool| at(i).is_some_and(first) && digit(i + 1);
    let mut pos = 0;
    for (token, slot) in tokens.iter().zip(ends.iter_mut()) {
        let len = match token {
            Token::Literal(expected) => {
                let matches =
                    at(pos).is_some_and(|c| c == *expected || (*expected == 'T' && c == 't'));
                if !matches {
                    return Some(false);
                }
                1
            }
            Token::Year => {
                if !(pos..pos + 4).all(digit) {
                    return None;
                }
                4
            }
            Token::Month => {
                // 1[0-2]|0[1-9]
                let first = match at(pos) {
                    Some('1') => in_range(at(pos + 1), '0', '2'),
                    Some('0') => in_range(at(pos + 1), '1', '9'),
                    _ => false,
                };
                if !first {
                    return None;
                }
                2
            }
            Token::Day => {
                // 3[0-1]|[1-2]\d|0[1-9]
                let first = match at(pos) {
                    Some('3') => in_range(at(pos + 1), '0', '1'),
                    Some('1' | '2') => digit(pos + 1),
                    Some('0') => in_range(at(pos + 1), '1', '9'),
                    _ => false,
                };
                if !first {
                    return None;
                }
                2
            }
            Token::Hour => {
                // 2[0-3]|[0-1]\d
                let first = match at(pos) {
                    Some('2') => in_range(at(pos + 1), '0', '3'),
                    Some('0' | '1') => digit(pos + 1),
                    _ => false,
                };
                if !first {
                    return None;
                }
                2
            }
            Token::Minute => {
                // [0-5]\d
                if !two_digits(pos, |c| ('0'..='5').contains(&c)) {
                    return None;
                }
                2
            }
            Token::Second => {
                // 6[0-1]|[0-5]\d
                let first = match at(pos) {
                    Some('6') => in_range(at(pos + 1), '0', '1'),
                    Some('0'..='5') => digit(pos + 1),
                    _ => false,
                };
                if !first {
                    return None;
                }
                2
            }
            Token::Fraction => {
                let run = (pos..pos + 6).take_while(|&i| digit(i)).count();
                if run == 0 {
                    return Some(false);
                }
                run
            }
            Token::Zone => {
                let mut first = None;
                zone_candidates(input.from(pos), |len| {
                    first = Some(len);
                    true
                });
                match first {
                    Some(len) => len,
                    None => return Some(false),
                }
            }
        };
        pos += len;
        *slot = u8::try_from(pos).ok()?;
    }
    (tokens.len() <= ends.len()).then_some(true)
}

/// `int()` of captured digits (any script; a leading space as `%d` allows).
fn int_of<T: Text>(chars: T) -> Option<i64> {
    let mut value: i64 = 0;
    let mut any = false;
    for c in (0..chars.count())
        .filter_map(|i| chars.at(i))
        .filter(|c| *c != ' ')
    {
        value = value * 10 + i64::from(decimal_value(c)?);
        any = true;
    }
    any.then_some(value)
}

/// The `%z` capture as upstream's `_strptime` reads it: offset in microseconds,
/// `None` when it raises `ValueError`.
fn zone_offset<T: Text>(z: T) -> Option<i64> {
    if z.count() == 1 && z.at(0) == Some('Z') {
        return Some(0);
    }
    // `z` without its colons, as `_strptime` deletes them.
    let mut buffer = ['\0'; MAX_MATCH_CHARS];
    let mut len = 0;
    for c in (0..z.count()).filter_map(|i| z.at(i)) {
        *buffer.get_mut(len)? = c;
        len += 1;
    }
    let remove = |buffer: &mut [char; MAX_MATCH_CHARS], len: &mut usize, at: usize| {
        buffer.copy_within(at + 1..*len, at);
        *len -= 1;
    };
    if len > 3 && buffer[3] == ':' {
        remove(&mut buffer, &mut len, 3);
        if len > 5 {
            if buffer[5] != ':' {
                return None;
            }
            remove(&mut buffer, &mut len, 5);
        }
    }
    let z: &[char] = buffer.get(..len)?;
    let hours = int_of(z.get(1..3)?)?;
    let minutes = int_of(z.get(3..5)?)?;
    let seconds = match z.get(5..7.min(z.len())) {
        Some(part) if !part.is_empty() => int_of(part)?,
        _ => 0,
    };
    let remainder = z.get(8..).unwrap_or(&[]);
    let fraction = if remainder.is_empty() {
        0
    } else {
        padded_fraction(remainder)?
    };
    let mut offset = (hours * 3600 + minutes * 60 + seconds) * 1_000_000 + fraction;
    if z.first() == Some(&'-') {
        offset = -offset;
    }
    // datetime.timezone requires strictly less than a day either way.
    (offset.abs() < 86_400_000_000).then_some(offset)
}

/// `int(digits + "0" * (6 - len(digits)))`: a fraction of a second in microseconds.
fn padded_fraction<T: Text>(digits: T) -> Option<i64> {
    let mut value = int_of(digits)?;
    for _ in digits.count()..6 {
        value *= 10;
    }
    Some(value)
}

/// `datetime.strptime(text, format)`: the parsed value, or `None` where Python raises `ValueError`.
pub fn strptime(text: &str, format: Format) -> Option<DateTime> {
    strptime_first(text, &[format], |_| true)
}

/// `datetime.strptime` of the first format, in order, that parses `text`
/// and that `accept` takes: what a loop of `try: strptime(text, f)` with further
/// tests after it finds.
pub fn strptime_first(
    text: &str,
    formats: &[Format],
    mut accept: impl FnMut(&DateTime) -> bool,
) -> Option<DateTime> {
    if text.is_ascii() {
        if text.len() > MAX_MATCH_CHARS {
            return None;
        }
        let bytes = text.as_bytes();
        return formats
            .iter()
            .filter_map(|format| match usual_ascii(bytes, *format) {
                Some(decided) => decided,
                None => parse(bytes, *format),
            })
            .find(|parsed| accept(parsed));
    }
    let mut chars = ['\0'; MAX_MATCH_CHARS];
    let mut len = 0;
    for c in text.chars() {
        *chars.get_mut(len)? = c;
        len += 1;
    }
    first_accepted(chars.get(..len)?, formats, &mut accept)
}

/// Two ASCII digits as a number.
#[inline]
fn digit_pair(tens: u8, units: u8) -> Option<i64> {
    match (tens, units) {
        (b'0'..=b'9', b'0'..=b'9') => Some(i64::from(tens - b'0') * 10 + i64::from(units - b'0')),
        _ => None,
    }
}

/// `YYYY-MM-DD` at the start of an ASCII text where `%Y-%m-%d` takes its usual
/// path (month `1[0-2]|0[1-9]`, day `3[0-1]|[1-2]\d|0[1-9]`): year, month, day.
fn usual_ascii_date(b: &[u8]) -> Option<(i64, i64, i64)> {
    let &[y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2, ..] = b else {
        return None;
    };
    let year = digit_pair(y1, y2)? * 100 + digit_pair(y3, y4)?;
    let month = digit_pair(m1, m2)?;
    let day = digit_pair(d1, d2)?;
    let shaped = (1..=12).contains(&month) && (1..=31).contains(&day);
    shaped.then_some((year, month, day))
}

/// `hh:mm:ss` (after `YYYY-MM-DDT`) where `%H:%M:%S` takes its usual path
/// (hour `2[0-3]|[0-1]\d`, minute `[0-5]\d`, second `6[0-1]|[0-5]\d`): the date
/// and time of the first 19 bytes of an ASCII text.
fn usual_ascii_date_time(b: &[u8]) -> Option<DateTime> {
    let &[_, _, _, _, _, _, _, _, _, _, b'T' | b't', h1, h2, b':', m1, m2, b':', s1, s2, ..] = b
    else {
        return None;
    };
    let (year, month, day) = usual_ascii_date(b)?;
    let hour = digit_pair(h1, h2)?;
    let minute = digit_pair(m1, m2)?;
    let second = digit_pair(s1, s2)?;
    let shaped = hour <= 23 && minute <= 59 && second <= 61;
    shaped.then_some(DateTime {
        year,
        month,
        day,
        hour,
        minute,
        second,
        ..DateTime::UNSET
    })
}

/// A `%z` that is exactly `±hh:mm` (minutes `[0-5]\d`): its first match is the
/// whole of it. The offset in microseconds, `Some(None)` where `datetime`
/// rejects it (a day or more); `None` for any other text.
fn usual_ascii_zone(z: &[u8]) -> Option<Option<i64>> {
    let &[sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] = z else {
        return None;
    };
    let negative = sign == b'-';
    let hours = digit_pair(h1, h2)?;
    let minutes = digit_pair(m1, m2)?;
    if minutes > 59 {
        return None;
    }
    let offset = (hours * 3600 + minutes * 60) * 1_000_000;
    // datetime.timezone requires strictly less than a day either way.
    Some((offset < 86_400_000_000).then_some(if negative { -offset } else { offset }))
}

/// `strptime` of an ASCII text of the usual full shapes, read directly:
/// `YYYY-MM-DD`, `YYYY-MM-DDThh:mm:ss±hh:mm` and `YYYY-MM-DDThh:mm:ss.f±hh:mm`
/// (one to six fraction digits) with two-digit fields in their first regex
/// alternative. There the first match is the one path [`usual_shape_path`]
/// follows, so the value is the one [`parse`] finds; and where such a date and
/// time is followed by `.`, `%S%z` cannot match (a shorter `%S` would leave a
/// digit where `%z` must start). A text longer than `%Y-%m-%d` can match never
/// parses as a date. `None` where the text has another shape ([`parse`] decides).
fn usual_ascii(b: &[u8], format: Format) -> Option<Option<DateTime>> {
    let found = match format {
        Format::Date => {
            // `\d\d\d\d`, `-`, at most two, `-`, at most two.
            if b.len() > 10 {
                return Some(None);
            }
            if b.len() != 10 {
                return None;
            }
            let (year, month, day) = usual_ascii_date(b)?;
            DateTime {
                year,
                month,
                day,
                ..DateTime::UNSET
            }
        }
        Format::DateTimeZone => {
            let mut value = usual_ascii_date_time(b)?;
            let zone = b.get(19..)?;
            if zone.first() == Some(&b'.') {
                return Some(None);
            }
            match usual_ascii_zone(zone)? {
                Some(offset) => value.offset_micros = Some(offset),
                None => return Some(None),
            }
            value
        }
        Format::DateTimeFractionZone => {
            let mut value = usual_ascii_date_time(b)?;
            if b.get(19) != Some(&b'.') {
                return None;
            }
            let rest = b.get(20..)?;
            let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
            if !(1..=6).contains(&digits) {
                return None;
            }
            let mut micros = 0;
            for position in 0..6 {
                let digit = rest.get(position).filter(|_| position < digits);
                micros = micros * 10 + digit.map_or(0, |d| i64::from(d - b'0'));
            }
            value.microsecond = micros;
            match usual_ascii_zone(rest.get(digits..)?)? {
                Some(offset) => value.offset_micros = Some(offset),
                None => return Some(None),
            }
            value
        }
    };
    Some(found.is_valid().then_some(found))
}

fn first_accepted<T: Text>(
    input: T,
    formats: &[Format],
    accept: &mut impl FnMut(&DateTime) -> bool,
) -> Option<DateTime> {
    formats
        .iter()
        .filter_map(|format| parse(input, *format))
        .find(|parsed| accept(parsed))
}

fn parse<T: Text>(input: T, format: Format) -> Option<DateTime> {
    let tokens = match format {
        Format::Date => DATE,
        Format::DateTimeZone => DATE_TIME_ZONE,
        Format::DateTimeFractionZone => DATE_TIME_FRACTION_ZONE,
    };
    let mut ends = [0u8; MAX_TOKENS];
    let matched = match usual_shape_path(tokens, input, &mut ends) {
        Some(decided) => decided,
        None => match_tokens(tokens, input, 0, &mut ends),
    };
    if !matched {
        return None;
    }
    let ends = ends.get(..tokens.len())?;
    // "unconverted data remains"
    if ends.last().map_or(0, |end| usize::from(*end)) != input.count() {
        return None;
    }
    let mut value = DateTime::UNSET;
    let mut start = 0;
    for (token, end) in tokens.iter().zip(ends) {
        let end = usize::from(*end);
        let part = input.part(start, end)?;
        start = end;
        match token {
            Token::Year => value.year = int_of(part)?,
            Token::Month => value.month = int_of(part)?,
            Token::Day => value.day = int_of(part)?,
            Token::Hour => value.hour = int_of(part)?,
            Token::Minute => value.minute = int_of(part)?,
            Token::Second => value.second = int_of(part)?,
            Token::Fraction => value.microsecond = padded_fraction(part)?,
            Token::Zone => value.offset_micros = Some(zone_offset(part)?),
            Token::Literal(_) => {}
        }
    }
    value.is_valid().then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str, format: Format) -> bool {
        strptime(text, format).is_some()
    }

    #[test]
    fn dates_follow_python_strptime() {
        assert!(ok("2021-02-07", Format::Date));
        assert!(ok("2021-2-7", Format::Date));
        assert!(ok("2021-02- 7", Format::Date));
        assert!(ok("٢٠٢١-02-07", Format::Date));
        assert!(ok("0001-01-01", Format::Date));
        assert!(!ok("0000-01-01", Format::Date));
        assert!(!ok("2021-02-29", Format::Date));
        assert!(ok("2020-02-29", Format::Date));
        assert!(!ok("2021-13-01", Format::Date));
        assert!(!ok("2021-02-07 ", Format::Date));
        assert!(!ok("20210-02-07", Format::Date));
        assert!(!ok("2021-02-07T00:00:00+00:00", Format::Date));
        assert!(!ok("", Format::Date));
    }

    #[test]
    fn date_times_follow_python_strptime() {
        let v = strptime("2021-02-07T13:28:17+01:00", Format::DateTimeZone).unwrap();
        assert_eq!(v.offset_micros, Some(3_600_000_000));
        assert!(ok("2021-02-07t13:28:17+0000", Format::DateTimeZone));
        assert!(ok("2021-02-07T13:28:17Z", Format::DateTimeZone));
        assert!(!ok("2021-02-07T13:28:17z", Format::DateTimeZone));
        assert!(ok("2021-02-07T13:28:17-05:00", Format::DateTimeZone));
        assert!(ok("2021-02-07T13:28:17+01:00:30.5", Format::DateTimeZone));
        assert!(!ok("2021-02-07T13:28:17+01:0030", Format::DateTimeZone));
        assert!(!ok("2021-02-07T13:28:17+24:00", Format::DateTimeZone));
        assert!(ok("2021-02-07T13:28:17+23:59", Format::DateTimeZone));
        assert!(!ok("2021-02-07T13:28:60+00:00", Format::DateTimeZone));
        assert!(ok("2021-02-07T1:2:3+00:00", Format::DateTimeZone));
        assert!(!ok("2021-02-07T13:28:17", Format::DateTimeZone));
        assert!(!ok("2021-02-07T13:28:17.5+00:00", Format::DateTimeZone));
        let v = strptime("2021-02-07T13:28:17.5+00:00", Format::DateTimeFractionZone).unwrap();
        assert_eq!(v.microsecond, 500_000);
        assert!(!ok(
            "2021-02-07T13:28:17.1234567+00:00",
            Format::DateTimeFractionZone
        ));
    }
}

#[cfg(test)]
mod against_reference {
    use super::super::strptime_reference;
    use super::*;

    const FORMATS: [Format; 3] = [
        Format::Date,
        Format::DateTimeZone,
        Format::DateTimeFractionZone,
    ];

    /// Checks every format against the reference; answers how many parsed.
    fn same(text: &str) -> usize {
        let mut parsed = 0;
        for format in FORMATS {
            let found = strptime(text, format);
            assert_eq!(
                found,
                strptime_reference::strptime(text, format),
                "{text:?} {format:?}"
            );
            parsed += usize::from(found.is_some());
        }
        parsed
    }

    /// A small deterministic generator (no dependency needed for test inputs).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, bound: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) as usize) % bound
        }
    }

    #[test]
    fn fixed_inputs_match_the_reference_matcher() {
        for text in [
            "",
            "2021-02-07",
            "2021-2-7",
            "2021-02- 7",
            "٢٠٢١-02-07",
            "2021-02-07T13:28:17+01:00",
            "2021-02-07t13:28:17+0000",
            "2021-02-07T13:28:17Z",
            "2021-02-07T13:28:17z",
            "2021-02-07T13:28:17+01:00:30.5",
            "2021-02-07T13:28:17+01:0030",
            "2021-02-07T13:28:17+01:00:30.123456",
            "2021-02-07T13:28:17+01:00:30.1234567",
            "2021-02-07T13:28:17.123456+01:00:30.123456",
            "2021-02-07T13:28:17.123456+01:00:30.12345",
            "2021-02-07T13:28:17.123456+01:00:30.1234567",
            "2021-02-07T1:2:3+00:00",
            "2021-02-07T13:28:17.5+00:00",
            "2021-02-07T13:28:17.1234567+00:00",
            "2021-02-07T13:28:17.000001-23:59:59.999999",
            "2021-02-07T13:28:17+0130",
            "2021-02-07T13:28:17+013000",
            "2021-02-07T13:28:17+01:3000",
            "2021-02-07T13:28:61+00:00",
            "2021-02-07T24:00:00+00:00",
            "2021-12-31T23:59:59+00:00",
            "9999-12-31",
            "0000-01-01",
            "2021-1-1T1:1:1Z",
            "2021-11-1T1:1:1Z",
            "2021-111-1",
            "2021-02-07\u{fffd}",
            "２０２１-02-07",
            "2021-02-0٧",
            "2021-02-07T1٣:28:17+0٠:00",
            "2021-02-07T13:28:17.٣+00:00",
        ] {
            same(text);
        }
        same(&"2021-02-07T13:28:17.123456+01:00:30.123456".repeat(3));
        same(&"9".repeat(10_000));
    }

    #[test]
    fn generated_inputs_match_the_reference_matcher() {
        const PIECES: &[&str] = &[
            "0", "1", "2", "3", "5", "6", "9", "00", "01", "12", "13", "23", "24", "29", "30",
            "31", "59", "60", "61", "2021", "1999", "-", "-", ":", ":", "T", "t", ".", "+", "-",
            "Z", "z", " ", "٢", "²", "x", "123456", "1234567", "+00:00", "+01:00", "-0530",
        ];
        let mut rng = Lcg(0x5eed);
        let mut parsed = 0;
        for _ in 0..60_000 {
            let mut text = String::new();
            for _ in 0..rng.next(16) {
                text.push_str(PIECES[rng.next(PIECES.len())]);
            }
            parsed += same(&text);
        }
        // Shaped like dates: the valid ones must be among them too.
        let mut shaped = 0;
        for _ in 0..60_000 {
            let mut text = String::new();
            let shape = [
                "2021", "-", "", "-", "", "T", "", ":", "", ":", "", ".", "", "",
            ];
            for (i, fixed) in shape.iter().enumerate().take(5 + rng.next(10)) {
                if fixed.is_empty() || rng.next(8) == 0 {
                    text.push_str(PIECES[rng.next(PIECES.len())]);
                    if i == 13 {
                        text.push_str(PIECES[rng.next(PIECES.len())]);
                    }
                } else {
                    text.push_str(fixed);
                }
            }
            shaped += same(&text);
        }
        assert!(shaped > 100, "{parsed} {shaped}");
        // Mutations of well-formed values: one character replaced, dropped or doubled.
        let bases = [
            "2021-02-07",
            "2021-02-07T13:28:17+01:00",
            "2021-02-07T13:28:17.123+0100",
            "2021-02-07T13:28:17-01:00:30.25",
        ];
        let replacements = ['0', '1', '3', '6', '9', ' ', ':', '-', '.', 'T', 'Z', '٣'];
        for base in bases {
            let chars: Vec<char> = base.chars().collect();
            for i in 0..chars.len() {
                for r in replacements {
                    let mut changed = chars.clone();
                    changed[i] = r;
                    same(&changed.iter().collect::<String>());
                }
                let mut dropped = chars.clone();
                dropped.remove(i);
                same(&dropped.iter().collect::<String>());
                let mut doubled = chars.clone();
                doubled.insert(i, chars[i]);
                same(&doubled.iter().collect::<String>());
            }
        }
    }

    /// The shortcut, where it decides, finds what the backtracking search finds.
    fn shortcut_agrees(text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        let mut decided = false;
        for tokens in [DATE, DATE_TIME_ZONE, DATE_TIME_FRACTION_ZONE] {
            let (mut quick, mut full) = ([0u8; MAX_TOKENS], [0u8; MAX_TOKENS]);
            if let Some(found) = usual_shape_path(tokens, chars.as_slice(), &mut quick) {
                let searched = match_tokens(tokens, chars.as_slice(), 0, &mut full);
                assert_eq!(found, searched, "{text:?} {tokens:?}");
                if found {
                    assert_eq!(quick[..tokens.len()], full[..tokens.len()], "{text:?}");
                }
                decided = true;
            }
        }
        decided
    }

    #[test]
    fn usual_shape_shortcut_agrees_with_the_search() {
        let mut rng = Lcg(0xda7e);
        let alphabet = [
            '0', '1', '2', '3', '5', '6', '9', '-', ':', 'T', '.', '+', 'Z', ' ', '٣',
        ];
        let mut decided = 0;
        for base in [
            "2021-02-07",
            "2021-12-31T23:59:59+01:00",
            "2021-02-07T13:28:17.123456+0100",
            "2021-02-07T13:28:17.1234567Z",
        ] {
            let chars: Vec<char> = base.chars().collect();
            for _ in 0..20_000 {
                let mut changed = chars.clone();
                for _ in 0..1 + rng.next(3) {
                    let i = rng.next(changed.len());
                    match rng.next(3) {
                        0 => changed[i] = alphabet[rng.next(alphabet.len())],
                        1 => {
                            changed.remove(i);
                        }
                        _ => changed.insert(i, alphabet[rng.next(alphabet.len())]),
                    }
                    if changed.is_empty() {
                        changed.push('0');
                    }
                }
                let text: String = changed.iter().collect();
                decided += usize::from(shortcut_agrees(&text));
                same(&text);
            }
        }
        assert!(decided > 10_000, "{decided}");
    }

    /// The direct reading of the usual ASCII shapes is what the pattern match finds,
    /// over every two-digit value of every field (and a few around each).
    #[test]
    fn usual_ascii_shapes_read_as_the_pattern_match() {
        let mut decided = 0;
        let mut check = |text: &str| {
            for format in [Format::Date, Format::DateTimeZone] {
                if let Some(found) = usual_ascii(text.as_bytes(), format) {
                    assert_eq!(found, parse(text.as_bytes(), format), "{text:?} {format:?}");
                    decided += 1;
                }
            }
            same(text);
        };
        // Every two-digit value in each two-digit field of `base` (at `fields`).
        let each_field_value = |base: &str, fields: &[usize], check: &mut dyn FnMut(&str)| {
            for &at in fields {
                for value in 0..100 {
                    let mut text = base.to_string();
                    text.replace_range(at..at + 2, &format!("{value:02}"));
                    check(&text);
                }
            }
        };
        each_field_value(
            "2021-02-07T13:28:17+01:00",
            &[0, 2, 5, 8, 11, 14, 17, 20, 23],
            &mut |text| {
                check(text);
                check(&text[..10]);
            },
        );
        for sign in ["+", "-", " ", "x"] {
            for sep in ["T", "t", ":", " "] {
                let text = format!("2021-02-07{sep}13:28:17{sign}01:00");
                check(&text);
            }
        }
        for text in [
            "2024-02-29",
            "2023-02-29",
            "0000-01-01",
            "2021-02-07T13:28:60+00:00",
            "2021-02-07x",
            "2021-02-07T13:28:17.",
            "2021-02-07T13:28:17.+00:00",
            "2021-02-07T13:28:17.1234567+00:00",
            "2021-02-07T13:28:17.000-99:59",
            "2021-02-07T13:28:17.5Z",
            "2021-02-07T13:28:17.5+0100",
            "2021-02-07T13:28:17.5+01:00x",
            "2021-02-07T13:28:17+01:00x",
            "2021-02-07T13:28:17+01:60",
        ] {
            check(text);
        }
        for digits in 1..=7 {
            for sign in ["+", "-"] {
                let fraction = &"1234567"[..digits];
                check(&format!("2021-02-07T13:28:17.{fraction}{sign}01:00"));
                check(&format!("2021-02-07T23:59:59.{fraction}{sign}23:59"));
                check(&format!("2021-02-07T23:59:59.{fraction}{sign}24:00"));
            }
        }
        each_field_value(
            "2021-02-07T13:28:17.123+01:00",
            &[0, 2, 5, 8, 11, 14, 17, 24, 27],
            &mut check,
        );
        assert!(decided > 3_000, "{decided}");
    }

    #[test]
    fn first_accepted_format_is_the_loop_over_formats() {
        let text = "2021-02-07T13:28:17+01:00";
        let found = strptime_first(text, &FORMATS, |_| true);
        assert_eq!(found, strptime(text, Format::DateTimeZone));
        assert_eq!(strptime_first(text, &FORMATS, |_| false), None);
        let date = "2021-02-07";
        assert_eq!(
            strptime_first(date, &FORMATS, |_| true),
            strptime(date, Format::Date)
        );
    }
}
