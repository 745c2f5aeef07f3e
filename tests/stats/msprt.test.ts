// The always-valid p-value against an independent Python evaluation, and its behaviour.
import { describe, expect, it } from "vitest";
import { msprtPValue, proportionSums } from "~/domain/stats";
import { msprtTau2 } from "~/domain/stats/msprt";
import reference from "./reference/values.json";
import { expectClose } from "./support/close";

describe("mSPRT always-valid p-value", () => {
  it("matches the Python reference", () => {
    for (const c of reference.msprt) expectClose(msprtPValue(c.a, c.b, { tau2: c.tau2 }), c.pValue, 1e-10, `tau2=${c.tau2}`);
  });

  it("is 1 without data or without a mixing variance, and is symmetric in the two groups", () => {
    const a = proportionSums(40, 1000);
    const b = proportionSums(70, 1000);
    expect(msprtPValue({ n: 0, sum: 0, sumSq: 0 }, b, { tau2: 1e-4 })).toBe(1);
    expect(msprtPValue(a, b, { tau2: 0 })).toBe(1);
    expectClose(msprtPValue(a, b, { tau2: 1e-4 }), msprtPValue(b, a, { tau2: 1e-4 }), 1e-15);
  });

  it("is stricter than a fixed-horizon z test: at z = 1.96 it does not reject at 5%", () => {
    // Equal groups of 5,000 with p = 5%: z = 1.96 needs d = 1.96·√(2·0.05·0.95/5000).
    const n = 5000;
    const d = 1.96 * Math.sqrt((2 * 0.05 * 0.95) / n);
    const a = proportionSums(0.05 * n, n);
    const b = proportionSums((0.05 + d) * n, n);
    const p = msprtPValue(a, b, { tau2: msprtTau2(a, b, n) });
    expect(p).toBeGreaterThan(0.05);
  });
});
