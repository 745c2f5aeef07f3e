import { describe, expect, it } from "vitest";
import {
  alertConditions,
  DEFAULT_LAG_THRESHOLDS_MS,
  failingAlertKey,
  lagAlertKey,
  parseLagThresholds,
} from "~/domain/operations/alert-rules";
import { alertEmailText } from "~/domain/operations/alert-text";

const settings = { lagThresholdsMs: { ...DEFAULT_LAG_THRESHOLDS_MS, outbox: 15 * 60_000 }, failureStreak: 5 };

describe("alert rules", () => {
  it("fires for a queue only past its own threshold, per shop", () => {
    const c = alertConditions(
      [
        { task: "outbox", shopId: "s1", oldestAgeMs: 15 * 60_000 },
        { task: "outbox", shopId: "s2", oldestAgeMs: 15 * 60_000 + 1 },
        { task: "webhooks", shopId: null, oldestAgeMs: 11 * 60_000 },
        { task: "retention", shopId: "s1", oldestAgeMs: 10 ** 9 },
      ],
      [],
      settings,
    );
    expect(c.map((x) => x.key)).toEqual([lagAlertKey("outbox", "s2"), "lag:webhooks:-"]);
  });

  it("fires for a task failing the configured number of passes in a row, not fewer", () => {
    const c = alertConditions(
      [],
      [
        { task: "outbox", consecutiveFailures: 4, lastError: "x" },
        { task: "webhooks", consecutiveFailures: 5, lastError: "Error P1001: db down" },
      ],
      settings,
    );
    expect(c).toEqual([
      { kind: "failing", key: failingAlertKey("webhooks"), task: "webhooks", consecutiveFailures: 5, lastError: "Error P1001: db down" },
    ]);
  });

  it("reads per-task thresholds in minutes over the defaults and refuses what it cannot read", () => {
    const t = parseLagThresholds("outbox=5, webhooks=0.5");
    expect(t.outbox).toBe(5 * 60_000);
    expect(t.webhooks).toBe(30_000);
    expect(t["journey-steps"]).toBe(DEFAULT_LAG_THRESHOLDS_MS["journey-steps"]);
    expect(parseLagThresholds(undefined)).toEqual(DEFAULT_LAG_THRESHOLDS_MS);
    expect(() => parseLagThresholds("outbox=soon")).toThrow(/ALERT_LAG_MINUTES/);
    expect(() => parseLagThresholds("mailbox=5")).toThrow(/mailbox=5/);
  });

  it("words the email in the shop's language, with ages in minutes", () => {
    const lag = {
      kind: "lag",
      key: "k",
      task: "outbox",
      shopId: "s",
      oldestAgeMs: 42 * 60_000 + 59_000,
      thresholdMs: 15 * 60_000,
    } as const;
    expect(alertEmailText(lag, "en", "https://app/health").subject).toBe("[Flowmate] Delayed: outgoing messages (42 min)");
    expect(alertEmailText(lag, "pl", "https://app/health").subject).toBe("[Flowmate] Opóźnienie: wiadomości wychodzące (42 min)");
    expect(alertEmailText(lag, "en", "https://app/health").text).toContain("threshold: 15 min");
  });
});
