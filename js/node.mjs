// ES module entry for Node.js over the CommonJS build in pkg/node.
import imms from "../pkg/node/imms_check.js";

export const { check, checkJson, validate, diseaseMapping, vaccineTypes, version } = imms;
export default imms;
