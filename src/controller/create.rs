//! `FhirController.create_immunization` → `FhirService.create_immunization`.

use super::answer::Answer;
use super::options::{text, Options, Stored};
use super::{authorisation, preview, request_checks, validation};
use crate::api::Request;
use crate::json::{Node, Value};
use crate::permissions::ApiOperation;
use crate::store;

pub fn create(request: &Request, options: &Options, now: i64) -> Answer {
    run(request, options, now).unwrap_or_else(|answer| answer)
}

fn run(request: &Request, options: &Options, now: i64) -> Result<Answer, Answer> {
    let supplier = request_checks::supplier_system(request)?;
    let (mut body, nesting) = request_checks::parse_body_with_nesting(&request.body)?;
    // `immunization.get("id")`: a body that is not an object raises AttributeError.
    if !body.is_object() {
        return Err(Answer::server_error());
    }
    if body.get("id").is_some_and(|id| id.value != Value::Null) {
        return Err(Answer::rejected(
            400,
            "invariant",
            "id field must not be present for CREATE operation",
        ));
    }
    let validated = validation::validate(&body, nesting, &options.mapping, now)?;
    let vaccine_type = validated.vaccine_type;
    let found = Some(vaccine_type.clone());
    authorisation::authorise(options, supplier, ApiOperation::Create, &[&vaccine_type])
        .map_err(|a| a.with_vaccine_type(found.clone()))?;

    // The identifier lookup sends `system#value` to the table as UTF-8: a lone
    // surrogate cannot be encoded (UnicodeEncodeError, answered 500).
    let identifier = store::identifier_pk(&body).map_err(|_| Answer::server_error())?;
    if identifier
        .chars()
        .any(|c| crate::json::as_lone_surrogate(c).is_some())
    {
        return Err(Answer::server_error().with_vaccine_type(found));
    }
    if let Some(existing) = same_identifier(&identifier, &options.stored) {
        if !existing.is_deleted() {
            return Err(Answer::rejected(
                422,
                "duplicate",
                format!("The provided identifier: {identifier} is duplicated"),
            )
            .with_vaccine_type(found));
        }
        // Reinstatement: the deleted record's id is reused and the record updated.
        let id = super::options::stored_resource_tree(existing)
            .and_then(|tree| tree.get("id").and_then(Node::as_str).map(str::to_string))
            .ok_or_else(Answer::server_error)?;
        body.set("id", text(&id));
        let resource = preview::resource(&body, &request.body, Some(nesting))?;
        let item = store::update_item(&resource, &id, &vaccine_type, supplier, now, existing)
            .map_err(|_| Answer::server_error())?;
        return Ok(preview::accepted(
            201,
            found,
            item,
            Some(&resource),
            options,
            now,
        ));
    }

    let id = request
        .id
        .clone()
        .unwrap_or_else(|| generated_id(&request.body, now));
    body.set("id", text(&id));
    let mut resource = preview::resource(&body, &request.body, Some(nesting))?;
    let item = store::create_item_taking(&mut resource, &id, &vaccine_type, supplier)
        .map_err(|_| Answer::server_error())?;
    Ok(preview::accepted(
        201,
        found,
        item,
        Some(&resource),
        options,
        now,
    ))
}

/// The stored record the identifier lookup finds: the caller's record when its
/// `IdentifierPK` is the body's `identifier[0]` as `system#value` (`identifier`).
fn same_identifier<'a>(identifier: &str, stored: &'a Stored) -> Option<&'a store::EventItem> {
    let Stored::Record(record) = stored else {
        return None;
    };
    (record.get_s("IdentifierPK") == Some(identifier)).then_some(record)
}

/// A version-4 UUID for a create whose caller did not say which id the service
/// would assign: derived from the body and the clock (the service's own is random).
fn generated_id(body: &str, now: i64) -> String {
    let mut state: u64 = 0xcbf2_9ce4_8422_2325 ^ (now as u64);
    let mut next = || {
        for byte in body.bytes().chain(now.to_le_bytes()) {
            state ^= u64::from(byte);
            state = state.wrapping_mul(0x0100_0000_01b3);
        }
        state = state.rotate_left(29) ^ 0x9e37_79b9_7f4a_7c15;
        state
    };
    let (high, low) = (next(), next());
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&high.to_be_bytes());
    bytes[8..].copy_from_slice(&low.to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = String::with_capacity(36);
    for (index, byte) in bytes.iter().enumerate() {
        if matches!(index, 4 | 6 | 8 | 10) {
            id.push('-');
        }
        id.push(char::from(HEX[usize::from(byte >> 4)]));
        id.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    id
}

#[cfg(test)]
mod tests {
    use super::generated_id;

    #[test]
    fn generated_ids_are_version_4_uuids() {
        let id = generated_id("{}", 1_700_000_000);
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(id, generated_id("{ }", 1_700_000_000));
        // The ids already handed out stay the same.
        assert_eq!(id, "fd67567e-37a1-4f4c-b360-bb038c05ff83");
    }
}
