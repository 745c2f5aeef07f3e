import { z } from "zod";
import { catalogueEntry, type EmailTemplateKey, type MessagePurpose } from "~/domain/messages/catalogue";
import { assertCompliant } from "~/domain/messages/compliance";
import type { EmailRenderContext } from "~/domain/messages/email-context";
import { buildEmailView, parseRenderContext } from "~/domain/messages/email-view";
import { resolveLocale, type Locale } from "~/i18n";
import type { EmailLocaleContent } from "~/domain/messages/message-content";
import { compiledEmail, type CompiledEmail } from "./compile-template.server";
import { compiledContentEmail, TemplateError } from "./content-template.server";
import type { RenderTemplate } from "./shared-segments.server";
import { subjectTemplate } from "./subject-template.server";

export interface RenderEmailInput {
  templateKey: string;
  /** Any of "pl", "pl-PL", null...: unsupported or missing means English. */
  locale?: string | null;
  context: EmailRenderContext;
  /** A subject line of the flow's own (an A/B variant's), rendered instead of the template's. */
  subject?: string | null;
  /** The flow step's own content (message editor) in this locale, rendered instead of the template. */
  content?: EmailLocaleContent | null;
}

export interface RenderedEmail {
  templateKey: EmailTemplateKey;
  locale: Locale;
  purpose: MessagePurpose;
  subject: string;
  html: string;
  text: string;
}

export class InvalidRenderContextError extends Error {
  constructor(templateKey: string, cause: z.ZodError) {
    super(`Invalid render context for email "${templateKey}": ${z.prettifyError(cause)}`);
    this.name = "InvalidRenderContextError";
  }
}

/**
 * Renders a catalogue email. Throws EmailComplianceError for a marketing email whose
 * shop has no postal address or which has no unsubscribe link: such an email must
 * not be sent at all.
 */
export async function renderEmail({ templateKey, locale, context, subject, content }: RenderEmailInput): Promise<RenderedEmail> {
  const entry = catalogueEntry(templateKey);
  const key = templateKey as EmailTemplateKey;
  const lang = resolveLocale(locale);
  let parsed;
  try {
    parsed = parseRenderContext(context);
  } catch (err) {
    if (err instanceof z.ZodError) throw new InvalidRenderContextError(templateKey, err);
    throw err;
  }
  const view = buildEmailView(parsed, lang);
  assertCompliant(templateKey, entry.purpose, view);
  const scope = view as unknown as Record<string, unknown>;
  if (content) {
    const own = await compiledContentEmail(content, lang);
    try {
      return { templateKey: key, locale: lang, purpose: entry.purpose, ...renderParts(own, scope) };
    } catch (err) {
      throw new TemplateError([{ field: "content", message: err instanceof Error ? err.message : String(err) }]);
    }
  }
  const template = await compiledEmail(key, lang);
  return {
    templateKey: key,
    locale: lang,
    purpose: entry.purpose,
    ...renderParts(template, scope, subject ? subjectTemplate(subject) : undefined),
  };
}

function renderParts(template: CompiledEmail, scope: Record<string, unknown>, subject?: RenderTemplate) {
  return {
    // Header text: one line, no control characters.
    subject: (subject ?? template.subject)(scope).replace(/\s+/g, " ").trim(),
    html: template.html(scope),
    text: tidyText(template.text(scope)),
  };
}

function tidyText(text: string): string {
  return text
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()
    .concat("\n");
}
