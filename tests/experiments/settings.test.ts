// The winner rule's settings: any subset may change, validated, and a shop may set its own defaults.
import { describe, expect, it } from "vitest";
import { applySettingsChange, EXPERIMENT_DEFAULTS, shopExperimentDefaults } from "~/domain/experiments";

describe("experiment settings", () => {
  it("defaults: conversion rate, 500 recipients per variant, 90 %, 7 to 42 days", () => {
    expect(EXPERIMENT_DEFAULTS).toEqual({ metric: "conversion_rate", minSample: 500, minProbability: 0.9, minDays: 7, maxDays: 42 });
  });

  it("applies a valid change and refuses an invalid one with readable reasons", () => {
    expect(applySettingsChange(EXPERIMENT_DEFAULTS, { metric: "revenue_per_recipient", minProbability: 0.95 })).toEqual({
      ok: true,
      settings: { ...EXPERIMENT_DEFAULTS, metric: "revenue_per_recipient", minProbability: 0.95 },
    });
    expect(applySettingsChange(EXPERIMENT_DEFAULTS, { metric: "opens", minSample: 10, minProbability: 1 })).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^metric: /), "minSample: at least 30 recipients per variant", "minProbability: at most 99.9 %"],
    });
    expect(applySettingsChange(EXPERIMENT_DEFAULTS, { maxDays: 5 })).toEqual({
      ok: false,
      errors: ["maxDays: cannot be shorter than minDays"],
    });
    expect(applySettingsChange(EXPERIMENT_DEFAULTS, { winner: "b" })).toMatchObject({
      ok: false,
      errors: [expect.stringContaining("winner")],
    });
  });

  it("a shop's defaults come from Shop.settings.experiments; missing or invalid ones are the built-in defaults", () => {
    expect(shopExperimentDefaults({ experiments: { minSample: 1000, metric: "click_rate" } })).toEqual({
      ...EXPERIMENT_DEFAULTS,
      minSample: 1000,
      metric: "click_rate",
    });
    expect(shopExperimentDefaults(null)).toEqual(EXPERIMENT_DEFAULTS);
    expect(shopExperimentDefaults({ experiments: { minSample: -1 } })).toEqual(EXPERIMENT_DEFAULTS);
  });
});
