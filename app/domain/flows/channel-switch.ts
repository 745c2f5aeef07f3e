import type { FlowDefinition, SendStep } from "../journey/schema";
import type { ValidationError } from "../journey/validate";
import { type ContentLocale, type MessageContent } from "../messages/message-content";
import { isSmsTemplateKey, smsCatalogueLiquid, smsDiscountLiquid } from "../messages/sms-catalogue";

// Switching a send step between email and SMS on the flow page. The step must stay
// sendable on its new channel: an SMS gets a text per locale (the catalogue's SMS for
// the flow, else a short one made from the email's subject, which the merchant then
// edits in the message editor; with the step's discount code when it carries one), an
// email gets back the content it had (the version history's, else the catalogue's),
// which the server looks up and passes in. The flow's entry consent follows the
// channels its messages use.

export type SendChannel = "email" | "sms";

/** An email a step switched back from SMS gets: what it had before, found by the server. */
export interface EmailRestore {
  templateKey: string;
  subject?: string;
  content?: MessageContent;
}

export interface ChannelSources {
  /** The email to restore (version history, else the catalogue), or null when neither has one. */
  email: EmailRestore | null;
  /** An email template of the flow to fall back to when `email` is null. */
  fallbackEmailKey: string;
  /** The email's subject line per locale, for an SMS text without a catalogue one. */
  subjects: Record<ContentLocale, string>;
}

/** The catalogue's SMS template for a flow, e.g. abandoned_checkout_sms_1, when it has one. */
export function catalogueSmsKey(flowKey: string): string | null {
  const key = `${flowKey}_sms_1`;
  return isSmsTemplateKey(key) ? key : null;
}

/**
 * A subject line as plain words an SMS may carry: a Liquid `if … else … endif` keeps
 * its else part (it needs nothing the SMS lacks), an `if` without else is dropped
 * (an optional part such as ", {{ customer.firstName }}"), and so is any output
 * other than the shop's name or the customer's.
 */
export function plainSubject(subject: string): string {
  return subject
    .replace(/\{%-?\s*if\b[^%]*-?%\}[\s\S]*?\{%-?\s*else\s*-?%\}([\s\S]*?)\{%-?\s*endif\s*-?%\}/g, "$1")
    .replace(/\{%-?\s*(if|unless)\b[^%]*-?%\}[\s\S]*?\{%-?\s*end(if|unless)\s*-?%\}/g, "")
    .replace(/\{%[\s\S]*?%\}/g, "")
    .replace(/\{\{\s*([^}|\s]+)[^}]*\}\}/g, (all, path: string) =>
      ["shop.name", "customer.firstName"].includes(path) ? `{{ ${path} }}` : "",
    )
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * The SMS a step switched from email starts with, per locale: the catalogue's, else its
 * subject and the link; a step that carries a discount code says the code last (the
 * dispatcher prints it once Shopify has created it).
 */
export function smsStartContent(flowKey: string, subjects: Record<ContentLocale, string>, withDiscount = false): MessageContent {
  const key = catalogueSmsKey(flowKey);
  const base = (locale: ContentLocale) => {
    if (key) return smsCatalogueLiquid(key, locale);
    const subject = plainSubject(subjects[locale]);
    const words = subject.includes("{{ shop.name }}") ? subject : subject ? `{{ shop.name }}: ${subject}` : "{{ shop.name }}";
    // "…different: <link>", but "Welcome to Kawa! <link>": the link reads as the text's end.
    return `${words}${/[.!?:]$/.test(words) ? "" : ":"} {{ links.recoveryUrl }}`.replace(/\s+/g, " ").trim();
  };
  const text = (locale: ContentLocale) => (withDiscount ? `${base(locale)} ${smsDiscountLiquid(locale)}` : base(locale));
  return { en: { text: text("en") }, pl: { text: text("pl") } };
}

/** The step on its new channel (a JSON copy; the caller validates the definition). */
export function switchSendChannel(step: SendStep, to: SendChannel, flowKey: string, sources: ChannelSources): SendStep {
  if (step.channel === to) return step;
  // The message's own words do not carry over: an SMS has a text, an email a subject and blocks.
  const { subject: _subject, content: _content, ...rest } = step;
  if (to === "sms")
    return {
      ...rest,
      channel: "sms",
      templateKey: catalogueSmsKey(flowKey) ?? step.templateKey,
      content: smsStartContent(flowKey, sources.subjects, Boolean(step.discountStepId)),
    };
  const email = sources.email;
  return {
    ...rest,
    channel: "email",
    templateKey: email?.templateKey ?? sources.fallbackEmailKey,
    ...(email?.subject !== undefined ? { subject: email.subject } : {}),
    ...(email?.content !== undefined ? { content: email.content } : {}),
  };
}

/** The consent check's messages, by the one channel the messages use (field-errors.ts translates them). */
export const CONSENT_MISMATCH = {
  sms: "the flow's messages are SMS only: entry needs SMS consent",
  email: "the flow's messages are emails only: entry needs email consent",
} as const satisfies Record<SendChannel, string>;

/** The refusals' schema-style messages; the flow page shows them in the merchant's language (field-errors.ts). */
export const SWITCH_REFUSALS = {
  abTest: "end the step's A/B test before switching its channel",
} as const;

export type SwitchLock = keyof typeof SWITCH_REFUSALS;

/** Which refusal holds the step on its channel, or null. */
export function switchLock(step: SendStep): SwitchLock | null {
  // An A/B test's variants are messages of the step's channel; its figures would mix two channels.
  // A discount code is no lock: either channel prints it, created when the message is sent.
  if (step.variants) return "abTest";
  return null;
}

/** Why a step cannot switch channel as it is, or null. */
export function switchRefusal(step: SendStep): string | null {
  const lock = switchLock(step);
  return lock ? SWITCH_REFUSALS[lock] : null;
}

/** The channels the flow's marketing messages use. */
export function marketingChannels(def: Pick<FlowDefinition, "steps">): Set<SendChannel> {
  return new Set(def.steps.flatMap((s) => (s.type === "send" && s.purpose === "marketing" ? [s.channel] : [])));
}

/**
 * After a channel switch: the consent entry asks for follows the channels the flow's
 * messages use (email, sms, or either when both), unless it is "none". A flow on both
 * channels skips a message its customer has no consent for rather than ending there;
 * back on one channel it ends there again, as the catalogue's flows do, since nothing
 * else could reach them.
 */
export function alignConsent(before: FlowDefinition, after: FlowDefinition): void {
  const channels = marketingChannels(after);
  if (channels.size === 0) return;
  const both = channels.size === 2;
  if (after.entry.requiresConsent !== "none") after.entry.requiresConsent = both ? "any" : [...channels][0]!;
  const wasBoth = marketingChannels(before).size === 2;
  if (both === wasBoth) return;
  for (const st of after.steps) if (st.type === "send" && st.purpose === "marketing") st.onNoConsent = both ? "skip" : "exit";
}

/**
 * The consent entry asks for against the channels the messages use: entering on a
 * consent no message uses lets in customers the flow cannot reach, and keeps out those
 * it could.
 */
export function consentProblems(def: FlowDefinition): ValidationError[] {
  const channels = marketingChannels(def);
  const need = def.entry.requiresConsent;
  if (channels.size === 0 || need === "none") return [];
  if (need === "any" ? channels.size === 2 : channels.has(need)) return [];
  const only = [...channels][0]!;
  return [
    {
      path: "entry.requiresConsent",
      message: CONSENT_MISMATCH[only],
    },
  ];
}
