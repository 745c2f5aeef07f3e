import crypto from "node:crypto";
import { enrollmentColumns, eventsOfInterest, plannedSend, type Command, type EnrollmentState, type FlowDefinition } from "~/domain/journey";
import type { RecentSend } from "~/domain/arbitration/types";
import { renderSms } from "~/domain/messages/sms-catalogue";
import type { RawQuery } from "../db/client.server";
import type { CustomerRecord } from "./context.server";

export interface EnrollmentRef {
  id: string;
  shopId: string;
  flowId: string;
  flowKey: string;
  priority: number;
  customerId: string;
}

interface MessageRow {
  id: string;
  shopId: string;
  customerId: string;
  enrollmentId: string;
  flowId: string;
  stepId: string;
  channel: string;
  purpose: string;
  idempotencyKey: string;
  toAddress: string;
  templateKey: string;
  locale: string;
  variant: string | null;
  payload: Record<string, unknown>;
  at: Date;
}

interface DecisionRow {
  shopId: string;
  customerId: string;
  enrollmentId: string;
  flowId: string;
  stepId: string | null;
  outcome: string;
  reason: string;
  details: Record<string, unknown>;
  messageKey: string | null;
  at: Date;
}

/**
 * Everything one batch of engine steps decided, written at the end of the batch in
 * a few set-based statements inside the batch's transaction: the enrollment states,
 * the outbox rows (Message, deduplicated on the idempotency key) and the decision
 * log. State change and outbox commit together or not at all.
 */
export class JourneyWrites {
  private enrollments = new Map<string, { state: EnrollmentState; definition: FlowDefinition }>();
  private messages: MessageRow[] = [];
  private decisions: DecisionRow[] = [];
  private tags: { customerId: string; tag: string }[] = [];
  private suppressions: { shopId: string; channel: string; address: string; reason: string }[] = [];

  /** Records one step result. Sends are also appended to `recentSends` so later steps in this batch see them. */
  apply(
    ref: EnrollmentRef,
    definition: FlowDefinition,
    state: EnrollmentState,
    commands: readonly Command[],
    customer: CustomerRecord,
    recentSends: RecentSend[],
    at: Date,
    shop?: { name: string; url: string },
  ): void {
    this.enrollments.set(ref.id, { state, definition });
    const discounts = new Map<string, Record<string, unknown>>();
    for (const c of commands) {
      switch (c.type) {
        case "decision":
          this.decisions.push({
            shopId: ref.shopId,
            customerId: ref.customerId,
            enrollmentId: ref.id,
            flowId: ref.flowId,
            stepId: c.stepId,
            outcome: c.outcome,
            reason: c.reason,
            details: { ...c.details, ...(c.channel ? { channel: c.channel } : {}), ...(c.templateKey ? { templateKey: c.templateKey } : {}), flowKey: ref.flowKey },
            messageKey: c.messageKey ?? null,
            at: new Date(c.at),
          });
          break;
        case "create_discount":
          discounts.set(c.idempotencyKey, { idempotencyKey: c.idempotencyKey, kind: c.kind, value: c.value, expiresInHours: c.expiresInHours, prefix: c.prefix });
          break;
        case "send": {
          const toAddress = c.channel === "email" ? customer.emailAddress : customer.phoneAddress;
          if (!toAddress) break; // arbitration skips sends without an address; nothing to queue
          const discount = c.discount
            ? (discounts.get(c.discount.idempotencyKey) ?? findDiscount(commands, c.discount.idempotencyKey) ?? { idempotencyKey: c.discount.idempotencyKey })
            : null;
          this.messages.push({
            id: crypto.randomUUID(),
            shopId: ref.shopId,
            customerId: ref.customerId,
            enrollmentId: ref.id,
            flowId: ref.flowId,
            stepId: c.stepId,
            channel: c.channel,
            purpose: c.purpose,
            idempotencyKey: c.idempotencyKey,
            toAddress,
            templateKey: c.templateKey,
            locale: c.locale,
            variant: c.variant ?? null,
            payload: {
              flowKey: ref.flowKey,
              ...(c.topic ? { topic: c.topic } : {}),
              trigger: state.trigger.data,
              ...(discount ? { discount } : {}),
              // An SMS is plain text: rendered now, sent as is (the opt-out line is added at send time).
              ...(c.channel === "sms"
                ? { body: renderSms(c.templateKey, c.locale, { shop: shop?.name ?? "", url: recoveryUrl(state.trigger.data) ?? shop?.url ?? null }) }
                : {}),
            },
            at,
          });
          recentSends.push({ channel: c.channel, purpose: c.purpose, at: at.getTime(), flowKey: ref.flowKey, priority: ref.priority });
          break;
        }
        case "add_tag":
          this.tags.push({ customerId: ref.customerId, tag: c.tag });
          break;
        case "suppress_marketing":
          for (const ch of c.channel === "all" ? (["email", "sms"] as const) : [c.channel]) {
            const address = ch === "email" ? customer.emailAddress : customer.phoneAddress;
            if (address) this.suppressions.push({ shopId: ref.shopId, channel: ch, address, reason: c.reason });
          }
          break;
        default:
          // schedule, wait_for_event, goal_reached, exit, complete: carried by the state.
          break;
      }
    }
  }

  get size(): number {
    return this.enrollments.size;
  }

  async flush(q: RawQuery, at: Date): Promise<{ messages: number; decisions: number }> {
    const iso = at.toISOString();
    let messageIds = new Map<string, string>();
    if (this.messages.length) {
      const m = this.messages;
      const inserted = await q<{ id: string; idempotencyKey: string; shopId: string }>(
        `INSERT INTO "Message" (id, "shopId", "customerId", "enrollmentId", "flowId", "stepId", channel, purpose, "idempotencyKey",
                                status, "toAddress", "templateKey", locale, variant, payload, "nextAttemptAt", "createdAt", "updatedAt")
         SELECT id, shop, cust, enr, flow, step, ch, purpose, ikey, 'pending', addr, tpl, loc, variant, payload, t, t, t
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                     $10::text[], $11::text[], $12::text[], $13::text[], $14::jsonb[], $15::timestamptz[])
              AS x(id, shop, cust, enr, flow, step, ch, purpose, ikey, addr, tpl, loc, variant, payload, t)
         ON CONFLICT ("shopId", "idempotencyKey") DO NOTHING
         RETURNING id, "idempotencyKey", "shopId"`,
        [
          m.map((r) => r.id), m.map((r) => r.shopId), m.map((r) => r.customerId), m.map((r) => r.enrollmentId), m.map((r) => r.flowId),
          m.map((r) => r.stepId), m.map((r) => r.channel), m.map((r) => r.purpose), m.map((r) => r.idempotencyKey), m.map((r) => r.toAddress),
          m.map((r) => r.templateKey), m.map((r) => r.locale), m.map((r) => r.variant), m.map((r) => JSON.stringify(r.payload)),
          m.map((r) => r.at.toISOString()),
        ],
      );
      messageIds = new Map(inserted.map((r) => [`${r.shopId}:${r.idempotencyKey}`, r.id]));
    }
    if (this.decisions.length) {
      const d = this.decisions;
      await q(
        `INSERT INTO "Decision" ("shopId", "customerId", "enrollmentId", "flowId", "stepId", "messageId", outcome, reason, details, at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::timestamptz[])`,
        [
          d.map((r) => r.shopId), d.map((r) => r.customerId), d.map((r) => r.enrollmentId), d.map((r) => r.flowId), d.map((r) => r.stepId),
          d.map((r) => (r.messageKey ? (messageIds.get(`${r.shopId}:${r.messageKey}`) ?? null) : null)),
          d.map((r) => r.outcome), d.map((r) => r.reason), d.map((r) => JSON.stringify({ ...r.details, ...(r.messageKey ? { messageKey: r.messageKey } : {}) })),
          d.map((r) => r.at.toISOString()),
        ],
      );
    }
    if (this.enrollments.size) {
      const rows = [...this.enrollments.entries()].map(([id, { state, definition }]) => {
        const cols = enrollmentColumns(state);
        const planned = plannedSend(definition, state);
        return { id, state, cols, planned, interested: cols.status === "active" ? eventsOfInterest(definition) : [] };
      });
      const ts = (v: number | null) => (v === null ? null : new Date(v).toISOString());
      await q(
        `UPDATE "Enrollment" e SET state = u.state, status = u.status, "nextWakeAt" = u.wake, "exitReason" = u.exit_reason,
                "goalReachedAt" = u.goal, "finishedAt" = u.finished, "plannedSendAt" = u.planned_at, "plannedSendChannel" = u.planned_ch,
                "interestedIn" = ARRAY(SELECT jsonb_array_elements_text(u.interested)),
                "updatedAt" = $11
         FROM unnest($1::text[], $2::jsonb[], $3::text[], $4::timestamptz[], $5::text[], $6::timestamptz[], $7::timestamptz[],
                     $8::timestamptz[], $9::text[], $10::jsonb[])
              AS u(id, state, status, wake, exit_reason, goal, finished, planned_at, planned_ch, interested)
         WHERE e.id = u.id`,
        [
          rows.map((r) => r.id), rows.map((r) => JSON.stringify(r.state)), rows.map((r) => r.cols.status), rows.map((r) => ts(r.cols.nextWakeAt)),
          rows.map((r) => r.cols.exitReason), rows.map((r) => ts(r.cols.goalReachedAt)), rows.map((r) => ts(r.cols.finishedAt)),
          rows.map((r) => ts(r.planned?.at ?? null)), rows.map((r) => r.planned?.channel ?? null), rows.map((r) => JSON.stringify(r.interested)),
          iso,
        ],
      );
    }
    for (const t of this.tags) {
      await q(`UPDATE "Customer" SET tags = array_append(tags, $2), "updatedAt" = $3 WHERE id = $1 AND NOT ($2 = ANY(tags))`, [t.customerId, t.tag, iso]);
    }
    for (const s of this.suppressions) {
      await q(
        `INSERT INTO "Suppression" (id, "shopId", channel, address, reason, "createdAt") VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [crypto.randomUUID(), s.shopId, s.channel, s.address, s.reason, iso],
      );
    }
    return { messages: messageIds.size, decisions: this.decisions.length };
  }
}

function recoveryUrl(data: Record<string, unknown>): string | null {
  return typeof data.recoveryUrl === "string" ? data.recoveryUrl : null;
}

function findDiscount(commands: readonly Command[], key: string): Record<string, unknown> | null {
  const c = commands.find((x) => x.type === "create_discount" && x.idempotencyKey === key);
  return c && c.type === "create_discount"
    ? { idempotencyKey: c.idempotencyKey, kind: c.kind, value: c.value, expiresInHours: c.expiresInHours, prefix: c.prefix }
    : null;
}
