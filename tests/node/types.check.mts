// Compiled with `tsc -p tests/node/tsconfig.json`: the package's declarations must accept
// correct use and reject wrong use (each @ts-expect-error line must be an error).
import { check, validate, diseaseMapping, vaccineTypes, version } from "imms-check";
import type { CheckRequest, Outcome, Issue, EventItem, DeltaItem } from "imms-check";
import * as web from "imms-check/web";

const request: CheckRequest = {
  operation: "update",
  body: { resourceType: "Immunization" },
  id: "2d8cbd3c-2a2b-4b3f-9d4b-a7b0e5bb1c77",
  supplierSystem: "TPP",
  version: 3,
  timestamp: 1712345678,
  stored: { Resource: { resourceType: "Immunization" }, Version: 3, DeletedAt: 1712345000 },
  permissions: [{ supplier: "TPP", permissions: ["COVID.CRUDS"] }],
  diseaseMapping: diseaseMapping(),
  deltaTtlDays: 30,
};
const withEnvironment: CheckRequest = { operation: "delete", id: "x", permissions: "prod", stored: null };
const outcome: Outcome = check(request);
const status: number = outcome.status;
const code: string | null = outcome.code;
const firstIssue: Issue | undefined = outcome.issues[0];
const line: number | undefined = firstIssue?.line;
const item: EventItem | null = outcome.item;
const delta: DeltaItem | null = validate("{}").delta;
const dose: number | string | undefined = delta?.Imms.DOSE_AMOUNT;
const types: string[] = vaccineTypes();
const firstDisease: string | undefined = diseaseMapping()[0]?.diseases[0]?.code;
const v: string = version();
const webOutcome: Promise<Outcome> = web.default().then(() => web.check({ operation: "create", body: "" }));

// @ts-expect-error the operation must be one of create, update, delete
check({ operation: "post", body: "{}" });
// @ts-expect-error the operation is required
check({ body: "{}" });
// @ts-expect-error status is a number
const wrongStatus: string = outcome.status;
// @ts-expect-error the item may be null
const itemVersion: number = outcome.item.Version;
// @ts-expect-error permissions name an environment the service knows
check({ operation: "create", permissions: "qa" });
// @ts-expect-error a misspelt option is caught
check({ operation: "create", supplierSytem: "TPP" });
// @ts-expect-error the body is text or JSON, not a function
validate(() => 1);

export { withEnvironment, status, code, line, item, dose, types, firstDisease, v, webOutcome, wrongStatus, itemVersion };
