// The numerical building blocks against scipy.special / scipy.stats (tests/stats/reference).
import { describe, it } from "vitest";
import { normalCdf, normalQuantile, studentTCdf, studentTQuantile } from "~/domain/stats/distributions";
import { betaRegularized, logGamma } from "~/domain/stats/special-functions";
import reference from "./reference/values.json";
import { expectClose } from "./support/close";

describe("special functions match scipy", () => {
  it("log-gamma", () => {
    for (const c of reference.logGamma) expectClose(logGamma(c.x), c.value, 1e-13, `lgamma(${c.x})`);
  });

  it("regularized incomplete beta", () => {
    for (const c of reference.betaRegularized) expectClose(betaRegularized(c.x, c.a, c.b), c.value, 1e-11, `I(${c.x}; ${c.a}, ${c.b})`);
  });

  it("normal CDF, relative accuracy in the far tails too", () => {
    for (const c of reference.normalCdf) {
      const actual = normalCdf(c.z);
      expectClose(actual / c.value, 1, 1e-12, `Φ(${c.z})`);
    }
  });

  it("normal quantile", () => {
    for (const c of reference.normalQuantile) expectClose(normalQuantile(c.p), c.value, 1e-14, `Φ⁻¹(${c.p})`);
  });

  it("Student t CDF and quantile, fractional degrees of freedom included (Welch's are)", () => {
    for (const c of reference.studentTCdf) expectClose(studentTCdf(c.t, c.df), c.value, 1e-12, `T(${c.t}; ${c.df})`);
    for (const c of reference.studentTQuantile) expectClose(studentTQuantile(c.p, c.df), c.value, 1e-10, `T⁻¹(${c.p}; ${c.df})`);
  });
});
