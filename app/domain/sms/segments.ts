// SMS segment counting (3GPP TS 23.038). A message is sent in GSM-7 when every
// character is in the GSM default alphabet (extension-table characters take two
// septets); one character outside it (ą, ę, ł, an emoji...) switches the whole
// message to UCS-2. Concatenated messages lose room to the 6-byte UDH header, and a
// character is never split across two segments.

export type SmsEncoding = "GSM-7" | "UCS-2";

const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
// Reached through the escape character, so each one costs two septets.
const GSM_EXTENSION = "\f^{}\\[~]|€";

const basic = new Set(GSM_BASIC);
const extension = new Set(GSM_EXTENSION);

export const SEGMENT_LIMITS = {
  "GSM-7": { single: 160, concatenated: 153 },
  "UCS-2": { single: 70, concatenated: 67 },
} as const;

export interface SegmentCount {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text occupies. */
  units: number;
  segments: number;
  /** Room per segment at this length: 160/153 (GSM-7) or 70/67 (UCS-2). */
  perSegment: number;
  /** Units still free in the last segment. */
  remaining: number;
  /** The characters that forced UCS-2, so an editor can point at them. */
  nonGsmCharacters: string[];
}

export function isGsm7Character(ch: string): boolean {
  return basic.has(ch) || extension.has(ch);
}

/** Cost of each character in the chosen encoding (code points, so an emoji is one entry). */
function unitCosts(text: string, encoding: SmsEncoding): number[] {
  const chars = Array.from(text);
  if (encoding === "GSM-7") return chars.map((ch) => (extension.has(ch) ? 2 : 1));
  return chars.map((ch) => ch.length); // 2 for characters outside the BMP (surrogate pair)
}

export function countSmsSegments(text: string): SegmentCount {
  const nonGsm = [...new Set(Array.from(text).filter((ch) => !isGsm7Character(ch)))];
  const encoding: SmsEncoding = nonGsm.length ? "UCS-2" : "GSM-7";
  const limits = SEGMENT_LIMITS[encoding];
  const costs = unitCosts(text, encoding);
  const units = costs.reduce((a, b) => a + b, 0);
  if (units <= limits.single) {
    return {
      encoding,
      units,
      segments: units === 0 ? 0 : 1,
      perSegment: limits.single,
      remaining: limits.single - units,
      nonGsmCharacters: nonGsm,
    };
  }
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > limits.concatenated) {
      segments++;
      used = 0;
    }
    used += cost;
  }
  return { encoding, units, segments, perSegment: limits.concatenated, remaining: limits.concatenated - used, nonGsmCharacters: nonGsm };
}
