// Marketing SMS carry the way out. The footer texts are pure GSM-7 on purpose: a
// Polish diacritic here would switch every message to UCS-2 and more than double
// its segment count.
const FOOTERS: Record<"en" | "pl", string> = {
  en: "Reply STOP to opt out",
  pl: "Rezygnacja: odpisz STOP",
};

export function optOutFooter(locale: string | null | undefined): string {
  return /^pl/i.test(locale ?? "") ? FOOTERS.pl : FOOTERS.en;
}

/** Appends the opt-out line unless the text already tells the reader about STOP. */
export function withOptOutFooter(body: string, locale: string | null | undefined): string {
  if (/\bSTOP\b/i.test(body)) return body;
  return `${body.trimEnd()}\n${optOutFooter(locale)}`;
}
