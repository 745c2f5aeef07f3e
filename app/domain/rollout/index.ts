export * from "./criteria";
export * from "./stages";
export * from "./thresholds";
