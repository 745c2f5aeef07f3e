import type { ShopSending } from "@prisma/client";
import type { DKIMOptions } from "nodemailer/lib/dkim";
import { db } from "../db/client.server";
import { decryptSecret } from "../security/secrets.server";

// Which provider a shop's messages go through: its own (Settings -> Sending) when set,
// else the app's default from the environment.

/** The additional data each secret is encrypted with: a blob belongs to one shop and field. */
export function secretContext(shopId: string, field: "smtpUrl" | "smsAccountSid" | "smsAuthToken" | "dkimPrivateKey"): string {
  return `shop:${shopId}:${field}`;
}

export interface EmailSendingOptions {
  /** Null: the app's default transport. */
  smtpUrl: string | null;
  /** Null: not signed (no key generated). */
  dkim: DKIMOptions | null;
}

export const APP_DEFAULT_SENDING: EmailSendingOptions = { smtpUrl: null, dkim: null };

export function emailSendingOptions(sending: ShopSending | null | undefined): EmailSendingOptions {
  if (!sending) return APP_DEFAULT_SENDING;
  const smtpUrl = sending.smtpUrlSecret ? decryptSecret(sending.smtpUrlSecret, secretContext(sending.shopId, "smtpUrl")) : null;
  const dkim =
    sending.dkimPrivateKeySecret && sending.dkimDomain && sending.dkimSelector
      ? {
          domainName: sending.dkimDomain,
          keySelector: sending.dkimSelector,
          privateKey: decryptSecret(sending.dkimPrivateKeySecret, secretContext(sending.shopId, "dkimPrivateKey")),
        }
      : null;
  return { smtpUrl, dkim };
}

export async function shopEmailSendingOptions(shopId: string): Promise<EmailSendingOptions> {
  return emailSendingOptions(await db().shopSending.findUnique({ where: { shopId } }));
}
