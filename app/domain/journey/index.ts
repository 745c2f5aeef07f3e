// The journey engine: flow definition schema, validation, entry, and the pure step function.
export * from "./schema";
export * from "./types";
export * from "./conditions";
export * from "./validate";
export * from "./enroll";
export * from "./engine";
export * from "./filter";
export * from "./rollout";
export * from "./graph";
export { abDraw, pickWeighted } from "./ab-draw";
export { isInFlowHoldout, flowHoldoutPercent } from "../arbitration/holdout";
export { seededRandom } from "../arbitration/hash";
