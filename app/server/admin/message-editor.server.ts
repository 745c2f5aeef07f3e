import type { Customer, Flow, Shop } from "@prisma/client";
import { z } from "zod";
import { parseFlowDefinition, type CreateDiscountStep, type FlowDefinition, type SendStep } from "~/domain/journey";
import { EMAIL_CATALOGUE, isEmailTemplateKey } from "~/domain/messages/catalogue";
import { sampleDiscountCode } from "~/domain/messages/discount-code";
import { discountView } from "~/domain/messages/email-view";
import {
  contentProblems,
  emailContentFor,
  MessageContent,
  smsTextFor,
  variablesFor,
  type ContentBlock,
  type LocaleContent,
} from "~/domain/messages/message-content";
import { smsCatalogueLiquid } from "~/domain/messages/sms-catalogue";
import { estimateSmsCost } from "~/domain/sms/cost";
import { withOptOutFooter } from "~/domain/sms/opt-out";
import { countSmsSegments } from "~/domain/sms/segments";
import { SMS_LINK_CODE_LENGTH } from "~/domain/sms/short-links";
import { translator, type Locale } from "~/i18n";
import { contentTemplateProblems, renderSmsContent, TemplateError } from "../channels/email/content-template.server";
import { readStringTable } from "../channels/email/template-files.server";
import { mailTransport } from "../channels/email/transport.server";
import { shopSmsSettings } from "../channels/sms/shop-settings.server";
import { smsProvider } from "../channels/sms/sms-provider.server";
import { now } from "../clock.server";
import { appBaseUrl } from "../config.server";
import { db } from "../db/client.server";
import { FlowChangedError, saveFlowDefinition } from "../journeys/flows.server";
import { composeSample, internalAddresses, sampleMessage, TestSendRefused } from "./message-preview.server";
import { smsAudience } from "./sms-estimate.server";

// The message editor (/app/flows/<flowId>/messages/<stepId>): one send step's own
// content, previewed through the real pipeline, checked, saved as a new flow version,
// and test-sent to the shop's internal recipients. Every lookup is by the shop's id:
// another shop's flow id is "not found".

export interface FieldError {
  /** locale.field, e.g. en.subject, pl.blocks[2].text; "" = the message as a whole. */
  path: string;
  message: string;
}

export interface MessageStep {
  flow: Flow;
  version: number;
  definition: FlowDefinition;
  step: SendStep;
}

/** The step of the flow's current definition (the active version, else the latest), or null. */
export async function loadMessageStep(shopId: string, flowId: string, stepId: string): Promise<MessageStep | null> {
  const flow = await db().flow.findFirst({ where: { id: flowId, shopId } });
  if (!flow) return null;
  const row = flow.activeVersionId
    ? await db().flowVersion.findFirst({ where: { id: flow.activeVersionId, shopId, flowId: flow.id } })
    : await db().flowVersion.findFirst({ where: { shopId, flowId: flow.id }, orderBy: { version: "desc" } });
  if (!row) return null;
  const definition = parseFlowDefinition(row.definition);
  const step = definition.steps.find((s): s is SendStep => s.id === stepId && s.type === "send");
  return step ? { flow, version: row.version, definition, step } : null;
}

/** The step's own content, else the catalogue template's words as blocks: editing starts from what customers get today. */
export function startingContent(step: SendStep): MessageContent {
  if (step.content) return step.content;
  if (step.channel === "sms")
    return { en: { text: smsCatalogueLiquid(step.templateKey, "en") }, pl: { text: smsCatalogueLiquid(step.templateKey, "pl") } };
  return { en: catalogueAsBlocks(step, "en"), pl: catalogueAsBlocks(step, "pl") };
}

function catalogueAsBlocks(step: SendStep, locale: Locale): LocaleContent {
  const key = isEmailTemplateKey(step.templateKey) ? step.templateKey : "welcome_1";
  const entry = EMAIL_CATALOGUE[key];
  const table = readStringTable(locale);
  const own = table.messages[key] ?? {};
  const s = (name: string) =>
    (own[name] ?? table.common[name] ?? "").replace(/\[\[t\.(\w+)\]\]/g, (_, n: string) => own[n] ?? table.common[n] ?? "");
  const blocks: ContentBlock[] = [];
  for (const block of entry.blocks) {
    if (block === "hero")
      blocks.push({ type: "text", style: "heading", text: s("heading") }, { type: "text", style: "paragraph", text: s("intro") });
    if (block === "items") blocks.push({ type: "products" });
    if (block === "body" && s("body")) blocks.push({ type: "text", style: "paragraph", text: s("body") });
    if (block === "discount" && step.discountStepId) blocks.push({ type: "discount" });
    if (block === "cta") blocks.push({ type: "button", label: s("cta"), target: entry.cta === "recoveryUrl" ? "recovery" : "home" });
    if (block === "signoff") blocks.push({ type: "text", style: "paragraph", text: s("signoff") });
  }
  if (step.purpose === "marketing") blocks.push({ type: "footer" });
  return { subject: step.subject ?? s("subject"), preheader: s("preheader"), blocks };
}

/** Every problem of a draft, each with the field it belongs to. */
export function draftProblems(step: SendStep, raw: unknown): { content: MessageContent | null; errors: FieldError[] } {
  const parsed = MessageContent.safeParse(raw);
  if (!parsed.success) {
    return {
      content: null,
      errors: parsed.error.issues.map((i) => ({
        path: i.path
          .map((p) => (typeof p === "number" ? `[${p}]` : String(p)))
          .join(".")
          .replace(/\.\[/g, "["),
        message: i.message,
      })),
    };
  }
  const content = parsed.data;
  const errors: FieldError[] = [
    ...contentProblems(content, step),
    ...contentTemplateProblems(content, step.channel, Boolean(step.discountStepId)).map((p) => ({
      path: `${p.locale}.${p.field}`,
      message: p.message,
    })),
  ];
  return { content, errors };
}

export interface PreviewInput {
  content: unknown;
  locale: Locale;
  customerId?: string | null;
}

export type EmailPreview = { channel: "email"; subject: string; html: string; errors: FieldError[] };
export type SmsPreview = {
  channel: "sms";
  body: string;
  segments: number;
  encoding: "GSM-7" | "UCS-2";
  units: number;
  perSegment: number;
  nonGsmCharacters: string[];
  cost: { currency: string; total: number; recipients: number; perMessage: number };
  errors: FieldError[];
};

/**
 * The draft as the chosen customer (of this shop) or a sample one would get it, through
 * the real pipeline. `definition`: the step's flow, whose discount step shapes an SMS's
 * sample code (its prefix, value and validity).
 */
export async function previewDraft(
  shop: Shop,
  step: SendStep,
  input: PreviewInput,
  definition?: Pick<FlowDefinition, "steps">,
): Promise<EmailPreview | SmsPreview> {
  const { content, errors } = draftProblems(step, input.content);
  const customer = input.customerId ? await db().customer.findFirst({ where: { id: input.customerId, shopId: shop.id } }) : null;
  if (step.channel === "sms") return smsPreview(shop, step, content, input.locale, customer, errors, definition);
  if (!content || errors.length) return { channel: "email", subject: "", html: "", errors };
  try {
    const composed = await composeDraft(
      shop,
      step,
      content,
      input.locale,
      customer,
      customer?.email ?? shop.senderEmail ?? `preview@${shop.domain}`,
    );
    return { channel: "email", subject: composed.rendered.subject, html: composed.rendered.html, errors };
  } catch (err) {
    if (err instanceof TemplateError)
      return {
        channel: "email",
        subject: "",
        html: "",
        errors: err.problems.map((p) => ({ path: `${input.locale}.${p.field}`, message: p.message })),
      };
    throw err;
  }
}

async function composeDraft(shop: Shop, step: SendStep, content: MessageContent, locale: Locale, customer: Customer | null, to: string) {
  const c = emailContentFor(content, locale);
  const message = await sampleMessage(shop, step.templateKey, locale, to, {
    purpose: step.purpose,
    items: Boolean(c?.blocks.some((b) => b.type === "products")),
    payload: { content, ...(step.discountStepId ? {} : { discount: null }) },
  });
  return composeSample(message, shop, locale, customer);
}

async function smsPreview(
  shop: Shop,
  step: SendStep,
  content: MessageContent | null,
  locale: Locale,
  customer: Customer | null,
  errors: FieldError[],
  definition?: Pick<FlowDefinition, "steps">,
): Promise<SmsPreview> {
  const text = content ? smsTextFor(content, locale) : null;
  let body = "";
  if (text && errors.length === 0) {
    // The link as it goes out: every URL becomes a short tracked link of this length.
    const link = `${appBaseUrl()}/s/${"x".repeat(SMS_LINK_CODE_LENGTH)}`;
    const firstName = customer?.firstName ?? (locale === "pl" ? "Anna" : "Alex");
    const lastName = customer?.lastName ?? "";
    try {
      body = renderSmsContent(text, {
        shop: { name: shop.name, url: link },
        customer: { firstName, lastName, fullName: [firstName, lastName].filter(Boolean).join(" ") },
        links: { recoveryUrl: link },
        // As an email's preview shows one: a sample code as long as the real ones, so
        // the segments and the cost count it.
        ...(step.discountStepId ? { discount: sampleDiscount(shop, step.discountStepId, locale, definition) } : {}),
      });
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      errors = err.problems.map((p) => ({ path: `${locale}.${p.field}`, message: p.message }));
    }
    if (body && step.purpose === "marketing") body = withOptOutFooter(body, locale);
  }
  const count = countSmsSegments(body);
  const byCountry: Record<string, number> = {};
  for (const g of await smsAudience(shop.id)) byCountry[g.country] = (byCountry[g.country] ?? 0) + g.recipients;
  const cost = estimateSmsCost(body, byCountry);
  const perMessage = cost.recipients > 0 ? cost.total / cost.recipients : 0;
  return {
    channel: "sms",
    body,
    segments: count.segments,
    encoding: count.encoding,
    units: count.units,
    perSegment: count.perSegment,
    nonGsmCharacters: count.nonGsmCharacters,
    cost: { currency: cost.currency, total: cost.total, recipients: cost.recipients, perMessage },
    errors,
  };
}

/** A code like the ones the step's discount step creates, labelled as the send will label it. */
function sampleDiscount(shop: Shop, discountStepId: string, locale: Locale, definition?: Pick<FlowDefinition, "steps">) {
  const d = definition?.steps.find((s): s is CreateDiscountStep => s.id === discountStepId && s.type === "create_discount");
  const hours = d?.expiresInHours ?? 72;
  return discountView(
    {
      code: sampleDiscountCode(d?.prefix ?? "PREVIEW"),
      kind: d?.kind ?? "percentage",
      value: d?.value ?? 10,
      expiresAt: new Date(now().getTime() + hours * 3_600_000),
    },
    shop.currency,
    locale,
  );
}

export class DraftRefused extends Error {
  /** conflict: the flow has a newer version than the one the editor opened; nothing is wrong with the draft. */
  constructor(
    readonly errors: FieldError[],
    readonly conflict = false,
  ) {
    super(errors.map((e) => `${e.path}: ${e.message}`).join("; "));
    this.name = "DraftRefused";
  }
}

/**
 * Saves the step's content as a new flow version (running enrollments keep theirs).
 * Refused, with the errors, when anything does not check or render; refused too when
 * the flow got a newer version since the editor opened (nothing is overwritten).
 */
export async function saveMessageContent(
  shop: Shop,
  loaded: MessageStep,
  input: { content: unknown; baseVersion: number; note: string | null },
  actor: string,
  locale: Locale = "en",
): Promise<number> {
  const { content, errors } = draftProblems(loaded.step, input.content);
  if (!content || errors.length) throw new DraftRefused(errors);
  if (input.baseVersion !== loaded.version) throw changedSince(loaded.version, locale);
  // Render each locale once for real: the same check the dispatcher makes before a send.
  if (loaded.step.channel === "email")
    for (const locale of ["en", "pl"] as const) {
      if (!content[locale]) continue;
      try {
        await composeDraft(shop, loaded.step, content, locale, null, shop.senderEmail ?? `preview@${shop.domain}`);
      } catch (err) {
        if (err instanceof TemplateError)
          throw new DraftRefused(err.problems.map((p) => ({ path: `${locale}.${p.field}`, message: p.message })));
        throw err;
      }
    }
  const definition = {
    ...loaded.definition,
    steps: loaded.definition.steps.map((s) => (s.id === loaded.step.id ? { ...s, content } : s)),
  };
  const note = input.note?.trim() || `Message "${loaded.step.label ?? loaded.step.id}" edited`;
  try {
    return await saveFlowDefinition(
      shop.id,
      loaded.flow.key,
      definition,
      actor,
      note,
      { stepId: loaded.step.id, before: loaded.step.content ?? null, after: content },
      // Checked again under the flow's lock: a save between the check above and this one is not overwritten.
      loaded.flow.activeVersionId ?? undefined,
    );
  } catch (err) {
    if (err instanceof FlowChangedError) throw changedSince(err.activeVersion, locale);
    throw err;
  }
}

function changedSince(version: number | null, locale: Locale): DraftRefused {
  return new DraftRefused([{ path: "", message: translator(locale)("flow.error.changed", { version: version ?? "—" }) }], true);
}

/** The shop's own phones for test texts (Shop.settings.testPhones, E.164). */
export function internalPhones(shop: Shop): string[] {
  const listed = z.object({ testPhones: z.array(z.string().regex(/^\+[1-9]\d{6,14}$/)).default([]) }).safeParse(shop.settings ?? {});
  return listed.success ? [...new Set(listed.data.testPhones)] : [];
}

/** A test of the draft to one of the shop's internal recipients, audited; never through the outbox. */
export async function sendDraftTest(
  shop: Shop,
  step: SendStep,
  input: { content: unknown; locale: Locale; to: string },
  actor: string,
  definition?: Pick<FlowDefinition, "steps">,
): Promise<void> {
  const { content, errors } = draftProblems(step, input.content);
  if (!content || errors.length) throw new DraftRefused(errors);
  const to = input.to.trim().toLowerCase();
  if (step.channel === "email") {
    if (!internalAddresses(shop).includes(to))
      throw new TestSendRefused(
        `Test sends go only to the shop's internal addresses: ${internalAddresses(shop).join(", ") || "(none configured)"}`,
      );
    const composed = await composeDraft(shop, step, content, input.locale, null, to);
    await mailTransport().sendMail({ ...composed.mail, subject: `[TEST] ${composed.mail.subject}` });
  } else {
    if (!internalPhones(shop).includes(to))
      throw new TestSendRefused(
        `Test texts go only to the shop's internal numbers: ${internalPhones(shop).join(", ") || "(none configured)"}`,
      );
    const provider = smsProvider();
    if (!provider) throw new TestSendRefused("SMS is not set up for this shop");
    const preview = await smsPreview(shop, step, content, input.locale, null, [], definition);
    if (preview.errors.length || !preview.body) throw new DraftRefused(preview.errors);
    const sender = shopSmsSettings(shop);
    await provider.send({ to, body: `[TEST] ${preview.body}`, from: sender.fromNumber, messagingServiceSid: sender.messagingServiceSid });
  }
  await db().auditLog.create({
    data: {
      shopId: shop.id,
      actor,
      action: "message.test_sent",
      subjectType: "flow",
      details: { stepId: step.id, channel: step.channel, locale: input.locale, to: "internal" },
      at: now(),
    },
  });
}

/** The shop's customers a merchant may preview as (the newest, with an address for the channel). */
export async function previewCustomers(shopId: string, channel: "email" | "sms") {
  const rows = await db().customer.findMany({
    where: { shopId, mergedIntoId: null, redactedAt: null, ...(channel === "email" ? { email: { not: null } } : { phone: { not: null } }) },
    orderBy: { createdAt: "desc" },
    take: 25,
    select: { id: true, firstName: true, lastName: true, email: true, phone: true },
  });
  return rows.map((c) => ({
    id: c.id,
    label: [[c.firstName, c.lastName].filter(Boolean).join(" "), channel === "email" ? c.email : c.phone].filter(Boolean).join(" · "),
  }));
}

export function editorVariables(step: SendStep): string[] {
  return variablesFor(step.channel, Boolean(step.discountStepId)).map((v) => v.path);
}
