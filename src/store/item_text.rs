//! Reading the item texts [`EventItem::to_json_pair`](super::EventItem::to_json_pair)
//! writes: where the stored Resource sits in each.

/// The DynamoDB JSON of an event item with its Resource's string emptied (`{"S": ""}`),
/// when the item's JSON holds the very same escaped Resource text; `None` otherwise.
/// A reader of both texts can then unescape the Resource once and use it for both.
pub fn dynamodb_without_resource(item: &str, dynamodb: &str) -> Option<String> {
    let (start, end) = string_after(dynamodb, "\"Resource\": {\"S\": \"")?;
    let contents = dynamodb.get(start..end)?.as_bytes();
    // The item's string holds the same contents when they follow its opening quote and a
    // quote follows them: that quote closes it, as the contents end outside any escape.
    let prefix = "\"Resource\": \"";
    let item_start = item.find(prefix)? + prefix.len();
    let item_end = item_start + contents.len();
    let same = item.as_bytes().get(item_start..item_end) == Some(contents)
        && item.as_bytes().get(item_end) == Some(&b'"');
    if !same {
        return None;
    }
    let mut emptied = String::with_capacity(dynamodb.len() - (end - start));
    emptied.push_str(dynamodb.get(..start)?);
    emptied.push_str(dynamodb.get(end..)?);
    Some(emptied)
}

/// The byte range of the contents of the JSON string that opens with the first match of
/// `prefix` (which ends with the string's opening quote). A match is always outside any
/// string: `prefix` holds quotes with no backslash before them, which a JSON string
/// cannot contain.
fn string_after(json: &str, prefix: &str) -> Option<(usize, usize)> {
    let start = json.find(prefix)? + prefix.len();
    let bytes = json.as_bytes();
    let mut at = start;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return Some((start, at)),
            _ => at += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const ITEM: &str =
        r#"{"PK": "Immunization#1", "Resource": "{\"a\": \"x\\\"y\"}", "Version": 1}"#;
    const DYNAMODB: &str = r#"{"PK": {"S": "Immunization#1"}, "Resource": {"S": "{\"a\": \"x\\\"y\"}"}, "Version": {"N": "1"}}"#;

    #[test]
    fn the_dynamodb_copy_is_emptied_when_both_texts_agree() {
        assert_eq!(
            dynamodb_without_resource(ITEM, DYNAMODB).as_deref(),
            Some(
                r#"{"PK": {"S": "Immunization#1"}, "Resource": {"S": ""}, "Version": {"N": "1"}}"#
            )
        );
    }

    #[test]
    fn nothing_is_emptied_when_the_texts_differ_or_are_missing() {
        let other = DYNAMODB.replace("x\\\\", "z\\\\");
        assert_eq!(dynamodb_without_resource(ITEM, &other), None);
        assert_eq!(dynamodb_without_resource("{}", DYNAMODB), None);
        let longer = ITEM.replace("y\\\"}", "y\\\"}, more");
        assert_ne!(longer, ITEM);
        assert_eq!(
            dynamodb_without_resource(&longer, DYNAMODB),
            None,
            "the item's string goes on"
        );
        let shorter = DYNAMODB.replace("y\\\"}", "y");
        assert_ne!(shorter, DYNAMODB);
        assert_eq!(
            dynamodb_without_resource(ITEM, &shorter),
            None,
            "the item's string is longer"
        );
        assert_eq!(
            dynamodb_without_resource(ITEM, r#"{"Resource": {"S": "unclosed"#),
            None
        );
    }

    #[test]
    fn a_key_inside_a_string_is_not_taken_for_the_attribute() {
        let item = r#"{"PK": "\"Resource\": \"", "Resource": "r"}"#;
        let (start, end) = string_after(item, "\"Resource\": \"").unwrap();
        assert_eq!(&item[start..end], "r");
    }

    #[test]
    fn the_items_of_an_accepted_create_hold_the_same_resource_text() {
        let request = crate::api::Request {
            operation: crate::api::Operation::Create,
            body: include_str!("../../www/samples/completed_covid_immunization_event.json").into(),
            supplier_system: Some("TPP".into()),
            ..Default::default()
        };
        let outcome = crate::controller::check_at(&request, 1_700_000_000).unwrap();
        assert_eq!(outcome.status, 201);
        let (item, dynamodb) = (outcome.item.unwrap(), outcome.item_dynamodb.unwrap());
        let emptied = dynamodb_without_resource(item.get(), dynamodb.get()).unwrap();
        assert!(emptied.contains(r#""Resource": {"S": ""}"#), "{emptied}");
        let (start, end) = string_after(item.get(), "\"Resource\": \"").unwrap();
        assert!(end - start > 1000, "the whole stored Resource is found");
        assert_eq!(dynamodb.get().len() - emptied.len(), end - start);
    }
}
