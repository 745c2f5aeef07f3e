// A send step switched between email and SMS on the flow page: the step stays sendable
// on its new channel (an SMS text per locale, the email restored on the way back), the
// entry consent and the no-consent policy follow the channels, and the change log says
// "Email 2: channel: email → SMS" in English and Polish.
import { describe, expect, it } from "vitest";
import { buildCatalogueFlow } from "~/domain/flows";
import { consentProblems, plainSubject, smsStartContent, type ChannelSources } from "~/domain/flows/channel-switch";
import { diffDefinitions, diffLineText } from "~/domain/flows/definition-diff";
import { applyEdits, channelFormProblems, editableFields, errorsByField } from "~/domain/flows/definition-edits";
import { fieldMessage } from "~/domain/flows/field-errors";
import { flowTimeline } from "~/domain/flows/timeline";
import { validateFlowDefinition, type FlowDefinition, type SendStep } from "~/domain/journey";
import { translator, type Locale } from "~/i18n";

const w = (locale: Locale) => ({ t: translator(locale), locale });
const lines = (a: FlowDefinition, b: FlowDefinition, locale: Locale = "en") => diffDefinitions(a, b, w(locale)).map(diffLineText);
const send = (d: FlowDefinition, id: string) => d.steps.find((s): s is SendStep => s.id === id && s.type === "send")!;
const valid = (input: unknown): FlowDefinition => {
  const r = validateFlowDefinition(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.definition;
};
const toSms: ChannelSources = {
  email: null,
  fallbackEmailKey: "welcome_1",
  subjects: { en: "What makes {{ shop.name }} different", pl: "Co wyróżnia {{ shop.name }}" },
};

const sources = (ids: string[]) => Object.fromEntries(ids.map((id) => [id, toSms]));

describe("switching a send step's channel", () => {
  const welcome = buildCatalogueFlow("welcome", {});

  it("makes email 2 an SMS with a text per locale from its subject, and the flow enters on either consent", () => {
    const v2 = valid(applyEdits(welcome, { "send/send_2/channel": "sms" }, { send_2: toSms }));
    const st = send(v2, "send_2");
    expect(st).toMatchObject({ channel: "sms", templateKey: send(welcome, "send_2").templateKey });
    expect(st.subject).toBeUndefined();
    expect(st.content).toEqual({
      en: { text: "What makes {{ shop.name }} different: {{ links.recoveryUrl }}" },
      pl: { text: "Co wyróżnia {{ shop.name }}: {{ links.recoveryUrl }}" },
    });
    expect(v2.entry.requiresConsent).toBe("any");
    // On two channels a message without consent is skipped: an SMS subscriber must not end at email 1.
    expect(v2.steps.filter((s) => s.type === "send").map((s) => s.onNoConsent)).toEqual(["skip", "skip", "skip", "skip"]);
    expect(consentProblems(v2)).toEqual([]);

    expect(lines(welcome, v2)).toEqual(
      expect.arrayContaining(["Consent needed to enter: Email marketing → Email or SMS marketing", "Email 2: channel: email → SMS"]),
    );
    expect(lines(welcome, v2)).not.toContain("SMS 1 changed");
    expect(lines(welcome, v2, "pl")).toContain("E-mail 2: kanał: e-mail → SMS");
    // The switched step keeps its old name in every line; the two "Email 2"s after it changed alike read as one line.
    expect(lines(welcome, v2)).toEqual([
      "Consent needed to enter: Email marketing → Email or SMS marketing",
      "Email 1: without consent: end the flow → skip the message",
      "Email 2: channel: email → SMS",
      "Email 2: without consent: end the flow → skip the message",
    ]);
  });

  it("starts from the catalogue's SMS for a flow that has one", () => {
    const checkout = buildCatalogueFlow("abandoned_checkout", {});
    const v2 = valid(applyEdits(checkout, { "send/send_2/channel": "sms" }, { send_2: toSms }));
    expect(send(v2, "send_2")).toMatchObject({
      channel: "sms",
      templateKey: "abandoned_checkout_sms_1",
      content: { en: { text: "{{ shop.name }}: your order is waiting. Finish it here: {{ links.recoveryUrl }}" } },
    });
    expect(smsStartContent("abandoned_checkout", toSms.subjects).pl?.text).toContain("Twoje zamówienie czeka");
  });

  it("round trip: email -> SMS -> email restores the email, the consent and the no-consent policy", () => {
    const edited = { ...send(welcome, "send_2"), subject: "Our story", content: undefined };
    const v1 = valid({ ...welcome, steps: welcome.steps.map((s) => (s.id === "send_2" ? edited : s)) });
    const v2 = valid(applyEdits(v1, { "send/send_2/channel": "sms" }, { send_2: toSms }));
    const back: ChannelSources = { ...toSms, email: { templateKey: edited.templateKey, subject: "Our story" } };
    const v3 = valid(applyEdits(v2, { "send/send_2/channel": "email" }, { send_2: back }));
    expect(send(v3, "send_2")).toEqual(send(v1, "send_2"));
    expect(v3.entry).toEqual(v1.entry);
    // Only the edited mark tells them apart.
    expect(lines(v1, v3)).toEqual([]);
    expect(lines(v2, v3)).toEqual(expect.arrayContaining(["SMS 1: channel: SMS → email"]));
  });

  it("back to email without a history or catalogue email falls back to an email of the flow, still valid", () => {
    const checkout = buildCatalogueFlow("abandoned_checkout", { sms: { enabled: true } });
    const v2 = valid(
      applyEdits(checkout, { "send/send_sms/channel": "email" }, { send_sms: { ...toSms, fallbackEmailKey: "abandoned_checkout_1" } }),
    );
    expect(send(v2, "send_sms")).toMatchObject({ channel: "email", templateKey: "abandoned_checkout_1" });
    expect(v2.entry.requiresConsent).toBe("email");
    expect(send(v2, "send_1").onNoConsent).toBe("exit");
    // Without the server's sources: another email of the flow, never the SMS template.
    expect(send(valid(applyEdits(checkout, { "send/send_sms/channel": "email" })), "send_sms").templateKey).toBe("abandoned_checkout_1");
  });

  it("keeps the merchant's own consent choice of the same save, and the check says when it does not fit", () => {
    const v2 = valid(applyEdits(welcome, { "send/send_2/channel": "sms", "entry/consent": "sms" }, { send_2: toSms }));
    expect(v2.entry.requiresConsent).toBe("sms");
    expect(consentProblems(v2)).toEqual([]);
    // Every message an SMS (a series without the welcome code).
    const plain = buildCatalogueFlow("welcome", { incentive: { enabled: false } });
    const plainSends = plain.steps.flatMap((st) => (st.type === "send" ? [st.id] : []));
    expect(plainSends).toEqual(["send_1", "send_2", "send_3"]);
    const allSms = valid(applyEdits(plain, Object.fromEntries(plainSends.map((id) => [`send/${id}/channel`, "sms"])), sources(plainSends)));
    expect(allSms.entry.requiresConsent).toBe("sms");
    expect(consentProblems({ ...allSms, entry: { ...allSms.entry, requiresConsent: "email" } })).toEqual([
      { path: "entry.requiresConsent", message: "the flow's messages are SMS only: entry needs SMS consent" },
    ]);
    expect(consentProblems({ ...allSms, entry: { ...allSms.entry, requiresConsent: "any" } })).toHaveLength(1);
    expect(errorsByField(consentProblems({ ...allSms, entry: { ...allSms.entry, requiresConsent: "email" } }))).toEqual({
      "entry/consent": ["the flow's messages are SMS only: entry needs SMS consent"],
    });
    expect(consentProblems({ ...allSms, entry: { ...allSms.entry, requiresConsent: "none" } })).toEqual([]);
  });

  it("switches a message that carries a discount code to SMS: its text ends with the code, and it keeps the code", () => {
    // Either channel prints the code: it is created when the message is sent.
    expect(send(welcome, "send_3_offer").discountStepId).toBe("discount_1");
    expect(editableFields(welcome).send_3_offer!.send).toMatchObject({ channel: "email", locked: null });
    expect(channelFormProblems(welcome, { "send/send_3_offer/channel": "sms" })).toEqual([]);
    const v2 = valid(applyEdits(welcome, { "send/send_3_offer/channel": "sms" }, sources(["send_3_offer"])));
    expect(send(v2, "send_3_offer")).toMatchObject({
      channel: "sms",
      discountStepId: "discount_1",
      content: {
        en: { text: "What makes {{ shop.name }} different: {{ links.recoveryUrl }} Your code: {{ discount.code }}" },
        pl: { text: "Co wyróżnia {{ shop.name }}: {{ links.recoveryUrl }} Twój kod: {{ discount.code }}" },
      },
    });
    expect(lines(welcome, v2)).toContain("Email 3: channel: email → SMS");
    // Without a discount the text has no code line.
    expect(smsStartContent("welcome", toSms.subjects).en?.text).not.toContain("discount");
    // Back to email: the discount step is still the one it carries.
    const v3 = valid(applyEdits(v2, { "send/send_3_offer/channel": "email" }, sources(["send_3_offer"])));
    expect(send(v3, "send_3_offer")).toMatchObject({ channel: "email", discountStepId: "discount_1" });
    // The lock's words are gone from both languages; the A/B test's stay.
    const pl = { t: translator("pl"), locale: "pl" as const };
    expect(fieldMessage("end the step's A/B test before switching its channel", "send/send_2/channel", pl)).toBe(
      "Zakończ test A/B tej wiadomości, zanim zmienisz jej kanał.",
    );
    expect(fieldMessage("the flow's messages are SMS only: entry needs SMS consent", "entry/consent", pl)).toBe(
      "Wiadomości tego przepływu to wyłącznie SMS-y: wejście wymaga zgody na SMS.",
    );
  });

  it("refuses to switch a step running an A/B test, next to the step", () => {
    const tested = valid({
      ...welcome,
      steps: welcome.steps.map((s) =>
        s.id === "send_2"
          ? {
              ...s,
              variants: [
                { key: "a", weight: 1 },
                { key: "b", weight: 1, subject: "Hello" },
              ],
            }
          : s,
      ),
    });
    expect(editableFields(tested).send_2!.send).toMatchObject({ channel: "email", locked: "abTest" });
    expect(channelFormProblems(tested, { "send/send_2/channel": "sms" })).toEqual([
      { path: "steps[3] (send_2).channel", message: "end the step's A/B test before switching its channel" },
    ]);
    // Shown under the step's channel field.
    expect(errorsByField(channelFormProblems(tested, { "send/send_2/channel": "sms" }))).toEqual({
      "send/send_2/channel": ["end the step's A/B test before switching its channel"],
    });
    expect(send(applyEdits(tested, { "send/send_2/channel": "sms" }) as FlowDefinition, "send_2").channel).toBe("email");
  });

  it("the timeline shows each send's channel", () => {
    const v2 = valid(applyEdits(welcome, { "send/send_2/channel": "sms" }, { send_2: toSms }));
    const sends = flowTimeline(v2, w("en")).filter((r) => r.kind === "send");
    expect(sends.map((r) => [r.name, r.channel])).toEqual([
      ["Email 1", "email"],
      ["SMS 1", "sms"],
      ["Email 2", "email"],
      ["Email 2", "email"],
    ]);
  });

  it("a subject's Liquid becomes words an SMS can carry", () => {
    const welcome1 = "Welcome to {{ shop.name }}{% if customer.firstName %}, {{ customer.firstName }}{% endif %}!";
    expect(smsStartContent("welcome", { en: welcome1, pl: "" })).toEqual({
      en: { text: "Welcome to {{ shop.name }}! {{ links.recoveryUrl }}" },
      // No subject at all still makes a sendable text.
      pl: { text: "{{ shop.name }}: {{ links.recoveryUrl }}" },
    });
    expect(plainSubject("Welcome to {{ shop.name }}{% if customer.firstName %}, {{ customer.firstName }}{% endif %}!")).toBe(
      "Welcome to {{ shop.name }}!",
    );
    expect(
      plainSubject("{% if items.size > 0 %}Still thinking about {{ items.first.title }}?{% else %}Still thinking it over?{% endif %}"),
    ).toBe("Still thinking it over?");
  });
});
