import { describe, expect, it } from "vitest";
import { arbitrateSend, localToInstant, nextInstantInWindows, quietHoursCheck, wallClock, type SendRequest } from "~/domain/arbitration";
import { matchDateTrigger, parseFlowDefinition } from "~/domain/journey";
import { Sim, customer, iso, shop } from "./driver";

const WARSAW = "Europe/Warsaw";
const z = (s: string) => Date.parse(s);

describe("local time on the Warsaw wall clock across DST", () => {
  it("maps local times to instants on both sides of the changes", () => {
    // Last Sunday of March 2026: 02:00 CET -> 03:00 CEST (01:00Z).
    expect(iso(localToInstant(2026, 3, 28, 8 * 60, WARSAW))).toBe("2026-03-28T07:00Z");
    expect(iso(localToInstant(2026, 3, 29, 8 * 60, WARSAW))).toBe("2026-03-29T06:00Z");
    expect(iso(localToInstant(2026, 3, 29, 2 * 60 + 30, WARSAW))).toBe("2026-03-29T01:30Z"); // in the gap: 03:30 CEST
    // Last Sunday of October 2026: 03:00 CEST -> 02:00 CET (01:00Z).
    expect(iso(localToInstant(2026, 10, 25, 8 * 60, WARSAW))).toBe("2026-10-25T07:00Z");
    expect(iso(localToInstant(2026, 10, 25, 2 * 60 + 30, WARSAW))).toBe("2026-10-25T00:30Z"); // ambiguous: the earlier one
    expect(wallClock(z("2026-10-25T01:30:00Z"), WARSAW)).toMatchObject({ hour: 2, minute: 30, weekday: 7 });
  });

  it("an SMS due at 21:30 on the Saturday before the spring change goes at 08:00 CEST (06:00Z)", () => {
    const q = quietHoursCheck(z("2026-03-28T20:30:00Z"), "sms", "marketing", customer(), shop());
    expect(iso(q.allowedAt!)).toBe("2026-03-29T06:00Z");
  });

  it("an SMS due at 21:30 on the Saturday before the autumn change goes at 08:00 CET (07:00Z)", () => {
    const q = quietHoursCheck(z("2026-10-24T19:30:00Z"), "sms", "marketing", customer(), shop());
    expect(iso(q.allowedAt!)).toBe("2026-10-25T07:00Z");
  });

  it("the engine schedules the deferred SMS at that instant and sends it then", () => {
    const def = parseFlowDefinition({
      schemaVersion: 1,
      key: "custom-sms",
      name: "SMS",
      trigger: { type: "event", events: ["x"] },
      entry: { requiresConsent: "sms" },
      startStepId: "sms",
      steps: [{ id: "sms", type: "send", channel: "sms", templateKey: "sms_1" }],
    });
    const sim = new Sim(def, { now: z("2026-03-28T20:30:00Z") });
    sim.start({ event: "x" });
    sim.runToEnd();
    expect(sim.trace()).toEqual([
      "2026-03-28T20:30Z decision enter/trigger -",
      "2026-03-28T20:30Z decision defer/quiet_hours sms sms until=2026-03-29T06:00Z",
      "2026-03-28T20:30Z schedule sms at=2026-03-29T06:00Z deferred plans=sms",
      "2026-03-29T06:00Z send sms sms_1 marketing key=enr-1:sms:1",
      "2026-03-29T06:00Z decision send/allowed sms sms",
      "2026-03-29T06:00Z decision exit/end_of_flow sms",
      "2026-03-29T06:00Z complete end_of_flow",
    ]);
  });

  it("durations are real hours: 24 h after 10:00 CET on the Saturday is 11:00 CEST on the Sunday", () => {
    const def = parseFlowDefinition({
      schemaVersion: 1,
      key: "custom-wait",
      name: "Wait",
      trigger: { type: "event", events: ["x"] },
      startStepId: "w",
      steps: [
        { id: "w", type: "wait", duration: { hours: 24 }, next: "s" },
        { id: "s", type: "send", channel: "email", templateKey: "t" },
      ],
    });
    const sim = new Sim(def, { now: z("2026-03-28T09:00:00Z") });
    sim.start({ event: "x" });
    expect(iso(sim.nextWake()!)).toBe("2026-03-29T09:00Z");
    expect(wallClock(sim.nextWake()!, WARSAW)).toMatchObject({ hour: 11, day: 29 });
  });

  it("a local window keeps its wall-clock time across the change (wait until 10:00-12:00)", () => {
    expect(iso(nextInstantInWindows(z("2026-03-28T12:00:00Z"), WARSAW, [{ start: 600, end: 720 }])!)).toBe("2026-03-29T08:00Z");
    expect(iso(nextInstantInWindows(z("2026-10-24T12:00:00Z"), WARSAW, [{ start: 600, end: 720 }])!)).toBe("2026-10-25T09:00Z");
    // Weekdays only (Saturday 28 March -> Monday 30 March 10:00 CEST).
    expect(iso(nextInstantInWindows(z("2026-03-28T12:00:00Z"), WARSAW, [{ start: 600, end: 720 }], [1, 2, 3, 4, 5])!)).toBe(
      "2026-03-30T08:00Z",
    );
  });
});

describe("quiet hours and the SMS window", () => {
  const at2230 = z("2026-03-10T21:30:00Z"); // 22:30 in Warsaw
  const req = (channel: "email" | "sms", purpose: "marketing" | "transactional"): SendRequest => ({
    channel,
    purpose,
    topic: null,
    priority: 50,
    onCap: "defer",
    onConflict: "defer",
  });
  const ctx = (over: Partial<Parameters<typeof shop>[0]> = {}, c = customer()) => ({
    customer: c,
    shop: shop(over),
    recentSends: [],
    otherEnrollments: [],
    holdout: false,
  });

  it("marketing email waits for the end of the shop's quiet hours; transactional email does not", () => {
    expect(arbitrateSend(req("email", "marketing"), ctx(), at2230)).toMatchObject({
      outcome: "defer",
      reason: "quiet_hours",
      until: z("2026-03-11T07:00:00Z"),
    });
    expect(arbitrateSend(req("email", "transactional"), ctx(), at2230)).toMatchObject({ outcome: "send" });
  });

  it("SMS never goes outside 08:00-21:00, even without shop quiet hours and for transactional messages", () => {
    expect(arbitrateSend(req("email", "marketing"), ctx({ quietHours: null }), at2230)).toMatchObject({ outcome: "send" });
    expect(arbitrateSend(req("sms", "marketing"), ctx({ quietHours: null }), at2230)).toMatchObject({
      outcome: "defer",
      reason: "sms_window",
      until: z("2026-03-11T07:00:00Z"),
    });
    expect(arbitrateSend(req("sms", "transactional"), ctx({ quietHours: null }), at2230)).toMatchObject({
      outcome: "defer",
      until: z("2026-03-11T07:00:00Z"),
    });
    // Early morning: the same day at 08:00.
    expect(arbitrateSend(req("sms", "marketing"), ctx({ quietHours: null }), z("2026-03-11T06:30:00Z"))).toMatchObject({
      until: z("2026-03-11T07:00:00Z"),
    });
  });

  it("narrower shop quiet hours apply to SMS too; wider ones do not widen the SMS window", () => {
    const narrow = ctx({ quietHours: { startMinute: 20 * 60, endMinute: 9 * 60 } });
    expect(arbitrateSend(req("sms", "marketing"), narrow, z("2026-03-10T19:30:00Z"))).toMatchObject({
      outcome: "defer",
      until: z("2026-03-11T08:00:00Z"),
    });
    const none = ctx({ quietHours: { startMinute: 0, endMinute: 0 } });
    expect(arbitrateSend(req("sms", "marketing"), none, z("2026-03-10T20:30:00Z"))).toMatchObject({
      outcome: "defer",
      until: z("2026-03-11T07:00:00Z"),
    });
  });

  it("reads the recipient's time zone, falling back to the shop's; or always the shop's when configured", () => {
    const ny = customer({ timezone: "America/New_York" });
    // 22:30 in Warsaw is 17:30 in New York: fine there.
    expect(arbitrateSend(req("email", "marketing"), ctx({}, ny), at2230)).toMatchObject({ outcome: "send" });
    expect(arbitrateSend(req("email", "marketing"), ctx({ quietHoursBasis: "shop" }, ny), at2230)).toMatchObject({
      outcome: "defer",
      reason: "quiet_hours",
    });
    expect(arbitrateSend(req("email", "marketing"), ctx({}, customer({ timezone: "Mars/Olympus" })), at2230)).toMatchObject({
      outcome: "defer",
      details: { timeZone: WARSAW },
    });
    expect(quietHoursCheck(at2230, "email", "marketing", customer({ timezone: null }), shop({ timezone: "nonsense" })).timeZone).toBe(
      "UTC",
    );
  });

  it("skips (never defers forever) when the windows leave no time at all", () => {
    const r = arbitrateSend(req("sms", "marketing"), ctx({ quietHours: { startMinute: 7 * 60, endMinute: 22 * 60 } }), at2230);
    expect(r).toMatchObject({ outcome: "skip", reason: "quiet_hours", details: { cause: "no_allowed_window" } });
  });
});

describe("date triggers on the recipient's calendar", () => {
  const birthday = {
    type: "date" as const,
    dateField: "birthday" as const,
    offsetDays: 0,
    localTime: "10:00",
    contextKeyPath: "occurrence",
  };

  it("is due on the day from the local time on, once per year (occurrence)", () => {
    const c = customer({ properties: { birthday: "1990-03-11" } });
    expect(matchDateTrigger(birthday, c, z("2026-03-11T08:30:00Z"), WARSAW)).toEqual({ due: false }); // 09:30 local
    expect(matchDateTrigger(birthday, c, z("2026-03-11T09:30:00Z"), WARSAW)).toEqual({
      due: true,
      trigger: { type: "date", at: z("2026-03-11T09:00:00Z"), data: { occurrence: "2026-03-11", dateField: "birthday", years: 36 } },
    });
    expect(matchDateTrigger(birthday, c, z("2026-03-12T09:30:00Z"), WARSAW)).toEqual({ due: false });
  });

  it("handles offsets across the year end and 29 February", () => {
    const early = { ...birthday, offsetDays: -7 };
    expect(matchDateTrigger(early, customer({ properties: { birthday: "--01-03" } }), z("2026-12-27T12:00:00Z"), WARSAW)).toMatchObject({
      due: true,
      trigger: { data: { occurrence: "2026-12-27" } },
    });
    expect(
      matchDateTrigger(birthday, customer({ properties: { birthday: "2000-02-29" } }), z("2026-02-28T12:00:00Z"), WARSAW),
    ).toMatchObject({ due: true });
  });

  it("first-order anniversaries start a year after the first order", () => {
    const anniversary = { ...birthday, dateField: "first_order" as const };
    const c = customer({ firstOrderAt: z("2025-03-10T12:00:00Z") });
    expect(matchDateTrigger(anniversary, c, z("2026-03-10T12:00:00Z"), WARSAW)).toMatchObject({
      due: true,
      trigger: { data: { years: 1 } },
    });
    expect(matchDateTrigger(anniversary, customer({ firstOrderAt: z("2026-03-10T08:00:00Z") }), z("2026-03-10T12:00:00Z"), WARSAW)).toEqual(
      { due: false },
    );
    expect(matchDateTrigger(anniversary, customer(), z("2026-03-10T12:00:00Z"), WARSAW)).toEqual({ due: false });
  });

  it("uses the shop's zone for customers without one", () => {
    const c = customer({ timezone: null, properties: { birthday: "03-11" } });
    // 02:00Z is 11:00 in Tokyo (due) but 03:00 in Warsaw (not yet).
    expect(matchDateTrigger(birthday, c, z("2026-03-11T02:00:00Z"), "Asia/Tokyo")).toMatchObject({
      due: true,
      trigger: { at: z("2026-03-11T01:00:00Z") },
    });
    expect(matchDateTrigger(birthday, c, z("2026-03-11T02:00:00Z"), WARSAW)).toEqual({ due: false });
  });
});
