import crypto from "node:crypto";
import type { Liquid } from "liquidjs";
import {
  escapeHtml,
  isKnownVariable,
  liquidTextToHtml,
  type ContentBlock,
  type EmailLocaleContent,
  type MessageContent,
} from "~/domain/messages/message-content";
import { CONTENT_LOCALES } from "~/domain/messages/message-content";
import type { Locale } from "~/i18n";
import { brandSentinel, commonString, compileSources, type CompiledEmail } from "./compile-template.server";
import { strictHtmlLiquid, strictTextLiquid } from "./liquid-engines.server";
import { readTemplateFile } from "./template-files.server";

// The message editor's content through the catalogue's pipeline: the same layout
// (header, brand colours, compliance footer), blocks generated as MJML, compiled once
// per distinct content (keyed by its hash) and rendered with liquidjs per recipient.
// Merchant text is checked field by field before anything else: each field must be a
// complete Liquid template on its own (so it cannot reach into the layout around it),
// use only the tags and variables a message has, and only filters liquidjs knows.

export interface TemplateProblem {
  /** The field, relative to one locale's content: subject, preheader, blocks[2].text, text. */
  field: string;
  message: string;
}

/** The content does not render: never sent (the dispatcher records `template_error`). */
export class TemplateError extends Error {
  constructor(readonly problems: (TemplateProblem & { locale?: string })[]) {
    super(`template_error: ${problems.map((p) => `${p.locale ? `${p.locale}.` : ""}${p.field}: ${p.message}`).join("; ")}`);
    this.name = "TemplateError";
  }
}

/** Control flow and output only: no assign/capture (shared rendering), no include/render (files). */
const ALLOWED_TAGS = new Set([
  "if",
  "elsif",
  "else",
  "endif",
  "unless",
  "endunless",
  "for",
  "endfor",
  "case",
  "when",
  "endcase",
  "break",
  "continue",
]);

/** Problems of one Liquid text, or none. `hasDiscount`: the message carries a code (an SMS may then print it). */
export function liquidProblems(text: string, channel: "email" | "sms", hasDiscount = false): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\{%-?\s*([A-Za-z_]\w*)/g)) {
    if (!ALLOWED_TAGS.has(m[1]!)) out.push(`the {% ${m[1]} %} tag is not available in messages`);
  }
  if (out.length) return out;
  let templates;
  try {
    templates = strictTextLiquid.parse(text);
  } catch (err) {
    return [readableLiquidError(err)];
  }
  const globals = strictTextLiquid.analyzeSync(templates).globals;
  for (const variable of Object.values(globals).flat()) {
    const path = String(variable);
    if (!isKnownVariable(path, channel, hasDiscount)) out.push(`unknown variable {{ ${path} }}: pick one from the variables list`);
  }
  return [...new Set(out)];
}

function readableLiquidError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // "undefined filter: nosuchfilter, line:1, col:1" -> "unknown filter "nosuchfilter" (line 1, column 1)"
  const where = /, line:(\d+), col:(\d+)/.exec(message);
  const text = message
    .replace(/, line:\d+, col:\d+[\s\S]*$/, "")
    .replace(/^undefined filter: (.+)$/, 'unknown filter "$1"')
    .replace(/^tag (\{%.*?%\}) not closed$/, "$1 is not closed")
    .replace(/^output "(.*)" not closed$/, '"$1" is not closed (}})');
  return where ? `${text} (line ${where[1]}, column ${where[2]})` : text;
}

/** Every text field of one locale's content, with its field path. */
function textFields(c: { subject?: string; preheader?: string; blocks?: ContentBlock[]; text?: string }): [string, string][] {
  const out: [string, string][] = [];
  if (c.subject !== undefined) out.push(["subject", c.subject]);
  if (c.preheader !== undefined) out.push(["preheader", c.preheader]);
  if (c.text !== undefined) out.push(["text", c.text]);
  (c.blocks ?? []).forEach((b, i) => {
    if (b.type === "text") out.push([`blocks[${i}].text`, b.text]);
    if (b.type === "button") out.push([`blocks[${i}].label`, b.label]);
    if (b.type === "image") out.push([`blocks[${i}].alt`, b.alt]);
    if (b.type === "products" && b.title !== undefined) out.push([`blocks[${i}].title`, b.title]);
  });
  return out;
}

/** Template problems of a whole content (both locales), for the editor, the save and the send. */
export function contentTemplateProblems(
  content: MessageContent,
  channel: "email" | "sms",
  hasDiscount = false,
): (TemplateProblem & { locale: string })[] {
  const out: (TemplateProblem & { locale: string })[] = [];
  for (const locale of CONTENT_LOCALES) {
    const c = content[locale];
    if (!c) continue;
    for (const [field, text] of textFields(c))
      for (const message of liquidProblems(text, channel, hasDiscount)) out.push({ locale, field, message });
  }
  return out;
}

// ---------------------------------------------------------------------------
// MJML generation
// ---------------------------------------------------------------------------

const BUTTON_HREF = {
  recovery: "{{ links.recoveryUrl | default: shop.url }}",
  home: "{{ shop.url }}",
} as const;

function buttonHref(b: Extract<ContentBlock, { type: "button" }>): string {
  // shop.url is the shop's own domain with a trailing slash (email-view.ts).
  if (b.target === "product") return `{{ shop.url }}products/${encodeURIComponent(b.productHandle ?? "")}`;
  return BUTTON_HREF[b.target];
}

/** An https URL as a literal attribute: no Liquid inside, no quote to break out of. */
function literalUrl(url: string): string {
  return escapeHtml(url.replace(/\{/g, "%7B").replace(/\}/g, "%7D"));
}

function withStrings(template: string, locale: Locale, ext: "mjml" | "txt", own: Record<string, string> = {}): string {
  return template.replace(/\[\[([\w.]+)\]\]/g, (whole, name: string) => {
    if (name.startsWith("brand.") && ext === "mjml") return brandSentinel(name.slice(6)) ?? whole;
    if (name.startsWith("t.")) {
      const key = name.slice(2);
      const value = own[key] ?? commonString(locale, key);
      return ext === "mjml" && !(key in own) ? value.replace(/\n/g, "<br />") : value;
    }
    throw new Error(`Unknown placeholder ${whole} in a content block`);
  });
}

const withoutComments = (s: string) => s.replace(/<!--[\s\S]*?-->/g, "");

function blockMjml(b: ContentBlock, locale: Locale, first: boolean): string {
  switch (b.type) {
    case "text":
      return b.style === "heading"
        ? `<mj-section padding="${first ? "32px" : "24px"} 0 0"><mj-column><mj-text css-class="fm-heading" padding="0 32px"><h1>${liquidTextToHtml(b.text)}</h1></mj-text></mj-column></mj-section>`
        : `<mj-section padding="${first ? "32px" : "16px"} 0 0"><mj-column><mj-text>${liquidTextToHtml(b.text)}</mj-text></mj-column></mj-section>`;
    case "image":
      return `<mj-section padding="${first ? "32px" : "16px"} 0 0"><mj-column><mj-image src="${literalUrl(b.src)}" alt="${liquidTextToHtml(b.alt)}" border-radius="8px" padding="0 32px" /></mj-column></mj-section>`;
    case "button":
      return withStrings(readTemplateFile("blocks/cta.mjml").replace("[[cta_href]]", buttonHref(b)), locale, "mjml", {
        cta: liquidTextToHtml(b.label),
      });
    case "products":
      return withStrings(
        withoutComments(readTemplateFile("blocks/items.mjml")),
        locale,
        "mjml",
        b.title !== undefined ? { items_title: liquidTextToHtml(b.title) } : {},
      );
    case "discount":
      return withStrings(withoutComments(readTemplateFile("blocks/discount.mjml")), locale, "mjml");
    case "footer":
      // The layout's footer (reason, unsubscribe, preferences, postal address) is on every email.
      return "";
  }
}

function blockText(b: ContentBlock, locale: Locale): string {
  switch (b.type) {
    case "text":
      return `${b.text}\n`;
    case "image":
      return "";
    case "button":
      return `${b.label}: ${buttonHref(b)}\n`;
    case "products":
      return withStrings(readTemplateFile("blocks/items.txt"), locale, "txt", b.title !== undefined ? { items_title: b.title } : {});
    case "discount":
      return withStrings(readTemplateFile("blocks/discount.txt"), locale, "txt");
    case "footer":
      return "";
  }
}

/** The MJML and plain text of one locale's content (exported for tests). */
export function contentSources(c: EmailLocaleContent, locale: Locale): { mjml: string; text: string; subject: string } {
  const layout = (file: string, ext: "mjml" | "txt", content: string) =>
    withoutComments(readTemplateFile(file))
      .replace(/\[\[t\.subject\]\]/g, () => (ext === "mjml" ? liquidTextToHtml(c.subject) : c.subject))
      .replace(/\[\[t\.preheader\]\]/g, () => liquidTextToHtml(c.preheader))
      .replace(/\[\[locale\]\]/g, locale)
      .replace(/\[\[(?!content\]\])[\w.]+\]\]/g, (placeholder) => withStrings(placeholder, locale, ext))
      // Last, so nothing the merchant wrote is read as a placeholder.
      .replace("[[content]]", () => content);
  const mjml = layout("layout.mjml", "mjml", c.blocks.map((b, i) => blockMjml(b, locale, i === 0)).join("\n"));
  const text = layout("layout.txt", "txt", c.blocks.map((b) => blockText(b, locale)).join("\n"));
  return { mjml, text, subject: c.subject };
}

const MAX_COMPILED = 200;
const compiled = new Map<string, Promise<CompiledEmail>>();

/**
 * The compiled content, once per distinct content and locale. Throws TemplateError
 * when a field does not pass liquidProblems (checked again here: the send path must
 * not trust that the editor checked).
 */
export function compiledContentEmail(c: EmailLocaleContent, locale: Locale): Promise<CompiledEmail> {
  const key = crypto
    .createHash("sha256")
    .update(JSON.stringify([locale, c]))
    .digest("hex");
  let entry = compiled.get(key);
  if (!entry) {
    const problems = textFields(c).flatMap(([field, text]) => liquidProblems(text, "email").map((message) => ({ field, message })));
    if (problems.length) return Promise.reject(new TemplateError(problems));
    entry = compileContent(c, locale);
    entry.catch(() => compiled.delete(key));
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(key, entry);
  }
  return entry;
}

async function compileContent(c: EmailLocaleContent, locale: Locale): Promise<CompiledEmail> {
  const src = contentSources(c, locale);
  try {
    return await compileSources({ name: "message content", ...src }, { html: strictHtmlLiquid, text: strictTextLiquid });
  } catch (err) {
    throw new TemplateError([{ field: "blocks", message: readableLiquidError(err) }]);
  }
}

/**
 * An SMS text of the editor, rendered (plain text) over the given scope; TemplateError
 * when it does not render. The discount variables are known only when the scope has a
 * discount (the code resolved at send time, or the editor's sample).
 */
export function renderSmsContent(text: string, scope: Record<string, unknown>, engine: Liquid = strictTextLiquid): string {
  const problems = liquidProblems(text, "sms", scope.discount != null);
  if (problems.length) throw new TemplateError(problems.map((message) => ({ field: "text", message })));
  try {
    return (engine.parseAndRenderSync(text, scope) as string).replace(/[ \t]+/g, " ").trim();
  } catch (err) {
    throw new TemplateError([{ field: "text", message: readableLiquidError(err) }]);
  }
}
