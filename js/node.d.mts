import * as imms from "../pkg/node/imms_check.js";

export * from "../pkg/node/imms_check.js";
export default imms;
