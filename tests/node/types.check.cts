// CommonJS consumers get the same declarations through require().
import imms = require("imms-check");

const outcome: imms.Outcome = imms.check({ operation: "delete", id: "x", supplierSystem: "TPP" });
// @ts-expect-error diagnostics may be null
const text: string = outcome.diagnostics;

export = { outcome, text };
