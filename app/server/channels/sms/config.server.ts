import { z } from "zod";

// SMS settings come from the environment (one gateway account for the app); each
// shop's sender number lives in Shop.settings.sms.
const SmsEnv = z.object({
  SMS_PROVIDER: z.enum(["twilio"]).default("twilio"),
  TWILIO_ACCOUNT_SID: z.string().min(1).optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  SMS_API_BASE_URL: z.string().url().default("https://api.twilio.com"),
});

export interface SmsConfig {
  provider: "twilio";
  accountSid: string;
  authToken: string;
  apiBaseUrl: string;
}

/** Null when SMS is not set up (no account credentials). */
export function readSmsConfig(source: NodeJS.ProcessEnv = process.env): SmsConfig | null {
  const parsed = SmsEnv.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid SMS environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const e = parsed.data;
  if (!e.TWILIO_ACCOUNT_SID || !e.TWILIO_AUTH_TOKEN) return null;
  return {
    provider: e.SMS_PROVIDER,
    accountSid: e.TWILIO_ACCOUNT_SID,
    authToken: e.TWILIO_AUTH_TOKEN,
    apiBaseUrl: e.SMS_API_BASE_URL.replace(/\/+$/, ""),
  };
}
