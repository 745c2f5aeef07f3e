import { describe, expect, it } from "vitest";
import { buildAbandonedCheckout, buildCatalogueFlow } from "~/domain/flows";
import { estimateSmsCost } from "~/domain/sms/cost";
import {
  estimatedSmsBody,
  estimateFlowSms,
  estimateSmsStep,
  phoneCountry,
  representativeSmsUrl,
  smsLinkKind,
  ownSmsBody,
  smsSendSteps,
} from "~/domain/sms/estimate";
import { countSmsSegments } from "~/domain/sms/segments";

// A short shop name and link, so the texts sit right at segment boundaries.
const small = { name: "Kawa", host: "kawa.pl", locale: "pl" };
const kawa = { name: "Kawa & Co.", host: "kawa-demo.example", locale: "pl" };
const step = { stepId: "send_sms", templateKeys: ["abandoned_checkout_sms_1"], transactional: false };

describe("the text an SMS estimate counts", () => {
  it("is the catalogue text with the link and the opt-out line added at send time", () => {
    expect(estimatedSmsBody("abandoned_checkout_sms_1", "pl", small, "shop")).toBe(
      "Kawa: Twoje zamówienie czeka. Dokończ tutaj: https://kawa.pl\nRezygnacja: odpisz STOP",
    );
    expect(estimatedSmsBody("abandoned_checkout_sms_1", "en", small, "shop")).toBe(
      "Kawa: your order is waiting. Finish it here: https://kawa.pl\nReply STOP to opt out",
    );
    // Transactional texts go out without the opt-out line (send-sms.server.ts).
    expect(estimatedSmsBody("abandoned_checkout_sms_1", "en", small, "shop", true)).not.toContain("STOP");
  });

  it("counts the Polish text as UCS-2 and the opt-out line into its segments", () => {
    const e = estimateSmsStep(step, "shop", small, [{ country: "PL", locale: "pl", recipients: 1 }]);
    const withoutFooter = countSmsSegments("Kawa: Twoje zamówienie czeka. Dokończ tutaj: https://kawa.pl");
    expect(withoutFooter).toMatchObject({ encoding: "UCS-2", segments: 1 }); // 60 of 70
    expect(e.texts).toEqual([
      { language: "pl", templateKey: "abandoned_checkout_sms_1", characters: 84, encoding: "UCS-2", segments: 2, recipients: 1 },
    ]);
  });

  it("counts the English text as GSM-7", () => {
    const e = estimateSmsStep(step, "shop", { ...small, locale: "en" }, [{ country: "US", locale: null, recipients: 1 }]);
    expect(e.texts).toEqual([
      { language: "en", templateKey: "abandoned_checkout_sms_1", characters: 82, encoding: "GSM-7", segments: 1, recipients: 1 },
    ]);
  });

  it("links an abandoned checkout SMS to a recovery URL as long as Shopify's", () => {
    // abandoned_checkout_url: /<shop id>/checkouts/ac/<base64url of "<gcp region>:<ULID>">/recover?key=<32 hex>&locale=<tag>
    const token = Buffer.from("gcp-us-east1:01JBZMEQJ835BT7PS613DWQPQP").toString("base64url");
    const shopify = `https://kawa-demo.example/59026964593/checkouts/ac/${token}/recover?key=${"9f".repeat(16)}&locale=pl-PL`;
    expect(representativeSmsUrl("checkout_recovery", "kawa-demo.example", "pl")).toHaveLength(shopify.length);
    expect(representativeSmsUrl("shop", "kawa-demo.example", "pl")).toBe("https://kawa-demo.example");
    // The link alone is most of a GSM-7 segment: the Polish text needs 4 UCS-2 segments, the English one 2.
    const pl = countSmsSegments(estimatedSmsBody("abandoned_checkout_sms_1", "pl", kawa, "checkout_recovery"));
    const en = countSmsSegments(estimatedSmsBody("abandoned_checkout_sms_1", "en", kawa, "checkout_recovery"));
    expect([pl.encoding, pl.segments, en.encoding, en.segments]).toEqual(["UCS-2", 4, "GSM-7", 2]);
  });
});

describe("SMS cost estimate of a flow step", () => {
  it("prices each recipient's language and country: segments x recipients x list price", () => {
    const e = estimateSmsStep(step, "shop", small, [
      { country: "PL", locale: "pl", recipients: 100 },
      { country: "us", locale: "en-US", recipients: 10 },
      { country: "PL", locale: "en", recipients: 5 },
      { country: "DE", locale: "de", recipients: 0 },
    ]);
    // Polish: 2 UCS-2 segments x 100 x $0.0418; English: 1 GSM-7 segment x (10 x $0.0083 + 5 x $0.0418).
    expect(e.texts.map((t) => [t.language, t.encoding, t.segments, t.recipients])).toEqual([
      ["pl", "UCS-2", 2, 100],
      ["en", "GSM-7", 1, 15],
    ]);
    expect(e.recipients).toBe(115);
    expect(e.total).toBe(8.652);
    expect(e.perMessage).toBeCloseTo(8.652 / 115, 10);
    expect(e.per1000).toBe(75.234783);
    expect(e.byCountry).toEqual([
      { country: "PL", recipients: 105, cost: 8.569 },
      { country: "US", recipients: 10, cost: 0.083 },
    ]);
    expect(e.currency).toBe("USD");
  });

  it("agrees with estimateSmsCost on the exact body", () => {
    const body = estimatedSmsBody("abandoned_checkout_sms_1", "pl", kawa, "checkout_recovery");
    const e = estimateSmsStep(step, "checkout_recovery", kawa, [{ country: "PL", locale: null, recipients: 120 }]);
    expect(e.total).toBe(estimateSmsCost(body, { PL: 120 }).total);
    expect(e.total).toBe(20.064); // 4 segments x 120 x $0.0418
  });

  it("shows the shop's language and no price when nobody is subscribed", () => {
    const e = estimateSmsStep(step, "shop", small, []);
    expect(e.texts.map((t) => [t.language, t.recipients])).toEqual([["pl", 0]]);
    expect([e.recipients, e.total, e.perMessage, e.per1000]).toEqual([0, 0, null, null]);
  });

  it("takes the dearest A/B variant", () => {
    const audience = [{ country: "PL", locale: "pl", recipients: 10 }];
    // An unknown key renders the neutral "{shop}: {url}": GSM-7, one segment.
    expect(estimateSmsStep({ ...step, templateKeys: ["other_sms"] }, "shop", small, audience).texts[0]).toMatchObject({
      encoding: "GSM-7",
      segments: 1,
    });
    const ab = estimateSmsStep({ ...step, templateKeys: ["other_sms", "abandoned_checkout_sms_1"] }, "shop", small, audience);
    expect(ab.texts[0]).toMatchObject({ templateKey: "abandoned_checkout_sms_1", encoding: "UCS-2", segments: 2 });
    expect(ab.total).toBe(0.836); // 2 x 10 x $0.0418
  });
});

describe("the text an SMS estimate counts for a step with its own text", () => {
  it("is the message editor's text, its Liquid filled with the shop, the link and names of a typical length", () => {
    const texts = { en: "{{ shop.name }}: hi {{ customer.firstName }}{% if x %}!{% endif %} {{ links.recoveryUrl }}" };
    // A tag prints nothing; what it wraps is counted (the estimate errs on the long side).
    expect(ownSmsBody(texts, "en", small, "shop")).toBe("Kawa: hi Aleksandra! https://kawa.pl\nReply STOP to opt out");
    // Polish readers get the English text when the step has no Polish one, as sending does.
    expect(ownSmsBody(texts, "pl", small, "shop")).toBe("Kawa: hi Aleksandra! https://kawa.pl\nRezygnacja: odpisz STOP");
    // A step of its own text is counted by it, not by its template: "ś" makes it UCS-2, two segments with the opt-out line.
    const own = estimateSmsStep({ ...step, ownTexts: { pl: "Kawa czeka: zamów już dziś, zanim zniknie ostatnia paczka" } }, "shop", small, [
      { country: "PL", locale: "pl", recipients: 1 },
    ]);
    expect(own.texts[0]).toMatchObject({ language: "pl", encoding: "UCS-2", segments: 2 });
  });
});

describe("SMS steps of a flow", () => {
  it("finds the abandoned checkout's SMS reminder only when it is enabled", () => {
    expect(estimateFlowSms(buildAbandonedCheckout(), kawa, [])).toBeNull();
    const withSms = buildAbandonedCheckout({ sms: { enabled: true } });
    expect(smsSendSteps(withSms)).toEqual([{ stepId: "send_sms", templateKeys: ["abandoned_checkout_sms_1"], transactional: false }]);
    expect(smsLinkKind(withSms)).toBe("checkout_recovery");
    const e = estimateFlowSms(withSms, kawa, [{ country: "PL", locale: "pl", recipients: 2 }])!;
    expect(e.steps.map((s) => s.stepId)).toEqual(["send_sms"]);
    expect([e.recipients, e.total]).toEqual([2, 4 * 2 * 0.0418]);
  });

  it("sees no SMS in the email flows of the catalogue", () => {
    for (const key of ["welcome", "abandoned_cart", "browse_abandonment", "post_purchase", "win_back"] as const) {
      expect(smsSendSteps(buildCatalogueFlow(key)), key).toEqual([]);
    }
    expect(smsLinkKind(buildCatalogueFlow("welcome"))).toBe("shop");
  });
});

describe("country of a phone number", () => {
  it("reads it from the E.164 number, NANP area codes included", () => {
    expect(phoneCountry("+48601111222")).toBe("PL");
    expect(phoneCountry("+12025550123")).toBe("US");
    expect(phoneCountry("+14165550123")).toBe("CA");
    expect(phoneCountry("+447700900123")).toBe("GB"); // not a valid number: the calling code's main country
    expect(phoneCountry("not a number")).toBeNull();
  });
});
