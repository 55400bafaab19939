//! The table's own limits on what it stores, as the service's table enforces them
//! when the repository writes (the in-memory DynamoDB the service's tests and the
//! conformance recordings run on): an item of more than 405,000 bytes, a hash key of
//! more than 2,048 bytes or a range key of more than 1,024 bytes is refused with a
//! `ValidationException`, which the service does not catch (generic 500).
//!
//! An item's size is the sum over its attributes of the UTF-8 length of the name and
//! of the value (a string's bytes, a number's digits).

use super::item::{Attr, EventItem};
use super::keys::Uncaught;

/// Largest item the table accepts, in bytes.
pub const MAX_ITEM_BYTES: usize = 405_000;
/// Largest hash key (`PK`, and the index keys `IdentifierPK`, `PatientPK`), in bytes.
pub const MAX_HASH_KEY_BYTES: usize = 2048;
/// Largest range key (`PatientSK`), in bytes.
pub const MAX_RANGE_KEY_BYTES: usize = 1024;

fn value_size(value: &Attr) -> usize {
    match value {
        Attr::S(text) | Attr::N(text) => text.len(),
    }
}

fn attribute_size(name: &str, value: &Attr) -> usize {
    name.len() + value_size(value)
}

/// The item's size as the table counts it.
pub fn item_size(item: &EventItem) -> usize {
    item.attrs.iter().map(|(k, v)| attribute_size(k, v)).sum()
}

fn too_large() -> Uncaught {
    Uncaught {
        python: "ClientError: An error occurred (ValidationException) when calling the operation: \
                 Item size has exceeded the maximum allowed size"
            .into(),
    }
}

/// `put_item` of a new item: key sizes, then the item's size.
pub fn check_put(item: &EventItem) -> Result<(), Uncaught> {
    for (name, limit) in [
        ("PK", MAX_HASH_KEY_BYTES),
        ("IdentifierPK", MAX_HASH_KEY_BYTES),
        ("PatientPK", MAX_HASH_KEY_BYTES),
        ("PatientSK", MAX_RANGE_KEY_BYTES),
    ] {
        if item.get(name).map_or(0, value_size) > limit {
            return Err(Uncaught {
                python: format!(
                    "ClientError: An error occurred (ValidationException) when calling the \
                     PutItem operation: One or more parameter values were invalid: size of \
                     {name} has exceeded the maximum size limit"
                ),
            });
        }
    }
    if item_size(item) > MAX_ITEM_BYTES {
        return Err(too_large());
    }
    Ok(())
}

/// `update_item` SET of `sets`, in the update expression's order, on `stored`: each
/// assignment is refused when the item as it stands (the old value of the attribute
/// being replaced still counted) plus the new attribute exceeds the limit.
pub fn check_update(stored: &EventItem, sets: &[(&str, &Attr)]) -> Result<(), Uncaught> {
    let mut item = stored.clone();
    let mut size = item_size(&item);
    for &(name, value) in sets {
        let added = attribute_size(name, value);
        if size + added > MAX_ITEM_BYTES {
            return Err(too_large());
        }
        let replaced = item.get(name).map_or(0, |old| attribute_size(name, old));
        size = size + added - replaced;
        item.set(name, value.clone());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(attrs: &[(&str, Attr)]) -> EventItem {
        EventItem {
            attrs: attrs
                .iter()
                .map(|(k, v)| (k.to_string().into(), v.clone()))
                .collect(),
        }
    }

    #[test]
    fn items_are_measured_by_names_and_values() {
        let stored = item(&[
            ("PK", Attr::S("Immunization#1".into())),
            ("Version", Attr::N("12".into())),
        ]);
        assert_eq!(item_size(&stored), 2 + 14 + 7 + 2);
    }

    #[test]
    fn a_put_over_the_limit_is_refused() {
        let resource = |n: usize| Attr::S("x".repeat(n));
        let base = 2 + 3 + "Resource".len();
        let at_limit = item(&[
            ("PK", Attr::S("a#b".into())),
            ("Resource", resource(MAX_ITEM_BYTES - base)),
        ]);
        assert!(check_put(&at_limit).is_ok());
        let over = item(&[
            ("PK", Attr::S("a#b".into())),
            ("Resource", resource(MAX_ITEM_BYTES - base + 1)),
        ]);
        assert!(check_put(&over).is_err());
        let long_key = item(&[("IdentifierPK", Attr::S("s".repeat(MAX_HASH_KEY_BYTES + 1)))]);
        assert!(check_put(&long_key).is_err());
    }

    #[test]
    fn an_update_counts_the_replaced_value_while_it_is_set() {
        let stored = item(&[("Resource", Attr::S("x".repeat(300_000)))]);
        let small = Attr::S("y".repeat(100_000));
        assert!(check_update(&stored, &[("Resource", &small)]).is_ok());
        let large = Attr::S("y".repeat(110_000));
        assert!(check_update(&stored, &[("Resource", &large)]).is_err());
    }
}
