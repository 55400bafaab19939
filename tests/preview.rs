//! The items an accepted request writes, and the stored-record journeys the
//! corpus does not cover: delete, reinstatement, duplicates, missing records
//! and supplier permissions.

use imms_check::api::{Operation, Outcome, Request};
use imms_check::controller::check_at;
use serde_json::{json, Value};

const FLU: &str = include_str!("../www/samples/completed_flu_immunization_event.json");
const COVID: &str = include_str!("../www/samples/completed_covid_immunization_event.json");
const ID: &str = "c209055b-8d9d-4672-b275-2ca0982b1814";
const NOW: i64 = 1_790_000_000;

fn request(operation: Operation, body: &str) -> Request {
    Request {
        operation,
        body: body.to_string(),
        id: Some(ID.to_string()),
        supplier_system: Some("EMIS".to_string()),
        ..Request::default()
    }
}

fn run(request: &Request) -> (Outcome, Value, Value) {
    let outcome = check_at(request, NOW).expect("options are valid");
    let item = outcome
        .item
        .as_ref()
        .map(|i| serde_json::from_str(i.get()).unwrap())
        .unwrap_or(Value::Null);
    let delta = outcome
        .delta
        .as_ref()
        .map(|d| serde_json::from_str(d.get()).unwrap())
        .unwrap_or(Value::Null);
    (outcome, item, delta)
}

/// The stored record a previous create wrote.
fn created_record(body: &str) -> Value {
    let (outcome, item, _) = run(&request(Operation::Create, body));
    assert_eq!(outcome.status, 201, "{:?}", outcome.diagnostics);
    item
}

fn with_id(body: &str) -> String {
    let mut value: serde_json::Map<String, Value> = serde_json::from_str(body).unwrap();
    value.insert("id".into(), json!(ID));
    serde_json::to_string(&value).unwrap()
}

#[test]
fn seed_check_flu_create_item_is_what_the_service_logs() {
    let (outcome, item, delta) = run(&request(Operation::Create, FLU));
    assert_eq!(outcome.status, 201);
    assert_eq!(outcome.vaccine_type.as_deref(), Some("FLU"));
    assert_eq!(item["PK"], json!(format!("Immunization#{ID}")));
    assert_eq!(item["PatientPK"], json!("Patient#9000000009"));
    assert_eq!(item["PatientSK"], json!(format!("FLU#{ID}")));
    assert_eq!(
        item["IdentifierPK"],
        json!("https://supplierABC/identifiers/vacc#ACME-vacc123flu")
    );
    assert_eq!(item["Operation"], json!("CREATE"));
    assert_eq!(item["Version"], json!(1));
    assert_eq!(item["SupplierSystem"], json!("EMIS"));
    let resource = item["Resource"].as_str().unwrap();
    assert!(resource.starts_with(&format!(
        "{{\"resourceType\": \"Immunization\", \"id\": \"{ID}\", \"contained\": [{{\"resourceType\": \"Practitioner\""
    )));
    assert!(resource.contains("\"occurrenceDateTime\": \"2021-02-14T13:28:17.271000+00:00\""));
    assert_eq!(
        item.as_object().unwrap().keys().collect::<Vec<_>>(),
        [
            "PK",
            "PatientPK",
            "PatientSK",
            "Resource",
            "IdentifierPK",
            "Operation",
            "Version",
            "SupplierSystem"
        ]
    );
    assert_eq!(delta["Operation"], json!("CREATE"));
    assert_eq!(delta["VaccineType"], json!("flu"));
    assert_eq!(delta["Imms"]["ACTION_FLAG"], json!("NEW"));
    assert_eq!(delta["Imms"]["DATE_AND_TIME"], json!("20210214T13281700"));
}

#[test]
fn update_bumps_the_version_and_stamps_updated_at() {
    let mut update = request(Operation::Update, &with_id(COVID));
    update.version = Some("4".into());
    update.timestamp = Some(1_787_497_709);
    let (outcome, item, delta) = run(&update);
    assert_eq!(outcome.status, 200, "{:?}", outcome.diagnostics);
    assert_eq!(item["Version"], json!(5));
    assert_eq!(item["Operation"], json!("UPDATE"));
    assert_eq!(item["UpdatedAt"], json!(1_787_497_709));
    assert_eq!(delta["Imms"]["ACTION_FLAG"], json!("UPDATE"));
}

#[test]
fn update_of_a_stale_version_is_rejected() {
    let mut stored = created_record(COVID);
    stored["Version"] = json!(3);
    let mut update = request(Operation::Update, &with_id(COVID));
    update.version = Some("2".into());
    update.stored = Some(stored);
    let (outcome, _, _) = run(&update);
    assert_eq!(outcome.status, 400);
    assert_eq!(
        outcome.diagnostics.as_deref(),
        Some(format!("Validation errors: The requested immunization resource {ID} has changed since the last retrieve.").as_str())
    );
}

#[test]
fn update_with_another_identifier_value_is_rejected() {
    let mut stored = created_record(COVID);
    stored["IdentifierPK"] = json!("https://supplierABC/identifiers/vacc#OTHER");
    let mut update = request(Operation::Update, &with_id(COVID));
    update.version = Some("1".into());
    update.stored = Some(stored);
    let (outcome, _, _) = run(&update);
    assert_eq!(
        outcome.diagnostics.as_deref(),
        Some("Validation errors: identifier[0].value doesn't match with the stored content")
    );
}

#[test]
fn update_of_a_missing_record_is_404() {
    let mut update = request(Operation::Update, &with_id(COVID));
    update.version = Some("1".into());
    update.stored = Some(Value::Null);
    let (outcome, _, _) = run(&update);
    assert_eq!(outcome.status, 404);
    assert_eq!(outcome.code.as_deref(), Some("not-found"));
    assert_eq!(
        outcome.diagnostics.as_deref(),
        Some(format!("Immunization resource does not exist. ID: {ID}").as_str())
    );
}

#[test]
fn delete_writes_deleted_at_and_a_delete_delta() {
    let mut delete = request(Operation::Delete, "");
    delete.stored = Some(created_record(COVID));
    delete.timestamp = Some(1_790_000_123);
    let (outcome, item, delta) = run(&delete);
    assert_eq!(outcome.status, 204);
    assert_eq!(item["DeletedAt"], json!(1_790_000_123));
    assert_eq!(item["Operation"], json!("DELETE"));
    assert_eq!(item["Version"], json!(1));
    assert_eq!(delta["Operation"], json!("DELETE"));
    assert_eq!(delta["Imms"]["ACTION_FLAG"], json!("DELETE"));
}

#[test]
fn delete_of_a_deleted_record_is_404_and_bad_ids_are_400() {
    let mut stored = created_record(COVID);
    stored["DeletedAt"] = json!(1_700_000_000);
    let mut delete = request(Operation::Delete, "");
    delete.stored = Some(stored);
    assert_eq!(run(&delete).0.status, 404);

    delete.id = Some("not/valid".into());
    let (outcome, _, _) = run(&delete);
    assert_eq!(outcome.status, 400);
    assert_eq!(outcome.code.as_deref(), Some("invalid"));
}

#[test]
fn create_with_the_identifier_of_a_live_record_is_a_duplicate() {
    let mut create = request(Operation::Create, COVID);
    create.stored = Some(created_record(COVID));
    let (outcome, _, _) = run(&create);
    assert_eq!(outcome.status, 422);
    assert_eq!(outcome.code.as_deref(), Some("duplicate"));
    assert_eq!(
        outcome.diagnostics.as_deref(),
        Some("The provided identifier: https://supplierABC/identifiers/vacc#ACME-vacc123456 is duplicated")
    );
}

#[test]
fn create_with_the_identifier_of_a_deleted_record_reinstates_it() {
    let mut stored = created_record(COVID);
    stored["DeletedAt"] = json!(1_700_000_000);
    stored["Version"] = json!(2);
    let mut create = request(Operation::Create, COVID);
    create.id = Some("00000000-0000-4000-8000-000000000000".into());
    create.stored = Some(stored);
    let (outcome, item, _) = run(&create);
    assert_eq!(outcome.status, 201, "{:?}", outcome.diagnostics);
    assert_eq!(
        item["PK"],
        json!(format!("Immunization#{ID}")),
        "the deleted record's id is reused"
    );
    assert_eq!(item["DeletedAt"], json!("reinstated"));
    assert_eq!(item["Version"], json!(3));
    assert_eq!(item["Operation"], json!("UPDATE"));
    assert_eq!(item["UpdatedAt"], json!(NOW));
}

#[test]
fn update_of_a_deleted_record_reinstates_it_without_a_version_check() {
    let mut stored = created_record(COVID);
    stored["DeletedAt"] = json!(1_700_000_000);
    stored["Version"] = json!(7);
    let mut update = request(Operation::Update, &with_id(COVID));
    update.version = Some("1".into());
    update.stored = Some(stored);
    let (outcome, item, _) = run(&update);
    assert_eq!(outcome.status, 200, "{:?}", outcome.diagnostics);
    assert_eq!(item["DeletedAt"], json!("reinstated"));
    assert_eq!(item["Version"], json!(8));
}

#[test]
fn permissions_refuse_a_supplier_without_the_operation() {
    let mut create = request(Operation::Create, COVID);
    create.permissions = Some(json!([{"supplier": "EMIS", "permissions": ["FLU.CRUDS"]}]));
    let (outcome, item, _) = run(&create);
    assert_eq!(outcome.status, 403);
    assert_eq!(outcome.code.as_deref(), Some("forbidden"));
    assert_eq!(
        outcome.diagnostics.as_deref(),
        Some("Unauthorized request for vaccine type")
    );
    assert_eq!(item, Value::Null);

    create.permissions = Some(json!([{"supplier": "EMIS", "permissions": ["COVID.C"]}]));
    assert_eq!(run(&create).0.status, 201);
}

#[test]
fn embedded_environments_and_bad_options() {
    let mut create = request(Operation::Create, COVID);
    create.permissions = Some(json!("prod"));
    assert!(check_at(&create, NOW).is_ok());
    create.permissions = Some(json!("staging"));
    let error = check_at(&create, NOW).unwrap_err();
    assert!(error.to_string().contains("unknown environment"), "{error}");
}

#[test]
fn missing_supplier_header_is_403_unauthorized_request() {
    let mut create = request(Operation::Create, COVID);
    create.supplier_system = None;
    let (outcome, _, _) = run(&create);
    assert_eq!(outcome.status, 403);
    assert_eq!(outcome.diagnostics.as_deref(), Some("Unauthorized request"));
}

#[test]
fn date_rules_follow_the_clock_not_the_request_timestamp() {
    // The repository writes the timestamp; "must not be in the future" asks the clock.
    let mut update = request(Operation::Update, &with_id(COVID));
    update.version = Some("1".into());
    update.timestamp = Some(1_000_000_000); // 2001, before the 2021 vaccination
    let (outcome, item, _) = run(&update);
    assert_eq!(outcome.status, 200, "{:?}", outcome.diagnostics);
    assert_eq!(item["UpdatedAt"], json!(1_000_000_000));
}
