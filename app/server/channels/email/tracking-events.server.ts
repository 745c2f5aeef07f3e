import crypto from "node:crypto";
import type { TokenClaims } from "../../security/signed-token.server";
import { machineClickSignal, machineOpenSignal, type MachineSignal } from "~/domain/messages/engagement";
import { db } from "../../db/client.server";
import { log } from "../../log.server";
import { recordTouch } from "../../measurement/touches.server";

/** Clicks on one link of one message within this many milliseconds are one click. */
export const CLICK_DEDUPE_WINDOW_MS = 30_000;

/**
 * One key per message, link, fixed 30 s slot and kind of clicker (the URL hashed: keys
 * stay short). A link scanner's click does not swallow the person's click after it.
 */
export function clickDedupeKey(messageId: string, url: string, at: Date, reliable: boolean): string {
  const slot = Math.floor(at.getTime() / CLICK_DEDUPE_WINDOW_MS);
  return `click:${messageId}:${crypto.createHash("sha256").update(url).digest("base64url").slice(0, 22)}:${slot}:${reliable ? "p" : "m"}`;
}

export interface TrackedRequest {
  userAgent: string | null;
  method: string;
  at: Date;
}

/**
 * Stores a click or open for the message named in a verified token. The message must
 * belong to the token's shop (a token is only as good as its claims). Recording never
 * throws: the shopper still gets the redirect or the pixel if the database is down.
 */
export async function recordEngagement(
  type: "clicked" | "opened",
  claims: TokenClaims,
  req: TrackedRequest,
): Promise<{ reliable: boolean; duplicate?: boolean } | null> {
  if (!claims.messageId) return null;
  try {
    const message = await db().message.findFirst({
      where: { id: claims.messageId, shopId: claims.shopId },
      select: { id: true, customerId: true, sentAt: true },
    });
    if (!message) return null;
    const probe = { userAgent: req.userAgent, method: req.method, sentAt: message.sentAt, at: req.at };
    const signal: MachineSignal | null = type === "clicked" ? machineClickSignal(probe) : machineOpenSignal(probe);
    const reliable = signal === null;
    // The event, the "clicked" figure of a first reliable click, and the attribution of the
    // customer's orders the touch may be credited with (measurement/touches.server.ts).
    const written = await recordTouch({
      shopId: claims.shopId,
      messageId: message.id,
      customerId: message.customerId,
      type,
      reliable,
      url: type === "clicked" ? (claims.url ?? null) : null,
      at: req.at,
      data: signal ? { machine: signal } : {},
      dedupeKey: type === "clicked" ? clickDedupeKey(message.id, claims.url ?? "", req.at, reliable) : null,
    });
    // The same link clicked again within its slot: already counted, nothing more to record.
    if (!written) return { reliable, duplicate: true };
    // lastEngagedAt drives sunsetting: only a person counts. An open is engagement, a click too.
    const customerId = message.customerId ?? (claims.customerId || null);
    if (reliable && customerId) {
      await db().customer.updateMany({
        where: { id: customerId, shopId: claims.shopId, OR: [{ lastEngagedAt: null }, { lastEngagedAt: { lt: req.at } }] },
        data: { lastEngagedAt: req.at },
      });
      // Flows react to engagement (re-engagement ends when the subscriber comes back).
      await db().event.createMany({
        data: [
          {
            shopId: claims.shopId,
            customerId,
            name: type === "clicked" ? "message_clicked" : "message_opened",
            source: "tracking",
            sourceId: `${type}:${message.id}:${req.at.getTime()}`,
            occurredAt: req.at,
            data: { messageId: message.id, reliable, ...(type === "clicked" ? { url: claims.url ?? null } : {}) },
          },
        ],
        skipDuplicates: true,
      });
    }
    return { reliable };
  } catch (err) {
    log.warn("tracking event not recorded", { type, messageId: claims.messageId, err: String(err) });
    return null;
  }
}
