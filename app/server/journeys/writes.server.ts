import crypto from "node:crypto";
import {
  enrollmentColumns,
  eventsOfInterest,
  plannedSend,
  type Command,
  type EnrollmentState,
  type FlowDefinition,
} from "~/domain/journey";
import type { RecentSend } from "~/domain/arbitration/types";
import { renderSms, smsCatalogueLiquid } from "~/domain/messages/sms-catalogue";
import { smsTextFor, type MessageContent } from "~/domain/messages/message-content";
import type { SmsBodyTemplate, SmsScope } from "~/domain/messages/sms-payload";
import { shopLinkOrNull } from "~/domain/messages/shop-links";
import { smsLanguage } from "~/domain/sms/estimate";
import { renderSmsContent, TemplateError } from "../channels/email/content-template.server";
import type { RawQuery } from "../db/client.server";
import { addCustomerTag, type CustomerRecord } from "../db/sql/customers.server";
import { insertDecisions } from "../db/sql/decisions.server";
import { updateEnrollmentStates } from "../db/sql/enrollments.server";
import { insertOutboxMessages, type NewOutboxMessage } from "../db/sql/messages.server";
import { insertSuppression } from "../db/sql/suppressions.server";
import { countDecisions } from "../measurement/flow-figures.server";
import type { RollupBuffer } from "../measurement/rollup-buffer.server";

type SmsShop = { name: string; url: string; linkHosts: ReadonlySet<string> } | undefined;

/**
 * The SMS text: the step's own (message editor) when it has one, else the catalogue's.
 * A text of the editor that does not render is never sent: the payload carries the
 * error instead of a body, and the dispatcher fails it as `template_error`. A text
 * that carries a discount code is rendered when it is sent, once the code exists at
 * Shopify: the payload carries the text and its scope (sms-payload.ts).
 */
function smsBody(
  templateKey: string,
  locale: string,
  content: MessageContent | undefined,
  customer: CustomerRecord,
  shop: SmsShop,
  trigger: Record<string, unknown>,
  hasDiscount: boolean,
): { body: string } | { bodyError: string } | { bodyTemplate: SmsBodyTemplate } {
  const url = (shop && shopLinkOrNull(trigger.recoveryUrl, shop.linkHosts)) ?? shop?.url ?? null;
  const own = content ? smsTextFor(content, locale) : null;
  if (!own && !hasDiscount) return { body: renderSms(templateKey, locale, { shop: shop?.name ?? "", url }) };
  const firstName = customer.firstName?.trim() ?? "";
  const lastName = customer.lastName?.trim() ?? "";
  const scope: SmsScope = {
    shop: { name: shop?.name ?? "", url: shop?.url ?? "" },
    customer: { firstName, lastName, fullName: [firstName, lastName].filter(Boolean).join(" ") },
    links: { recoveryUrl: url ?? "" },
  };
  const text = own ?? smsCatalogueLiquid(templateKey, smsLanguage(locale));
  if (hasDiscount) return { bodyTemplate: { text, scope } };
  try {
    return { body: renderSmsContent(text, scope) };
  } catch (err) {
    if (err instanceof TemplateError) return { bodyError: err.message };
    throw err;
  }
}

export interface EnrollmentRef {
  id: string;
  shopId: string;
  flowId: string;
  flowKey: string;
  priority: number;
  customerId: string;
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
 * log. State change and outbox commit together or not at all. The decisions' report
 * figures go to `rollups`, written by its owner at the end of the transaction.
 */
export class JourneyWrites {
  constructor(
    private readonly rollups: RollupBuffer,
    private readonly timeZoneOf: (shopId: string) => string,
  ) {}

  private enrollments = new Map<string, { state: EnrollmentState; definition: FlowDefinition }>();
  private messages: NewOutboxMessage[] = [];
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
    shop?: { name: string; url: string; linkHosts: ReadonlySet<string> },
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
            details: {
              ...c.details,
              ...(c.channel ? { channel: c.channel } : {}),
              ...(c.templateKey ? { templateKey: c.templateKey } : {}),
              flowKey: ref.flowKey,
            },
            messageKey: c.messageKey ?? null,
            at: new Date(c.at),
          });
          break;
        case "create_discount":
          discounts.set(c.idempotencyKey, {
            idempotencyKey: c.idempotencyKey,
            kind: c.kind,
            value: c.value,
            expiresInHours: c.expiresInHours,
            prefix: c.prefix,
          });
          break;
        case "send": {
          const toAddress = c.channel === "email" ? customer.emailAddress : customer.phoneAddress;
          if (!toAddress) break; // arbitration skips sends without an address; nothing to queue
          const discount = c.discount
            ? (discounts.get(c.discount.idempotencyKey) ??
              findDiscount(commands, c.discount.idempotencyKey) ?? { idempotencyKey: c.discount.idempotencyKey })
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
              ...(c.subject !== undefined && c.channel === "email" ? { subject: c.subject } : {}),
              trigger: state.trigger.data,
              ...(discount ? { discount } : {}),
              ...(c.content && c.channel === "email" ? { content: c.content } : {}),
              // An SMS is plain text: rendered now (with a discount code: when sent), sent as is
              // (the opt-out line is added at send time).
              ...(c.channel === "sms"
                ? smsBody(c.templateKey, c.locale, c.content, customer, shop, state.trigger.data, discount !== null)
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
    let messageIds = new Map<string, string>();
    if (this.messages.length) {
      const inserted = await insertOutboxMessages(q, this.messages);
      messageIds = new Map(inserted.map((r) => [`${r.shopId}:${r.idempotencyKey}`, r.id]));
    }
    if (this.decisions.length) {
      await insertDecisions(
        q,
        this.decisions.map(({ messageKey, ...r }) => ({
          ...r,
          messageId: messageKey ? (messageIds.get(`${r.shopId}:${messageKey}`) ?? null) : null,
          details: { ...r.details, ...(messageKey ? { messageKey } : {}) },
        })),
      );
      countDecisions(this.rollups, this.decisions, this.timeZoneOf);
    }
    if (this.enrollments.size) {
      await updateEnrollmentStates(
        q,
        [...this.enrollments.entries()].map(([id, { state, definition }]) => {
          const cols = enrollmentColumns(state);
          const planned = plannedSend(definition, state);
          return {
            id,
            state,
            ...cols,
            plannedSendAt: planned?.at ?? null,
            plannedSendChannel: planned?.channel ?? null,
            interestedIn: cols.status === "active" ? eventsOfInterest(definition) : [],
          };
        }),
        at,
      );
    }
    for (const t of this.tags) await addCustomerTag(q, t.customerId, t.tag, at);
    for (const s of this.suppressions) await insertSuppression(q, s, at);
    return { messages: messageIds.size, decisions: this.decisions.length };
  }
}

function findDiscount(commands: readonly Command[], key: string): Record<string, unknown> | null {
  const c = commands.find((x) => x.type === "create_discount" && x.idempotencyKey === key);
  return c && c.type === "create_discount"
    ? { idempotencyKey: c.idempotencyKey, kind: c.kind, value: c.value, expiresInHours: c.expiresInHours, prefix: c.prefix }
    : null;
}
