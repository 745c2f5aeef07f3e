// Arbitration: consent, caps, quiet hours, priorities, holdouts -> one decision per send.
export * from "./types";
export * from "./arbitrate";
export * from "./caps";
export * from "./consent";
export * from "./hash";
export * from "./holdout";
export * from "./local-time";
export * from "./priority";
export * from "./quiet-hours";
