/** Any JSON value. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/** `create`: POST /Immunization; `update`: PUT /Immunization/{id}; `delete`: DELETE /Immunization/{id}. */
export type Operation = "create" | "update" | "delete";

/** One request, as in the conformance corpus's `request` field. */
export interface CheckRequest {
  operation: Operation;
  /**
   * The HTTP body. A string is sent exactly as given (it may be malformed JSON);
   * any other value is sent as `JSON.stringify(value)`. Absent: an empty body.
   */
  body?: string | JsonValue;
  /** Create: the id the service assigns. Update/delete: the `{id}` path parameter. */
  id?: string | null;
  /** The `SupplierSystem` header; absent or null: the header is not sent. */
  supplierSystem?: string | null;
  /** Update: the `E-Tag` header, also the stored version before the update. */
  version?: number | string | null;
  /** The service clock in epoch seconds (update: `UpdatedAt`; delete: `DeletedAt`); absent: now. */
  timestamp?: number | null;
  /**
   * The record the table already holds. Update: absent means the body itself at `version`;
   * null means none (404). Create: a record with the body's identifier (422 duplicate, or
   * reinstatement when logically deleted). Delete: the record to delete; null means none (404).
   */
  stored?: StoredRecord | null;
  /**
   * Supplier authorisation: absent (every supplier may do everything), an environment
   * whose configuration the service embeds, or a configuration in the service's shape.
   */
  permissions?: "dev" | "preprod" | "prod" | SupplierPermissionsEntry[];
  /** A disease → vaccine type table replacing the embedded one (see `diseaseMapping()`). */
  diseaseMapping?: DiseaseMappingEntry[];
  /** `DELTA_TTL_DAYS` for the illustrative delta attributes (default 30). */
  deltaTtlDays?: number;
}

/** A record the event table holds: attributes as strings or numbers. */
export interface StoredRecord {
  PK?: string;
  /** The stored FHIR resource, as JSON text or as the object itself. */
  Resource: string | { [key: string]: JsonValue };
  IdentifierPK?: string;
  PatientPK?: string;
  PatientSK?: string;
  Version?: number;
  SupplierSystem?: string;
  Operation?: string;
  /** Epoch seconds of a logical delete. */
  DeletedAt?: number | string;
  [attribute: string]: string | number | null | { [key: string]: JsonValue } | undefined;
}

/** One supplier's entry in the service's permissions configuration. */
export interface SupplierPermissionsEntry {
  supplier: string;
  /** `<VACCINE TYPE>.<operations>`, operations among C, R, U, D, S (e.g. `FLU.CRUDS`). */
  permissions: string[];
  ods_codes?: string[];
}

/** One rule failure, placed in the body where possible. */
export interface Issue {
  severity: "error";
  /** The failure's own text, as it stands inside `diagnostics`. */
  message: string;
  /** The service's field location, or "" where the failure names no field. */
  location: string;
  /** JSON Pointer to the value in the body, where it resolves. */
  pointer?: string;
  /** 1-based line of the value in the body text. */
  line?: number;
  /** 1-based column (in characters) of the value in the body text. */
  column?: number;
}

/** The event-table item the service writes. */
export interface EventItem {
  PK: string;
  PatientPK: string;
  PatientSK: string;
  /** The stored FHIR resource, as the JSON text the service writes. */
  Resource: string;
  IdentifierPK: string;
  Operation: "CREATE" | "UPDATE" | "DELETE";
  Version: number;
  SupplierSystem: string;
  /** Update: the service clock, epoch seconds. */
  UpdatedAt?: number;
  [attribute: string]: JsonValue | undefined;
}

/** One field the delta converter could not fill. */
export interface ConversionError {
  code: number;
  field: string;
  value: JsonValue;
  message: string;
}

/** The flat record of the delta-table item. */
export interface FlatRecord {
  NHS_NUMBER: string;
  PERSON_FORENAME: string;
  PERSON_SURNAME: string;
  PERSON_DOB: string;
  PERSON_GENDER_CODE: string;
  PERSON_POSTCODE: string;
  DATE_AND_TIME: string;
  SITE_CODE: string;
  SITE_CODE_TYPE_URI: string;
  UNIQUE_ID: string;
  UNIQUE_ID_URI: string;
  ACTION_FLAG: string;
  PERFORMING_PROFESSIONAL_FORENAME: string;
  PERFORMING_PROFESSIONAL_SURNAME: string;
  RECORDED_DATE: string;
  PRIMARY_SOURCE: string;
  VACCINATION_PROCEDURE_CODE: string;
  VACCINATION_PROCEDURE_TERM: string;
  DOSE_SEQUENCE: string;
  VACCINE_PRODUCT_CODE: string;
  VACCINE_PRODUCT_TERM: string;
  VACCINE_MANUFACTURER: string;
  BATCH_NUMBER: string;
  EXPIRY_DATE: string;
  SITE_OF_VACCINATION_CODE: string;
  SITE_OF_VACCINATION_TERM: string;
  ROUTE_OF_VACCINATION_CODE: string;
  ROUTE_OF_VACCINATION_TERM: string;
  /** A number, or "" when the body gives none. */
  DOSE_AMOUNT: number | string;
  DOSE_UNIT_CODE: string;
  DOSE_UNIT_TERM: string;
  INDICATION_CODE: string;
  LOCATION_CODE: string;
  LOCATION_CODE_TYPE_URI: string;
  CONVERSION_ERRORS: ConversionError[];
}

/** The deterministic part of the delta-table item the stream handler writes. */
export interface DeltaItem {
  ImmsID: string;
  Operation: "CREATE" | "UPDATE" | "DELETE";
  VaccineType: string;
  SupplierSystem: string;
  Imms: FlatRecord;
}

/** What the service would answer, and what it would write: the fields of a CLI batch line. */
export interface Outcome {
  /** HTTP status code. */
  status: number;
  /** `issue[0].code` of the OperationOutcome; null when accepted. */
  code: string | null;
  /** `issue[0].diagnostics` of the OperationOutcome; null when accepted. */
  diagnostics: string | null;
  /** The diagnostics split into one entry per rule failure. */
  issues: Issue[];
  /** The vaccine type the target diseases map to, where it was determined. */
  vaccineType: string | null;
  /** The event-table item written; null unless accepted. */
  item: EventItem | null;
  /** The delta-table item written; null unless accepted. */
  delta: DeltaItem | null;
  /**
   * Accepted: the attributes the stream handler adds to the delta item (event id,
   * `DateTimeStamp`, `SequenceNumber`, `Source`, `ExpiresAt`), illustrative only.
   */
  deltaIllustrative?: { [attribute: string]: JsonValue };
  /** Accepted: the event item in DynamoDB attribute-value JSON (`{"PK": {"S": "..."}}`). */
  itemDynamodb?: { [attribute: string]: { S: string } | { N: string } };
}

/** One vaccine type and the target diseases that map to it. */
export interface DiseaseMappingEntry {
  vacc_type: string;
  diseases: { code: string; term: string }[];
}
