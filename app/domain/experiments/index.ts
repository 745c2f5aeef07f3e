// A/B tests of flow steps: what a definition tests, how a winner settles it, and the
// settings of the winner rule (the statistics are in ../stats).
export * from "./tested-steps";
export * from "./promote";
export * from "./settings";
export * from "./change-note";
