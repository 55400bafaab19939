//! Which fields of the models being validated are given by their JSON name,
//! and by which member of the object: what pydantic's `validate_model` reads
//! with `input_data.get(field.alias)`, kept as one bit per field so the fields
//! are visited in the model's order without sorting the members.

/// The fields given to each model being validated, innermost last.
#[derive(Debug, Default)]
pub struct GivenStack {
    /// A bit per field position from the 65th on, 64 to a word, for each
    /// model (the first 64 are in its [`Given`]).
    bits: Vec<u64>,
    /// The member index of each field position whose bit is set (only those
    /// slots are ever read, so the others are left as they are).
    slots: Vec<u32>,
    /// Where the innermost model's slots end.
    slot_top: usize,
}

/// One model's part of a [`GivenStack`].
#[derive(Debug, Clone, Copy)]
pub struct Given {
    /// The bits of the first 64 field positions.
    first: u64,
    bits: usize,
    words: usize,
    slots: usize,
    fields: usize,
}

impl GivenStack {
    pub fn new() -> Self {
        GivenStack {
            bits: Vec::with_capacity(8),
            slots: Vec::with_capacity(256),
            slot_top: 0,
        }
    }

    /// Starts a model of `fields` fields, none given.
    #[inline]
    pub fn push(&mut self, fields: usize) -> Given {
        let given = Given {
            first: 0,
            bits: self.bits.len(),
            words: fields.div_ceil(64),
            slots: self.slot_top,
            fields,
        };
        for _ in 1..given.words {
            self.bits.push(0);
        }
        self.slot_top += fields;
        if self.slots.len() < self.slot_top {
            self.slots.resize(self.slot_top, 0);
        }
        given
    }

    /// Ends the innermost model, `given` (and every model started after it).
    #[inline]
    pub fn pop(&mut self, given: Given) {
        self.bits.truncate(given.bits);
        self.slot_top = given.slots;
    }

    /// Word `w` of the model's bits (fields `64 * w` to `64 * w + 63`).
    #[inline(always)]
    fn word(&self, given: &Given, w: usize) -> Option<u64> {
        match w {
            0 => Some(given.first),
            _ => self.bits.get(given.bits + w - 1).copied(),
        }
    }

    /// Records `member` as giving field `field`; a field given twice keeps its first member.
    #[inline]
    pub fn record(&mut self, given: &mut Given, field: usize, member: usize) {
        if field >= given.fields {
            return;
        }
        let word = match field / 64 {
            0 => &mut given.first,
            w => match self.bits.get_mut(given.bits + w - 1) {
                Some(word) => word,
                None => return,
            },
        };
        let bit = 1u64 << (field % 64);
        if *word & bit != 0 {
            return;
        }
        *word |= bit;
        if let (Some(slot), Ok(member)) = (
            self.slots.get_mut(given.slots + field),
            u32::try_from(member),
        ) {
            *slot = member;
        }
    }

    /// The member giving field `field`, if any.
    #[inline]
    pub fn member(&self, given: &Given, field: usize) -> Option<usize> {
        if field >= given.fields {
            return None;
        }
        let word = self.word(given, field / 64)?;
        if word & (1u64 << (field % 64)) == 0 {
            return None;
        }
        self.slot(given, field)
    }

    /// The first given field at or after position `from`, and its member.
    #[inline]
    pub fn next(&self, given: &Given, from: usize) -> Option<(usize, usize)> {
        let mut w = from / 64;
        if w >= given.words {
            return None;
        }
        let mut word = self.word(given, w)? & (!0u64 << (from % 64));
        while word == 0 {
            w += 1;
            if w >= given.words {
                return None;
            }
            word = self.word(given, w)?;
        }
        let field = w * 64 + word.trailing_zeros() as usize;
        Some((field, self.slot(given, field)?))
    }

    #[inline(always)]
    fn slot(&self, given: &Given, field: usize) -> Option<usize> {
        self.slots
            .get(given.slots + field)
            .and_then(|&m| usize::try_from(m).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn given_fields(stack: &GivenStack, given: Given) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut from = 0;
        while let Some((field, member)) = stack.next(&given, from) {
            out.push((field, member));
            from = field + 1;
        }
        out
    }

    #[test]
    fn fields_come_back_in_order_with_their_first_member() {
        let mut stack = GivenStack::new();
        let mut outer = stack.push(297);
        for (member, field) in [200, 3, 64, 63, 296, 3, 0, 128].into_iter().enumerate() {
            stack.record(&mut outer, field, member);
        }
        stack.record(&mut outer, 297, 9);
        let mut inner = stack.push(5);
        stack.record(&mut inner, 4, 1);
        stack.record(&mut inner, 2, 0);
        assert_eq!(given_fields(&stack, inner), [(2, 0), (4, 1)]);
        stack.pop(inner);
        assert_eq!(
            given_fields(&stack, outer),
            [
                (0, 6),
                (3, 1),
                (63, 3),
                (64, 2),
                (128, 7),
                (200, 0),
                (296, 4)
            ]
        );
        assert_eq!(stack.member(&outer, 3), Some(1));
        assert_eq!(stack.member(&outer, 4), None);
        assert_eq!(stack.member(&outer, 297), None);
        assert_eq!(stack.next(&outer, 297), None);
        assert_eq!(stack.next(&outer, 10_000), None);
        // A model started again over reused slots sees none of the old ones.
        stack.pop(outer);
        let again = stack.push(297);
        assert_eq!(given_fields(&stack, again), []);
        assert_eq!(stack.member(&again, 3), None);
        let empty = stack.push(0);
        assert_eq!(stack.next(&empty, 0), None);
        assert_eq!(stack.member(&empty, 0), None);
    }
}
