import { db } from "../../db/client.server";
import { decryptSecret } from "../../security/secrets.server";
import { secretContext } from "../shop-sending.server";
import { readSmsConfig } from "./config.server";
import type { SmsProvider } from "./provider";
import { smsProvider } from "./sms-provider.server";
import { createTwilioProvider } from "./twilio.server";

/** The shop's own Twilio account when both credentials are stored, else the app's (or null). */
export async function shopSmsProvider(shopId: string): Promise<SmsProvider | null> {
  const sending = await db().shopSending.findUnique({ where: { shopId } });
  if (!sending?.smsAccountSidSecret || !sending.smsAuthTokenSecret) return smsProvider();
  const app = readSmsConfig({ ...process.env, TWILIO_ACCOUNT_SID: "-", TWILIO_AUTH_TOKEN: "-" })!;
  return createTwilioProvider({
    provider: "twilio",
    accountSid: decryptSecret(sending.smsAccountSidSecret, secretContext(shopId, "smsAccountSid")),
    authToken: decryptSecret(sending.smsAuthTokenSecret, secretContext(shopId, "smsAuthToken")),
    apiBaseUrl: app.apiBaseUrl,
  });
}
