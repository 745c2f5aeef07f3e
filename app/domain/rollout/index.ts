export * from "./criteria";
export * from "./stages";
