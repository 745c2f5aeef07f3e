// The shape of the codes the app creates (app/server/discounts/unique-code.server.ts):
// the readable prefix, cleaned, then a dash and 8 random characters. Here so the
// message editor's sample code is as long as a real one (an SMS pays per character).

export const CODE_RANDOM_LENGTH = 8;

/** "comeback 10" -> "COMEBACK10": letters and digits, at most 16. */
export function codePrefix(prefix: string): string {
  return prefix
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "")
    .slice(0, 16);
}

/** A code of the real length for a preview, e.g. COMEBACK-7KQ2M9XA. */
export function sampleDiscountCode(prefix: string): string {
  const random = "7KQ2M9XA".slice(0, CODE_RANDOM_LENGTH);
  const clean = codePrefix(prefix);
  return clean ? `${clean}-${random}` : random;
}
