import { z } from "zod";

// A send step's own message (SendStep.content), written in the message editor and
// stored in the flow definition, so it is versioned with the flow. Per locale: an
// email is a subject, a preheader and content blocks; an SMS is a text. Every text
// may use Liquid over the same view the catalogue templates read (MESSAGE_VARIABLES).
// Links are never free URLs: a button names one of the shop's own targets, and an
// image is only a picture (https), never a link.

export const CONTENT_LOCALES = ["en", "pl"] as const;
export type ContentLocale = (typeof CONTENT_LOCALES)[number];

const Liquidish = (max: number, what: string) =>
  z
    .string({ error: `${what} is required` })
    .max(max, `${what} is at most ${max} characters`)
    .refine((s) => !s.includes("[["), `${what} cannot contain "[["`);

export const TextBlock = z.strictObject({
  type: z.literal("text"),
  style: z.enum(["heading", "paragraph"]).default("paragraph"),
  text: Liquidish(5000, "the text").pipe(z.string().trim().min(1, "a text block cannot be empty")),
});

export const ImageBlock = z.strictObject({
  type: z.literal("image"),
  src: z
    .string()
    .max(2000)
    .refine((s) => isHttpsUrl(s), "an image is an https:// address"),
  alt: z.string().trim().min(1, "describe the image (alt text) for readers who cannot see it").max(300),
});

/** Where a button may lead: the shop's own pages only (shop-links.ts checks them again when sending). */
export const BUTTON_TARGETS = ["recovery", "home", "product"] as const;
export type ButtonTarget = (typeof BUTTON_TARGETS)[number];

export const ProductHandle = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,254}$/, "a product is named by its handle (lower-case letters, digits, -)");

export const ButtonBlock = z
  .strictObject({
    type: z.literal("button"),
    label: Liquidish(80, "the button label").pipe(z.string().trim().min(1, "a button needs a label")),
    target: z.enum(BUTTON_TARGETS, { error: "a button leads to the cart or checkout, the shop's home page or a product" }),
    productHandle: ProductHandle.optional(),
  })
  .refine((b) => b.target !== "product" || b.productHandle, { message: "choose the product the button leads to", path: ["productHandle"] });

export const ProductsBlock = z.strictObject({
  type: z.literal("products"),
  title: Liquidish(120, "the title").optional(),
});

export const DiscountBlock = z.strictObject({ type: z.literal("discount") });
export const FooterBlock = z.strictObject({ type: z.literal("footer") });

export const ContentBlock = z.discriminatedUnion("type", [TextBlock, ImageBlock, ButtonBlock, ProductsBlock, DiscountBlock, FooterBlock]);
export type ContentBlock = z.infer<typeof ContentBlock>;
export type ContentBlockType = ContentBlock["type"];
export const BLOCK_TYPES: readonly ContentBlockType[] = ["text", "image", "button", "products", "discount", "footer"];

/**
 * One locale's message. Email: subject, preheader, blocks. SMS: text. One shape for
 * both so errors name the field; contentProblems() checks what the channel needs.
 */
export const LocaleContent = z.strictObject({
  subject: Liquidish(200, "the subject").optional(),
  preheader: Liquidish(200, "the preheader").optional(),
  blocks: z.array(ContentBlock).max(40, "an email has at most 40 blocks").optional(),
  text: Liquidish(1000, "the text").optional(),
});
export type LocaleContent = z.infer<typeof LocaleContent>;

export const MessageContent = z.strictObject({ en: LocaleContent.optional(), pl: LocaleContent.optional() });
export type MessageContent = z.infer<typeof MessageContent>;

export interface EmailLocaleContent {
  subject: string;
  preheader: string;
  blocks: ContentBlock[];
}

/** The locale's own content, else the other one: a message is never sent empty. */
export function contentFor(content: MessageContent, locale: string): LocaleContent | null {
  const lang: ContentLocale = locale.toLowerCase().startsWith("pl") ? "pl" : "en";
  return content[lang] ?? content[lang === "pl" ? "en" : "pl"] ?? null;
}

export function emailContentFor(content: MessageContent, locale: string): EmailLocaleContent | null {
  const c = contentFor(content, locale);
  return c?.subject && c.blocks ? { subject: c.subject, preheader: c.preheader ?? "", blocks: c.blocks } : null;
}

export function smsTextFor(content: MessageContent, locale: string): string | null {
  return contentFor(content, locale)?.text ?? null;
}

/** What the channel needs, beyond each field's shape; paths are relative to the step's `content`. */
export function contentProblems(
  content: MessageContent,
  step: { channel: "email" | "sms"; purpose: "marketing" | "transactional"; discountStepId?: string },
): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if (!content.en && !content.pl) out.push({ path: "", message: "write the message in English or Polish" });
  for (const locale of CONTENT_LOCALES) {
    const c = content[locale];
    if (!c) continue;
    if (step.channel === "sms") {
      if (!c.text?.trim()) out.push({ path: `${locale}.text`, message: "an SMS cannot be empty" });
      for (const f of ["subject", "preheader", "blocks"] as const)
        if (c[f] !== undefined) out.push({ path: `${locale}.${f}`, message: "an SMS has only a text" });
      continue;
    }
    if (c.text !== undefined) out.push({ path: `${locale}.text`, message: "an email has a subject and blocks, not a text" });
    if (!c.subject?.trim()) out.push({ path: `${locale}.subject`, message: "a subject line cannot be empty" });
    const blocks = c.blocks ?? [];
    if (blocks.length === 0) out.push({ path: `${locale}.blocks`, message: "an email needs at least one block" });
    const footers = blocks.filter((b) => b.type === "footer").length;
    if (step.purpose === "marketing" && footers === 0)
      out.push({ path: `${locale}.blocks`, message: "a marketing email keeps its footer (unsubscribe link and postal address)" });
    if (footers > 1) out.push({ path: `${locale}.blocks`, message: "an email has one footer" });
    blocks.forEach((b, i) => {
      if (b.type === "discount" && !step.discountStepId)
        out.push({ path: `${locale}.blocks[${i}]`, message: "a discount block needs the step to carry a discount code" });
    });
  }
  return out;
}

function isHttpsUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === "https:" && u.username === "" && u.password === "";
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// Variables: what the pipeline's view (email-view.ts) offers a message. The editor's
// picker lists them, and a template that reads anything else is refused.
// ---------------------------------------------------------------------------

export interface MessageVariable {
  /** Liquid path, e.g. customer.firstName. */
  path: string;
  /** Which messages have it: every email, those with a discount, those about items. */
  when: "always" | "discount" | "items";
  channels: readonly ("email" | "sms")[];
}

const both = ["email", "sms"] as const;
const email = ["email"] as const;

export const MESSAGE_VARIABLES: readonly MessageVariable[] = [
  { path: "customer.firstName", when: "always", channels: both },
  { path: "customer.lastName", when: "always", channels: both },
  { path: "customer.fullName", when: "always", channels: both },
  { path: "customer.email", when: "always", channels: email },
  { path: "shop.name", when: "always", channels: both },
  { path: "shop.url", when: "always", channels: both },
  { path: "shop.address", when: "always", channels: email },
  { path: "links.recoveryUrl", when: "always", channels: both },
  { path: "links.shopUrl", when: "always", channels: email },
  // The code is created at Shopify when the message is sent (an SMS that carries one is
  // rendered then too, not when its step runs), so both channels can print it.
  { path: "discount.code", when: "discount", channels: both },
  { path: "discount.valueLabel", when: "discount", channels: both },
  { path: "discount.expiresLabel", when: "discount", channels: both },
  { path: "items.size", when: "items", channels: email },
  { path: "items.first.title", when: "items", channels: email },
  { path: "itemsTotalLabel", when: "items", channels: email },
];

/** Roots whose members a template may read freely: loops over items, the customer's own properties. */
const OPEN_PREFIXES = ["customer.properties.", "items."];

export function variablesFor(channel: "email" | "sms", hasDiscount: boolean): MessageVariable[] {
  return MESSAGE_VARIABLES.filter((v) => v.channels.includes(channel) && (v.when !== "discount" || hasDiscount));
}

/**
 * Whether a template may read `path`. An SMS reads the discount only when its step
 * carries one: nothing else fills it, and a text promising a code must not go out
 * without one. An email's discount variables are accepted as they always were.
 */
export function isKnownVariable(path: string, channel: "email" | "sms", hasDiscount = false): boolean {
  const offered = (v: MessageVariable) => v.when !== "discount" || hasDiscount || channel === "email";
  if (MESSAGE_VARIABLES.some((v) => v.channels.includes(channel) && v.path === path && offered(v))) return true;
  if (channel === "email" && (path === "items" || OPEN_PREFIXES.some((p) => path.startsWith(p)))) return true;
  return channel === "sms" && path.startsWith("customer.properties.");
}

/**
 * Merchant text into HTML: the literal parts are escaped (a "<" is a "<", not a tag)
 * and line breaks kept; Liquid tags and outputs pass through for liquidjs, whose
 * HTML engine escapes every value it prints.
 */
export function liquidTextToHtml(text: string): string {
  return text
    .split(/(\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\})/)
    .map((part, i) => (i % 2 === 1 ? part : escapeHtml(part).replace(/\r?\n/g, "<br />")))
    .join("");
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
