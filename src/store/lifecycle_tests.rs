//! A record's life through create, delete, reinstating create, update, delete and
//! update of a deleted record, with the items the service's table holds after each step.

use super::*;
use crate::delta::delta_item;
use crate::json::{loads, Node, Value};
use crate::store::stored_resource;

const BODY: &str = r##"{"resourceType": "Immunization", "contained": [{"resourceType": "Practitioner", "id": "Pract1", "name": [{"family": "Nightingale", "given": ["Florence"]}]}, {"resourceType": "Patient", "id": "Pat1", "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9000000009"}], "name": [{"family": "Taylor", "given": ["Sarah"]}], "gender": "unknown", "birthDate": "1965-02-28", "address": [{"postalCode": "EC1A 1BB"}]}], "identifier": [{"use": "official", "system": "https://supplierABC/identifiers/vacc", "value": "ACME-vacc123456"}], "status": "completed", "vaccineCode": {"coding": [{"system": "http://snomed.info/sct", "code": "39114911000001105"}]}, "patient": {"reference": "#Pat1"}, "occurrenceDateTime": "2021-02-07T13:28:17+00:00", "recorded": "2021-02-07T13:28:17+00:00", "primarySource": true, "location": {"identifier": {"value": "X99999", "system": "https://fhir.nhs.uk/Id/ods-organization-code"}}, "performer": [{"actor": {"reference": "#Pract1"}}, {"actor": {"type": "Organization", "identifier": {"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "B0C4P"}}}], "protocolApplied": [{"targetDisease": [{"coding": [{"system": "http://snomed.info/sct", "code": "840539006"}]}], "doseNumberPositiveInt": 1}]}"##;

const ID: &str = "aaaaaaaa-0000-0000-0000-000000000001";

fn resource_with_id(id: &str) -> StoredResource {
    let mut body = loads(BODY).expect("body");
    body.set("id", Node::synthetic(Value::Str(id.into())));
    stored_resource(&body).expect("storable")
}

/// The item as JSON without its `Resource`, for comparison.
fn without_resource(item: &EventItem) -> String {
    let mut trimmed = item.clone();
    trimmed.attrs.retain(|(k, _)| k != "Resource");
    trimmed.to_json()
}

fn flag(item: &EventItem) -> (String, String, String) {
    let d = delta_item(item).expect("delta");
    let imms = d.imms_node();
    let flag = imms
        .get("ACTION_FLAG")
        .and_then(Node::as_str)
        .unwrap_or("")
        .to_string();
    (d.operation, flag, d.supplier_system.unwrap_or_default())
}

const KEYS: &str = r#""PK": "Immunization#aaaaaaaa-0000-0000-0000-000000000001", "PatientPK": "Patient#9000000009", "PatientSK": "COVID#aaaaaaaa-0000-0000-0000-000000000001""#;
const IDENT: &str = r#""IdentifierPK": "https://supplierABC/identifiers/vacc#ACME-vacc123456""#;

#[test]
fn create_delete_reinstate_update_delete_update() {
    let resource = resource_with_id(ID);
    let created = create_item(&resource, ID, "COVID", "TPP").expect("create");
    assert_eq!(
        without_resource(&created),
        format!(
            r#"{{{KEYS}, {IDENT}, "Operation": "CREATE", "Version": 1, "SupplierSystem": "TPP"}}"#
        )
    );
    assert!(!created.is_deleted() && !created.is_reinstated());
    assert_eq!(
        flag(&created),
        ("CREATE".into(), "NEW".into(), "TPP".into())
    );

    let deleted = delete_item(&created, "EMIS", 2000).expect("delete");
    assert_eq!(
        without_resource(&deleted),
        format!(
            r#"{{{KEYS}, {IDENT}, "Operation": "DELETE", "Version": 1, "SupplierSystem": "EMIS", "DeletedAt": 2000}}"#
        )
    );
    assert!(deleted.is_deleted());
    assert_eq!(deleted.get_s("Resource"), created.get_s("Resource"));
    assert_eq!(
        flag(&deleted),
        ("DELETE".into(), "DELETE".into(), "EMIS".into())
    );

    // Deleting a deleted record: the service answers 404 and writes nothing.
    assert_eq!(delete_item(&deleted, "TPP", 2500), None);

    // A create with the same identifier reinstates the record under its stored id.
    assert_eq!(stored_resource_id(&deleted).as_deref(), Some(ID));
    let reinstated = update_item(&resource_with_id(ID), ID, "COVID", "MAVIS", 3000, &deleted)
        .expect("reinstate");
    assert_eq!(
        without_resource(&reinstated),
        format!(
            r#"{{{KEYS}, {IDENT}, "Operation": "UPDATE", "Version": 2, "SupplierSystem": "MAVIS", "DeletedAt": "reinstated", "UpdatedAt": 3000}}"#
        )
    );
    assert!(reinstated.is_reinstated() && !reinstated.is_deleted());
    assert_eq!(
        flag(&reinstated),
        ("UPDATE".into(), "UPDATE".into(), "MAVIS".into())
    );

    let updated = update_item(&resource, ID, "COVID", "TPP", 4000, &reinstated).expect("update");
    assert_eq!(
        without_resource(&updated),
        format!(
            r#"{{{KEYS}, {IDENT}, "Operation": "UPDATE", "Version": 3, "SupplierSystem": "TPP", "DeletedAt": "reinstated", "UpdatedAt": 4000}}"#
        )
    );

    let deleted_again = delete_item(&updated, "TPP", 5000).expect("delete reinstated");
    assert_eq!(
        without_resource(&deleted_again),
        format!(
            r#"{{{KEYS}, {IDENT}, "Operation": "DELETE", "Version": 3, "SupplierSystem": "TPP", "DeletedAt": 5000, "UpdatedAt": 4000}}"#
        )
    );

    // An update of a deleted record reinstates it (no version check upstream).
    let revived = update_item(&resource, ID, "COVID", "TPP", 6000, &deleted_again).expect("revive");
    assert_eq!(
        without_resource(&revived),
        format!(
            r#"{{{KEYS}, {IDENT}, "Operation": "UPDATE", "Version": 4, "SupplierSystem": "TPP", "DeletedAt": "reinstated", "UpdatedAt": 6000}}"#
        )
    );
    assert_eq!(
        stored_identifier(&revived),
        Some((
            "https://supplierABC/identifiers/vacc".to_string(),
            "ACME-vacc123456".to_string()
        ))
    );
}

#[test]
fn dynamodb_rendering() {
    let created = create_item(&resource_with_id(ID), ID, "COVID", "TPP").expect("create");
    let json = created.to_dynamodb_json();
    assert!(json.starts_with(
        r#"{"PK": {"S": "Immunization#aaaaaaaa-0000-0000-0000-000000000001"}, "PatientPK": {"S": "Patient#9000000009"}"#
    ));
    assert!(json.ends_with(
        r#""Operation": {"S": "CREATE"}, "Version": {"N": "1"}, "SupplierSystem": {"S": "TPP"}}"#
    ));
}

#[test]
fn missing_nhs_number_is_tbc_and_null_identifier_raises() {
    let mut body = loads(BODY).expect("body");
    body.set("id", Node::synthetic(Value::Str(ID.into())));
    let text = crate::store::pyjson::dumps(&body, true).replace(
        r#"{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9000000009"}"#,
        r#"{"system": "https://fhir.nhs.uk/Id/nhs-number"}"#,
    );
    let r = stored_resource(&loads(&text).expect("json")).expect("storable");
    let item = create_item(&r, ID, "COVID", "TPP").expect("create");
    assert_eq!(item.get_s("PatientPK"), Some("Patient#TBC"));

    let text = crate::store::pyjson::dumps(&body, true).replace(
        r#"[{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9000000009"}]"#,
        "[{}]",
    );
    let r = stored_resource(&loads(&text).expect("json")).expect("storable");
    assert_eq!(
        create_item(&r, ID, "COVID", "TPP").map(|_| ()),
        Err(Uncaught {
            python: "TypeError: 'NoneType' object is not subscriptable".into()
        })
    );
}

/// An item that takes the resource's text is the item that copies it, and the
/// resource keeps the tape its delta reads.
#[test]
fn taking_the_text_makes_the_same_item() {
    let copied = resource_with_id(ID);
    let mut taken = resource_with_id(ID);
    let item = create_item(&copied, ID, "COVID", "TPP").expect("item");
    let same = create_item_taking(&mut taken, ID, "COVID", "TPP").expect("item");
    assert_eq!(item, same);
    assert!(taken.text.is_empty());
    let text = same.get_s("Resource").expect("Resource");
    assert_eq!(taken.tape_of(text), copied.tape_of(text));
    assert!(taken.tape_of(text).is_some());
    assert_eq!(
        crate::delta::delta_item_of(&same, Some(&taken)),
        crate::delta::delta_item_of(&item, Some(&copied))
    );
}
