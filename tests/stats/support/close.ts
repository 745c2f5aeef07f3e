import { expect } from "vitest";

/** Asserts |actual − expected| ≤ tolerance · max(1, |expected|): absolute near 0, relative for large values. */
export function expectClose(actual: number, expected: number, tolerance: number, label = ""): void {
  const scale = Math.max(1, Math.abs(expected));
  expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance * scale);
}
