import { describe, expect, it } from "vitest";
import {
  arbitrateSend,
  capsAndPriority,
  checkFrequencyCap,
  consentBlock,
  DEFAULT_FREQUENCY_CAPS,
  DEFAULT_PRIORITIES,
  flowHoldoutPercent,
  isInFlowHoldout,
  longestCapWindowHours,
  parseFrequencyCaps,
  seededRandom,
  type RecentSend,
  type SendRequest,
} from "~/domain/arbitration";
import { inRollout, rolloutBucket } from "~/domain/journey";
import { D, H, T0, campaignEmail, competitor, customer, shop } from "./driver";

const email = (at: number, over: Partial<RecentSend> = {}): RecentSend => ({ ...campaignEmail(at), ...over });

describe("frequency caps", () => {
  it("defaults: 1 marketing email per 16 h and 3 per 7 days, 1 marketing SMS per 24 h", () => {
    expect(DEFAULT_FREQUENCY_CAPS).toEqual({
      email: [
        { count: 1, windowHours: 16 },
        { count: 3, windowHours: 168 },
      ],
      sms: [{ count: 1, windowHours: 24 }],
    });
    expect(longestCapWindowHours(DEFAULT_FREQUENCY_CAPS)).toBe(168);
  });

  it("frees a channel when enough old sends leave the binding window", () => {
    expect(checkFrequencyCap([email(T0 - 10 * H)], "email", T0, DEFAULT_FREQUENCY_CAPS)).toMatchObject({
      ok: false,
      freeAt: T0 + 6 * H,
      rule: { windowHours: 16 },
    });
    expect(checkFrequencyCap([email(T0 - 16 * H)], "email", T0, DEFAULT_FREQUENCY_CAPS)).toMatchObject({ ok: true, freeAt: T0 });
    const week = [email(T0 - 6 * D), email(T0 - 4 * D), email(T0 - 2 * D)];
    expect(checkFrequencyCap(week, "email", T0, DEFAULT_FREQUENCY_CAPS)).toMatchObject({
      ok: false,
      freeAt: T0 + D,
      rule: { windowHours: 168 },
      inWindow: 3,
    });
    expect(checkFrequencyCap(week, "sms", T0, DEFAULT_FREQUENCY_CAPS)).toMatchObject({ ok: true });
  });

  it("transactional sends neither count nor get capped; held-out virtual sends count", () => {
    expect(checkFrequencyCap([email(T0 - H, { purpose: "transactional" })], "email", T0, DEFAULT_FREQUENCY_CAPS).ok).toBe(true);
    expect(checkFrequencyCap([email(T0 - H, { heldOut: true })], "email", T0, DEFAULT_FREQUENCY_CAPS).ok).toBe(false);
    const req: SendRequest = { channel: "email", purpose: "transactional", topic: null, priority: 50, onCap: "defer", onConflict: "defer" };
    const ctx = { customer: customer(), shop: shop(), recentSends: [email(T0 - H)], otherEnrollments: [], holdout: true };
    expect(arbitrateSend(req, ctx, T0)).toMatchObject({ outcome: "send", reason: "allowed" });
  });

  it("reads Shop.frequencyCaps per channel, never falling back to uncapped", () => {
    expect(parseFrequencyCaps(null)).toEqual(DEFAULT_FREQUENCY_CAPS);
    expect(parseFrequencyCaps({ sms: [{ count: 2, windowHours: 24 }] })).toEqual({
      email: DEFAULT_FREQUENCY_CAPS.email,
      sms: [{ count: 2, windowHours: 24 }],
    });
    expect(parseFrequencyCaps({ email: [] })).toEqual({ email: [], sms: DEFAULT_FREQUENCY_CAPS.sms });
    expect(parseFrequencyCaps({ email: [{ count: -1, windowHours: 16 }] })).toEqual(DEFAULT_FREQUENCY_CAPS);
    expect(parseFrequencyCaps("garbage")).toEqual(DEFAULT_FREQUENCY_CAPS);
  });
});

describe("consent", () => {
  const at = T0;
  it("marketing needs an address, subscribed, no suppression, no pause, the topic not opted out", () => {
    expect(consentBlock(customer(), "email", "marketing", "newsletter", at)).toBeNull();
    expect(consentBlock(customer({ email: { address: false } }), "email", "marketing", null, at)).toEqual({
      reason: "no_address",
      cause: "no_email",
    });
    expect(consentBlock(customer({ sms: { address: false } }), "sms", "marketing", null, at)).toEqual({
      reason: "no_address",
      cause: "no_phone",
    });
    expect(consentBlock(customer({ email: { consent: "pending" } }), "email", "marketing", null, at)).toEqual({
      reason: "no_consent",
      cause: "pending",
    });
    expect(consentBlock(customer({ sms: { consent: "not_subscribed" } }), "sms", "marketing", null, at)).toEqual({
      reason: "no_consent",
      cause: "not_subscribed",
    });
    expect(consentBlock(customer({ email: { suppressed: "complaint" } }), "email", "marketing", null, at)).toEqual({
      reason: "suppressed",
      cause: "complaint",
    });
    expect(consentBlock(customer({ marketingPausedUntil: at + D }), "email", "marketing", null, at)).toEqual({
      reason: "no_consent",
      cause: "paused",
    });
    expect(consentBlock(customer({ marketingPausedUntil: at - D }), "email", "marketing", null, at)).toBeNull();
    expect(consentBlock(customer({ unsubscribedTopics: ["offers"] }), "email", "marketing", "offers", at)).toEqual({
      reason: "no_consent",
      cause: "topic_unsubscribed",
    });
    expect(consentBlock(customer({ unsubscribedTopics: ["offers"] }), "email", "marketing", "newsletter", at)).toBeNull();
  });

  it("transactional needs only a usable, unblocked address (a sunset stops marketing only)", () => {
    const c = customer({ email: { consent: "unsubscribed", suppressed: "sunset" } });
    expect(consentBlock(c, "email", "transactional", null, at)).toBeNull();
    expect(consentBlock(c, "email", "marketing", null, at)).toEqual({ reason: "no_consent", cause: "unsubscribed" });
    expect(consentBlock(customer({ email: { suppressed: "hard_bounce" } }), "email", "transactional", null, at)).toEqual({
      reason: "suppressed",
      cause: "hard_bounce",
    });
    expect(consentBlock(customer({ email: { consent: "redacted" } }), "email", "transactional", null, at)).toEqual({
      reason: "no_address",
      cause: "redacted",
    });
  });
});

describe("priorities", () => {
  const caps = DEFAULT_FREQUENCY_CAPS;
  it("the default ranking", () => {
    expect(DEFAULT_PRIORITIES).toEqual({
      abandoned_checkout: 100,
      welcome: 90,
      abandoned_cart: 80,
      post_purchase: 70,
      replenishment: 60,
      custom: 50,
      browse_abandonment: 40,
      win_back: 30,
      re_engagement: 20,
    });
  });

  it("equal priorities never conflict (first come, first served by the caps)", () => {
    expect(capsAndPriority("email", 50, T0, [], [competitor("other", 50, T0 + H)], caps)).toBeNull();
    expect(capsAndPriority("email", 50, T0, [email(T0 - H, { flowKey: "other", priority: 50 })], [], caps)).toMatchObject({
      reason: "frequency_cap",
    });
  });

  it("ignores planned sends on another channel, beyond the longest cap window, or of itself", () => {
    expect(capsAndPriority("email", 40, T0, [], [competitor("x", 90, T0 + H, "sms")], caps)).toBeNull();
    expect(capsAndPriority("email", 40, T0, [], [competitor("x", 90, T0 + 8 * D)], caps)).toBeNull();
    expect(capsAndPriority("email", 40, T0, [], [{ ...competitor("x", 90, T0 + H), enrollmentId: "me" }], caps, "me")).toBeNull();
    expect(capsAndPriority("email", 40, T0, [], [{ ...competitor("x", 90, T0), nextSendAt: null }], caps)).toBeNull();
    // Overdue by less than the channel window: still about to go, so it still wins; a whole window overdue is stale.
    expect(capsAndPriority("email", 40, T0, [], [competitor("x", 90, T0 - 15 * H)], caps)).toMatchObject({
      reason: "lost_priority",
      until: T0 + 16 * H,
    });
    expect(capsAndPriority("email", 40, T0, [], [competitor("x", 90, T0 - 16 * H)], caps)).toBeNull();
  });

  it("a planned higher-priority send 3 days ahead still wins if this send would fill its 7-day cap", () => {
    const recent = [email(T0 - 2 * D, { priority: 40 }), email(T0 - D, { priority: 40 })];
    expect(capsAndPriority("email", 40, T0, recent, [competitor("abandoned_checkout", 100, T0 + 3 * D)], caps)).toMatchObject({
      reason: "lost_priority",
      until: T0 + 3 * D + 16 * H,
    });
  });

  it("without caps there is nothing to compete for", () => {
    const none = { email: [], sms: [] };
    expect(capsAndPriority("email", 10, T0, [email(T0 - H, { priority: 100 })], [competitor("x", 100, T0 + H)], none)).toBeNull();
  });
});

describe("arbitration order", () => {
  const req: SendRequest = { channel: "email", purpose: "marketing", topic: null, priority: 40, onCap: "defer", onConflict: "defer" };
  const ctx = (over: Partial<{ holdout: boolean; recentSends: RecentSend[] }> = {}, c = customer()) => ({
    customer: c,
    shop: shop(),
    recentSends: over.recentSends ?? [],
    otherEnrollments: [],
    holdout: over.holdout ?? false,
  });

  it("consent first (a customer without consent is not counted as held out), holdout last", () => {
    expect(arbitrateSend(req, ctx({ holdout: true }, customer({ email: { consent: "unsubscribed" } })), T0)).toMatchObject({
      outcome: "skip",
      reason: "no_consent",
    });
    expect(arbitrateSend(req, ctx({ holdout: true }), T0)).toEqual({
      outcome: "holdout",
      reason: "holdout",
      details: { channel: "email", purpose: "marketing" },
    });
    expect(arbitrateSend(req, ctx({ holdout: true, recentSends: [email(T0 - H)] }), T0)).toMatchObject({
      outcome: "defer",
      reason: "frequency_cap",
    });
  });

  it("onCap skip, and maxDeferHours turning a long deferral into a logged skip", () => {
    expect(arbitrateSend({ ...req, onCap: "skip" }, ctx({ recentSends: [email(T0 - H)] }), T0)).toMatchObject({
      outcome: "skip",
      reason: "frequency_cap",
    });
    expect(arbitrateSend({ ...req, maxDeferHours: 2 }, ctx({ recentSends: [email(T0 - H)] }), T0)).toMatchObject({
      outcome: "skip",
      reason: "deferral_expired",
      // Cap free at midnight local, quiet until 08:00: 22 h later.
      details: { blockedBy: "frequency_cap", dueSince: T0, wouldSendAt: T0 + 22 * H, maxDeferHours: 2 },
    });
    // The allowance counts from when the send first became due, not from this attempt.
    expect(arbitrateSend({ ...req, maxDeferHours: 20, dueSince: T0 - 10 * H }, ctx({ recentSends: [email(T0 - H)] }), T0)).toMatchObject({
      reason: "deferral_expired",
    });
  });
});

describe("holdout and rollout assignment", () => {
  const ids = Array.from({ length: 20_000 }, (_, i) => `cust-${i}`);

  const held = (shop: string, flowKey: string, percent: number) => ids.filter((id) => isInFlowHoldout(shop, flowKey, id, percent));

  it("a flow's holdout is deterministic, close to the percent, and only grows with it", () => {
    const ten = held("shop-1", "welcome", 10);
    expect(ten.length / ids.length).toBeGreaterThan(0.09);
    expect(ten.length / ids.length).toBeLessThan(0.11);
    expect(held("shop-1", "welcome", 10)).toEqual(ten);
    const twenty = new Set(held("shop-1", "welcome", 20));
    expect(twenty.size / ids.length).toBeGreaterThan(0.19);
    expect(twenty.size / ids.length).toBeLessThan(0.21);
    expect(ten.every((id) => twenty.has(id))).toBe(true);
    expect(held("shop-1", "welcome", 0)).toHaveLength(0);
    expect(held("shop-1", "welcome", 100)).toHaveLength(ids.length);
    expect(held("shop-1", "welcome", 2.5).length / ids.length).toBeCloseTo(0.025, 2);
  });

  it("flows hold out independent groups, and so do shops", () => {
    const welcome = new Set(held("shop-1", "welcome", 10));
    const checkout = held("shop-1", "abandoned_checkout", 10);
    // Independent: about 10 % of one flow's control group is in the other's (1 % of everyone).
    const both = checkout.filter((id) => welcome.has(id)).length / checkout.length;
    expect(both).toBeGreaterThan(0.07);
    expect(both).toBeLessThan(0.13);
    const otherShop = held("shop-2", "welcome", 10).filter((id) => welcome.has(id)).length / welcome.size;
    expect(otherShop).toBeLessThan(0.13);
  });

  it("is keyed by the flow's key, so editing the flow (a new version) keeps every customer where they were", () => {
    // The assignment reads the shop, the key and the customer only, nothing of a version
    // (tests/measurement/rollup-equality.db.test.ts edits a flow between two entries).
    const before = held("shop-1", "win_back", 15);
    expect(held("shop-1", "win_back", 15)).toEqual(before);
  });

  it("a flow's own percent wins over the shop's default", () => {
    expect(flowHoldoutPercent({ holdoutPercent: null }, { holdoutPercent: 10 })).toBe(10);
    expect(flowHoldoutPercent({ holdoutPercent: 25 }, { holdoutPercent: 10 })).toBe(25);
    expect(flowHoldoutPercent({ holdoutPercent: 0 }, { holdoutPercent: 10 })).toBe(0);
  });

  it("rollout 10 % -> 50 % -> 100 % keeps everyone already in", () => {
    const at10 = ids.filter((id) => inRollout(id, "flow-a", 10));
    const at50 = new Set(ids.filter((id) => inRollout(id, "flow-a", 50)));
    expect(at10.length / ids.length).toBeGreaterThan(0.09);
    expect(at10.length / ids.length).toBeLessThan(0.11);
    expect(at50.size / ids.length).toBeGreaterThan(0.48);
    expect(at50.size / ids.length).toBeLessThan(0.52);
    expect(at10.every((id) => at50.has(id))).toBe(true);
    expect(ids.every((id) => inRollout(id, "flow-a", 100))).toBe(true);
    expect(rolloutBucket("cust-1", "flow-a")).toBeGreaterThanOrEqual(0);
    expect(rolloutBucket("cust-1", "flow-a")).toBeLessThan(100);
    expect(inRollout("cust-1", "flow-a", rolloutBucket("cust-1", "flow-a") + 0.01)).toBe(true);
    // Independent of the holdout: about 10 % of the rollout is held out.
    const heldOut = at10.filter((id) => isInFlowHoldout("shop-1", "flow-a", id, 10)).length / at10.length;
    expect(heldOut).toBeGreaterThan(0.07);
    expect(heldOut).toBeLessThan(0.13);
  });

  it("seededRandom replays the same draws for the same seed", () => {
    const a = seededRandom("enr-1:0");
    const b = seededRandom("enr-1:0");
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom("enr-1:1")()).not.toBe(xs[0]);
  });
});
