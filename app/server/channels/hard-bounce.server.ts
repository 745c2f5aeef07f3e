import type { Message, Prisma } from "@prisma/client";
import { countDecisions } from "../measurement/flow-figures.server";
import type { RollupBuffer } from "../measurement/rollup-buffer.server";

// What a hard bounce records, whenever the app learns of it: at send time (the SMTP
// server refused the recipient, dispatch-email) or later (a DSN posted to the feedback
// address, compliance/feedback): a "bounced" event, the address on the shop's
// suppression list, and a hard_bounce skip Decision counted in the flow's reasons. One
// writer, so the two can never drift apart.

export type BouncedMessage = Pick<Message, "id" | "shopId" | "customerId" | "enrollmentId" | "flowId" | "stepId" | "channel" | "toAddress">;

export interface HardBounce {
  /** What the server said (the SMTP reply, or the DSN's diagnostic). */
  response: string | null;
  /** A later report's DSN status (5.x.x); none at send time. */
  status?: string;
  /** Where it was learnt, for the Decision; none at send time. */
  stage?: "delivery_report";
  /**
   * A report can arrive twice (a provider's retry): the event then carries a dedupe key
   * per message, and a second one records nothing. At send time a message bounces once.
   */
  once?: boolean;
}

/**
 * Writes the bounce in the caller's transaction and adds its Decision to `rollups` (the
 * caller flushes them last). False when `once` and the bounce was already recorded:
 * then nothing was written.
 */
export async function recordHardBounce(
  tx: Prisma.TransactionClient,
  m: BouncedMessage,
  bounce: HardBounce,
  at: Date,
  rollups: RollupBuffer,
  timeZone: string,
): Promise<boolean> {
  const status = bounce.status !== undefined ? { status: bounce.status } : {};
  const { count } = await tx.messageEvent.createMany({
    data: [
      {
        shopId: m.shopId,
        messageId: m.id,
        type: "bounced",
        reliable: true,
        occurredAt: at,
        data: { ...status, response: bounce.response },
        dedupeKey: bounce.once ? `bounced:${m.id}` : null,
      },
    ],
    skipDuplicates: true,
  });
  if (count !== 1) return false;
  await tx.suppression.createMany({
    data: [{ shopId: m.shopId, channel: m.channel, address: m.toAddress.trim().toLowerCase(), reason: "hard_bounce" }],
    skipDuplicates: true,
  });
  const decision = await tx.decision.create({
    data: {
      shopId: m.shopId,
      customerId: m.customerId,
      enrollmentId: m.enrollmentId,
      flowId: m.flowId,
      stepId: m.stepId,
      messageId: m.id,
      outcome: "skip",
      reason: "hard_bounce",
      details: { channel: m.channel, ...(bounce.stage ? { stage: bounce.stage } : {}), ...status, response: bounce.response },
      at,
    },
  });
  countDecisions(rollups, [decision], () => timeZone);
  return true;
}
