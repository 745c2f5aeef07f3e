// The demo's SMS account: public on purpose, it only opens the local Twilio stand-in
// (/dev/twilio, see standins/twilio.server.ts).
export const DEMO_TWILIO_ACCOUNT_SID = "AC" + "de" + "0".repeat(30);
export const DEMO_TWILIO_AUTH_TOKEN = "demo-twilio-token-not-a-secret";
/** The demo shop's sender (Shop.settings.sms.fromNumber): a Polish mobile number. */
export const DEMO_SMS_FROM_NUMBER = "+48732100100";

/**
 * `npm run demo` without an SMS account: send through the stand-in in this process.
 * Real credentials (TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN) are left alone.
 */
export function pointSmsAtDemoStandin(env: Record<string, string | undefined>, port: string | number): boolean {
  if (env.TWILIO_ACCOUNT_SID || env.TWILIO_AUTH_TOKEN) return false;
  env.TWILIO_ACCOUNT_SID = DEMO_TWILIO_ACCOUNT_SID;
  env.TWILIO_AUTH_TOKEN = DEMO_TWILIO_AUTH_TOKEN;
  env.SMS_API_BASE_URL ??= `http://127.0.0.1:${port}/dev/twilio`;
  return true;
}
