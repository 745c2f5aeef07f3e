import type { Liquid } from "liquidjs";
import mjml2html from "mjml";
import { EMAIL_CATALOGUE, type EmailTemplateKey } from "~/domain/messages/catalogue";
import type { Locale } from "~/i18n";
import { htmlLiquid, textLiquid } from "./liquid-engines.server";
import { clearSegmentCache, segmentedRenderer, type RenderTemplate } from "./shared-segments.server";
import { readStringTable, readTemplateFile, type StringTable } from "./template-files.server";

/**
 * Compiles one catalogue message in one locale, once per process:
 *   layout + the message's blocks + the locale's strings  ->  MJML
 *   MJML -> responsive HTML (the slow step, ~15 ms), Liquid tags left untouched
 *   HTML, plain text and subject -> parsed Liquid templates.
 * Sending then only renders the parsed templates with liquidjs, which is why neither
 * MJML nor the Liquid parser runs per message; the parts that read nothing per
 * recipient are rendered once per shop and products (shared-segments.server.ts).
 */
export interface CompiledEmail {
  subject: RenderTemplate;
  html: RenderTemplate;
  text: RenderTemplate;
}

// MJML validates colour attributes, so brand colours go through MJML as unlikely
// literal colours and become Liquid outputs afterwards.
const BRAND_SENTINELS = { primary: "#010203", accent: "#040506", accentSoft: "#070809", onPrimary: "#0a0b0c" } as const;
type BrandSlot = keyof typeof BRAND_SENTINELS;

const compiled = new Map<string, Promise<CompiledEmail>>();
const stringTables = new Map<Locale, StringTable>();

export function compiledEmail(templateKey: EmailTemplateKey, locale: Locale): Promise<CompiledEmail> {
  const cacheKey = `${templateKey}:${locale}`;
  let entry = compiled.get(cacheKey);
  if (!entry) {
    entry = compile(templateKey, locale);
    // A failed compile (a template being edited) is retried next time, not cached.
    entry.catch(() => compiled.delete(cacheKey));
    compiled.set(cacheKey, entry);
  }
  return entry;
}

/** Drops compiled templates, e.g. after editing template files in development. */
export function clearEmailTemplateCache(): void {
  compiled.clear();
  stringTables.clear();
  clearSegmentCache();
}

async function compile(templateKey: EmailTemplateKey, locale: Locale): Promise<CompiledEmail> {
  const strings = messageStrings(templateKey, locale);
  return compileSources(
    {
      name: templateKey,
      mjml: assemble("layout.mjml", "mjml", templateKey, locale, strings),
      text: assemble("layout.txt", "txt", templateKey, locale, strings),
      subject: strings("subject"),
    },
    { html: htmlLiquid, text: textLiquid },
  );
}

/**
 * MJML -> HTML with the brand sentinels turned into Liquid outputs, then every part
 * parsed by the given engines (the message editor's content uses strict ones).
 */
export async function compileSources(
  src: { name: string; mjml: string; text: string; subject: string },
  engines: { html: Liquid; text: Liquid },
): Promise<CompiledEmail> {
  // fonts: {}: MJML links Google Fonts for any family of its list named in a font stack
  // (Roboto is in ours, as a system font); an email should not load a third-party font.
  const { html, errors } = await mjml2html(src.mjml, { validationLevel: "strict", keepComments: false, fonts: {} });
  if (errors.length) throw new Error(`MJML errors in ${src.name}: ${errors.map((e) => e.formattedMessage).join("; ")}`);
  const withBrand = (Object.entries(BRAND_SENTINELS) as [BrandSlot, string][]).reduce(
    (out, [slot, sentinel]) => out.replaceAll(sentinel, `{{ brand.${slot} }}`),
    html,
  );
  return {
    subject: segmentedRenderer(engines.text, engines.text.parse(src.subject)),
    html: segmentedRenderer(engines.html, engines.html.parse(withBrand.replace(/\n\s+/g, "\n"))),
    text: segmentedRenderer(engines.text, engines.text.parse(src.text)),
  };
}

/** The brand colour placeholder for MJML ([[brand.primary]] in a layout or block). */
export function brandSentinel(slot: string): string | undefined {
  return BRAND_SENTINELS[slot as BrandSlot];
}

/** A string every message shares (strings/<locale>.json, "common"). */
export function commonString(locale: Locale, name: string): string {
  let table = stringTables.get(locale);
  if (!table) stringTables.set(locale, (table = readStringTable(locale)));
  const value = table.common[name];
  if (value === undefined) throw new Error(`Missing common string "${name}" in strings/${locale}.json`);
  return value;
}

type Strings = (name: string) => string;

function messageStrings(templateKey: EmailTemplateKey, locale: Locale): Strings {
  let table = stringTables.get(locale);
  if (!table) stringTables.set(locale, (table = readStringTable(locale)));
  const own = table.messages[templateKey];
  if (!own) throw new Error(`No ${locale} strings for email "${templateKey}" (strings/${locale}.json)`);
  const common = table.common;
  const lookup = (name: string, depth = 0): string => {
    const value = own[name] ?? common[name];
    if (value === undefined) throw new Error(`Missing string "${name}" for email "${templateKey}" in strings/${locale}.json`);
    // Strings may use other strings ([[t.hi]]), one level deep.
    return depth > 0 ? value : value.replace(/\[\[t\.(\w+)\]\]/g, (_, inner: string) => lookup(inner, depth + 1));
  };
  return (name) => lookup(name);
}

function assemble(layoutFile: string, ext: "mjml" | "txt", templateKey: EmailTemplateKey, locale: Locale, strings: Strings): string {
  const entry = EMAIL_CATALOGUE[templateKey];
  const withoutComments = (s: string) => s.replace(/<!--[\s\S]*?-->/g, "");
  const content = entry.blocks.map((block) => withoutComments(readTemplateFile(`blocks/${block}.${ext}`))).join("\n");
  const ctaHref = `{{ links.${entry.cta} | default: shop.url }}`;
  return withoutComments(readTemplateFile(layoutFile))
    .replace("[[content]]", () => content)
    .replace(/\[\[([\w.]+)\]\]/g, (whole, name: string) => {
      if (name === "locale") return locale;
      if (name === "cta_href") return ctaHref;
      if (name.startsWith("brand.") && ext === "mjml") {
        const sentinel = BRAND_SENTINELS[name.slice(6) as BrandSlot];
        if (sentinel) return sentinel;
      }
      if (name.startsWith("t.")) {
        const value = strings(name.slice(2));
        // Strings are ours (trusted); a line break in one is a <br> in HTML.
        return ext === "mjml" ? value.replace(/\n/g, "<br />") : value;
      }
      throw new Error(`Unknown placeholder ${whole} in email template ${templateKey}`);
    });
}
