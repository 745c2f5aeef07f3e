import { countSmsSegments } from "./segments";

// What a flow's SMS step will cost, shown before the flow goes live. Providers bill
// per segment and per destination country; these are list prices per outbound
// segment in USD (Twilio, late 2025), rounded: an estimate, not an invoice.
export const SMS_PRICE_CURRENCY = "USD";
export const DEFAULT_SMS_PRICES_MICRO_USD: Readonly<Record<string, number>> = {
  US: 8_300,
  GB: 46_300,
  PL: 41_800,
  DE: 92_700,
};
// Destinations not in the table: a deliberately high guess, so an estimate errs on the expensive side.
export const DEFAULT_SMS_PRICE_MICRO_USD = 80_000;

export interface SmsCostLine {
  country: string;
  recipients: number;
  pricePerSegment: number;
  cost: number;
}

export interface SmsCostEstimate {
  currency: string;
  segments: number;
  encoding: "GSM-7" | "UCS-2";
  recipients: number;
  total: number;
  lines: SmsCostLine[];
}

const MICRO = 1_000_000;

export function smsPricePerSegment(country: string, prices: Readonly<Record<string, number>> = DEFAULT_SMS_PRICES_MICRO_USD): number {
  return (prices[country.toUpperCase()] ?? DEFAULT_SMS_PRICE_MICRO_USD) / MICRO;
}

/**
 * segments x recipients x price per segment, per destination country.
 * `recipientsByCountry`: ISO 3166 alpha-2 code -> number of recipients.
 */
export function estimateSmsCost(
  body: string,
  recipientsByCountry: Readonly<Record<string, number>>,
  prices: Readonly<Record<string, number>> = DEFAULT_SMS_PRICES_MICRO_USD,
): SmsCostEstimate {
  const { segments, encoding } = countSmsSegments(body);
  let totalMicro = 0;
  let recipients = 0;
  const lines: SmsCostLine[] = [];
  for (const [rawCountry, count] of Object.entries(recipientsByCountry)) {
    if (!Number.isFinite(count) || count <= 0) continue;
    const country = rawCountry.toUpperCase();
    const micro = prices[country] ?? DEFAULT_SMS_PRICE_MICRO_USD;
    const lineMicro = segments * Math.trunc(count) * micro;
    totalMicro += lineMicro;
    recipients += Math.trunc(count);
    lines.push({ country, recipients: Math.trunc(count), pricePerSegment: micro / MICRO, cost: lineMicro / MICRO });
  }
  // Integer micro-dollars until here, so 10 000 x 0.0418 does not drift.
  return { currency: SMS_PRICE_CURRENCY, segments, encoding, recipients, total: totalMicro / MICRO, lines };
}
