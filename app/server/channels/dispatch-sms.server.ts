import type { Message, Prisma } from "@prisma/client";
import { z } from "zod";
import { outboxSkipReason } from "~/domain/messages/send-eligibility";
import { rendersAtSendTime } from "~/domain/messages/sms-payload";
import { now } from "../clock.server";
import { messageEligibility } from "../compliance/eligibility.server";
import { log } from "../log.server";
import type { LoadedMessage, Outcome } from "./dispatch-email.server";
import { errorText, forLog, markSending, retryOrFail, settle, settleSuppressed, storePayload } from "./outbox.server";
import { settleRenderFailure } from "./render-failure.server";
import { smsBodyAtSendTime } from "./sms-send-time-body.server";

// SMS goes through the SMS feature's sendSmsMessage(message) -> { providerId }, which
// re-checks consent and quiet hours itself and throws SmsSendError
// ({ permanent, code, outcomeUnknown, retryAt }). Loaded lazily so email keeps
// working in a build without the SMS channel.

type SendSms = (message: Message) => Promise<{ providerId: string }>;
interface SmsErrorLike {
  permanent: boolean;
  code: string;
  outcomeUnknown: boolean;
  retryAt: Date | null;
}

const SMS_MODULE = "./sms/send-sms.server";
/** Permanent SMS errors that are a customer's choice (not a fault): recorded as suppressed. */
const CHOICE_CODES = new Set(["no_consent", "paused", "topic_opt_out", "suppressed", "no_address", "unknown_customer", "address_changed"]);

let loaded: Promise<SendSms | null> | undefined;

function smsSender(): Promise<SendSms | null> {
  loaded ??= import(/* @vite-ignore */ SMS_MODULE).then(
    (mod: { sendSmsMessage?: SendSms }) => mod.sendSmsMessage ?? null,
    (err: unknown) => {
      log.warn("sms channel unavailable", { err: forLog(errorText(err)) });
      return null;
    },
  );
  return loaded;
}

/** Null when the lease was lost before sending (another worker owns the row now). */
export async function dispatchSms(workerId: string, m: LoadedMessage, at: Date): Promise<Outcome | null> {
  const send = await smsSender();
  if (!send) {
    await settle(
      workerId,
      m,
      "pending",
      { status: "failed", data: { error: "sms channel unavailable" }, decision: { reason: "sms_channel_unavailable" } },
      at,
    );
    return "failed";
  }
  const blocked = outboxSkipReason({ channel: m.channel, purpose: m.purpose, toAddress: m.toAddress, shop: m.shop, customer: m.customer });
  if (blocked) return settleSuppressed(workerId, m, blocked, at);
  const bodyError = (m.payload as { bodyError?: unknown } | null)?.bodyError;
  if (typeof bodyError === "string") {
    // The step's own text did not render when it was enqueued: never sent.
    await settle(
      workerId,
      m,
      "pending",
      { status: "failed", data: { error: bodyError }, decision: { reason: "template_error", details: { error: bodyError } } },
      at,
    );
    return "failed";
  }
  if (rendersAtSendTime(m.payload)) {
    // Its code is created before sending: not for a customer the send would refuse.
    const e = await messageEligibility(m, at);
    if (!e.allowed) return settleSuppressed(workerId, m, e.reason, at, "send_time_check");
  }
  let body: string | null;
  let toSend: Message = m;
  try {
    body = await smsBodyAtSendTime(m, at);
  } catch (err) {
    return settleRenderError(workerId, m, err, at);
  }
  if (body !== null) {
    // Stored before the provider call: the row records what was sent, its short links
    // resolve from it, and a retry sends this text as it is (same code, none created).
    const payload = { ...(m.payload as Prisma.JsonObject), body };
    if (!(await storePayload(workerId, m.id, payload))) return null;
    toSend = { ...m, payload };
  }
  if (!(await markSending(workerId, [{ id: m.id, subject: null, locale: m.locale, messageIdHeader: null }], at)).has(m.id)) return null;
  let providerId: string;
  try {
    ({ providerId } = await send(toSend));
  } catch (err) {
    return settleSmsError(workerId, m, err);
  }
  const done = now();
  await settle(workerId, m, "sending", { status: "sent", data: { sentAt: done, providerId, error: null } }, done);
  return "sent";
}

/** As an email's: a text that does not render is never sent; a code Shopify could not create is retried. */
async function settleRenderError(workerId: string, m: LoadedMessage, err: unknown, at: Date): Promise<Outcome> {
  log.warn("sms not rendered", { messageId: m.id, err: forLog(errorText(err)) });
  return settleRenderFailure(workerId, m, err, at, { permanent: err instanceof z.ZodError });
}

async function settleSmsError(workerId: string, m: LoadedMessage, err: unknown): Promise<Outcome> {
  const at = now();
  const e = isSmsError(err) ? err : null;
  const error = errorText(err);
  // Anything we cannot read (a bug, a timeout mid-request) may have reached the provider.
  if (!e || e.outcomeUnknown) {
    await settle(
      workerId,
      m,
      "sending",
      { status: "unknown", data: { error }, decision: { reason: "outcome_unknown", details: { error } } },
      at,
    );
    return "unknown";
  }
  if (e.permanent) {
    const status = CHOICE_CODES.has(e.code) ? "suppressed" : "failed";
    await settle(workerId, m, "sending", { status, data: { error }, decision: { reason: e.code, details: { error } } }, at);
    return status;
  }
  // The SMS window is a wait, not a failed attempt.
  const attempts = e.code === "sms_window" ? m.attempts - 1 : m.attempts;
  const s = retryOrFail(attempts, error, at, { retryAt: e.retryAt });
  await settle(workerId, m, "sending", { ...s, data: { ...s.data, attempts } }, at);
  return s.status === "pending" ? "retried" : "failed";
}

function isSmsError(err: unknown): err is SmsErrorLike {
  return (
    typeof err === "object" &&
    err !== null &&
    typeof (err as SmsErrorLike).permanent === "boolean" &&
    typeof (err as SmsErrorLike).code === "string"
  );
}
