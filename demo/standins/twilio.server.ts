import crypto from "node:crypto";
import { phoneCountry } from "~/domain/sms/estimate";
import { normalizeKeyword } from "~/domain/sms/keywords";
import { countSmsSegments, type SmsEncoding } from "~/domain/sms/segments";
import { now as clockNow } from "~/server/clock.server";
import { readSmallForm } from "~/server/compliance/form.server";
import { log } from "~/server/log.server";
import { readSmsConfig } from "~/server/channels/sms/config.server";
import { twilioSignature } from "~/server/channels/sms/twilio-signature.server";
import {
  E164,
  TWILIO_API_VERSION,
  TWILIO_ERRORS,
  TWILIO_MAX_BODY_CHARS,
  twilioDate,
  twilioErrorBody,
  twilioMessagesPath,
  type TwilioMessageResource,
} from "~/server/channels/sms/twilio-wire";

// The demo's SMS gateway: Twilio's Messages API on the wire (POST .../Messages.json,
// form-encoded, basic auth; 201 + the message resource, or Twilio's error JSON), so
// the app's real provider is what sends, as it would to api.twilio.com. It accepts the
// account configured in TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN (the demo's, set by
// server.ts), keeps what it received in memory for the SMS outbox (/dev/sms), and
// plays the recipient's side: a reply goes to the app's /sms/inbound as Twilio's
// signed incoming-message webhook.

export interface StandinSms {
  sid: string;
  direction: TwilioMessageResource["direction"];
  accountSid: string;
  from: string | null;
  to: string;
  body: string;
  messagingServiceSid: string | null;
  statusCallback: string | null;
  segments: number;
  encoding: SmsEncoding;
  status: TwilioMessageResource["status"];
  /** The app clock's time (the demo clock moves it), ISO. */
  createdAt: string;
  /** Inbound only: what the app's /sms/inbound answered. */
  webhookStatus?: number;
}

interface StandinState {
  messages: StandinSms[];
  /** Carrier-level opt-outs, `${sender}|${recipient}`: Twilio blocks the sender's texts to that number (21610). */
  optedOut: Set<string>;
}
const g = globalThis as unknown as { __flowmateSmsStandin?: StandinState };
const state: StandinState = (g.__flowmateSmsStandin ??= { messages: [], optedOut: new Set() });
const KEEP = 500;

// Twilio's own keywords (Advanced Opt-Out defaults), which it acts on before the webhook runs.
const CARRIER_STOP = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"]);
const CARRIER_START = new Set(["START", "YES", "UNSTOP"]);
// Alphanumeric sender id: up to 11 letters, digits and spaces, at least one letter.
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;

/** Newest first. */
export function standinSmsMessages(): readonly StandinSms[] {
  return state.messages;
}

/** A customer's number as the outbox shows it: +48601•••222. */
export function maskPhone(phone: string): string {
  return phone.length <= 9 ? phone : `${phone.slice(0, 6)}•••${phone.slice(-3)}`;
}

export function resetSmsStandin(): void {
  state.messages.length = 0;
  state.optedOut.clear();
}

function newSid(prefix: "SM"): string {
  return prefix + crypto.randomBytes(16).toString("hex");
}

function record(m: Omit<StandinSms, "sid" | "segments" | "encoding" | "createdAt"> & { sid?: string }): StandinSms {
  const count = countSmsSegments(m.body);
  const stored: StandinSms = {
    ...m,
    sid: m.sid ?? newSid("SM"),
    segments: Math.max(1, count.segments),
    encoding: count.encoding,
    createdAt: clockNow().toISOString(),
  };
  state.messages.unshift(stored);
  state.messages.length = Math.min(state.messages.length, KEEP);
  return stored;
}

export function messageResource(m: StandinSms): TwilioMessageResource {
  const at = twilioDate(new Date(m.createdAt));
  const uri = `${twilioMessagesPath(m.accountSid).replace(/\.json$/, "")}/${m.sid}`;
  return {
    account_sid: m.accountSid,
    api_version: TWILIO_API_VERSION,
    body: m.body,
    date_created: at,
    date_sent: m.status === "queued" || m.status === "accepted" ? null : at,
    date_updated: at,
    direction: m.direction,
    error_code: null,
    error_message: null,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: "0",
    num_segments: String(m.segments),
    price: null,
    price_unit: "USD",
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `${uri}/Media.json` },
    to: m.to,
    uri: `${uri}.json`,
  };
}

function twilioError(status: number, code: number, message: string, headers?: HeadersInit): Response {
  return Response.json(twilioErrorBody(status, code, message), { status, headers });
}

/** Null when the request is the configured account; else Twilio's 401 or 404. */
function refuseUnlessAccount(request: Request, accountSidInPath: string): Response | null {
  const config = readSmsConfig();
  const header = request.headers.get("authorization") ?? "";
  const decoded = header.startsWith("Basic ") ? Buffer.from(header.slice(6), "base64").toString("utf8") : "";
  const colon = decoded.indexOf(":");
  const [user, password] = colon < 0 ? ["", ""] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
  if (!config || user !== config.accountSid || password !== config.authToken) {
    return twilioError(401, TWILIO_ERRORS.authenticate, "Authenticate", { "www-authenticate": 'Basic realm="Twilio API"' });
  }
  if (accountSidInPath !== config.accountSid) {
    return twilioError(404, TWILIO_ERRORS.notFound, `The requested resource ${twilioMessagesPath(accountSidInPath)} was not found`);
  }
  return null;
}

/** POST /2010-04-01/Accounts/{AccountSid}/Messages.json */
export async function createMessage(request: Request, accountSidInPath: string): Promise<Response> {
  const refused = refuseUnlessAccount(request, accountSidInPath);
  if (refused) return refused;
  const form = await readSmallForm(request, 64 * 1024);
  if (!form) return twilioError(400, 20001, "Unreadable request body");
  const to = form.get("To")?.trim() ?? "";
  const from = form.get("From")?.trim() || null;
  const messagingServiceSid = form.get("MessagingServiceSid")?.trim() || null;
  const body = form.get("Body") ?? "";
  if (!to) return twilioError(400, TWILIO_ERRORS.toRequired, "A 'To' phone number is required.");
  if (!E164.test(to)) return twilioError(400, TWILIO_ERRORS.invalidTo, `The 'To' number ${to} is not a valid phone number.`);
  if (!from && !messagingServiceSid) return twilioError(400, TWILIO_ERRORS.fromRequired, "A 'From' phone number is required.");
  if (from && !E164.test(from) && !ALPHANUMERIC_SENDER.test(from))
    return twilioError(
      400,
      TWILIO_ERRORS.invalidFrom,
      `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`,
    );
  if (!body.trim()) return twilioError(400, TWILIO_ERRORS.bodyRequired, "Message body is required.");
  if (body.length > TWILIO_MAX_BODY_CHARS)
    return twilioError(
      400,
      TWILIO_ERRORS.bodyTooLong,
      `The concatenated message body exceeds the ${TWILIO_MAX_BODY_CHARS} character limit.`,
    );
  if (state.optedOut.has(`${from ?? messagingServiceSid}|${to}`))
    return twilioError(400, TWILIO_ERRORS.optedOut, "Attempt to send to unsubscribed recipient");

  const m = record({
    direction: "outbound-api",
    accountSid: accountSidInPath,
    // Through a messaging service Twilio picks the sender later: `from` is null and the status "accepted".
    from: messagingServiceSid ? null : from,
    to,
    body,
    messagingServiceSid,
    statusCallback: form.get("StatusCallback") || null,
    status: messagingServiceSid ? "accepted" : "queued",
  });
  log.info("sms stand-in accepted a message", { sid: m.sid, segments: m.segments });
  return Response.json(messageResource(m), { status: 201 });
}

/** GET /2010-04-01/Accounts/{AccountSid}/Messages.json: the first page of Twilio's list, newest first. */
export function listMessages(request: Request, accountSidInPath: string): Response {
  const refused = refuseUnlessAccount(request, accountSidInPath);
  if (refused) return refused;
  const url = new URL(request.url);
  const pageSize = Math.min(1000, Math.max(1, Number(url.searchParams.get("PageSize")) || 50));
  const to = url.searchParams.get("To");
  const messages = state.messages.filter((m) => m.accountSid === accountSidInPath && (!to || m.to === to)).slice(0, pageSize);
  const path = twilioMessagesPath(accountSidInPath);
  return Response.json({
    messages: messages.map(messageResource),
    end: Math.max(0, messages.length - 1),
    first_page_uri: `${path}?PageSize=${pageSize}&Page=0`,
    next_page_uri: null,
    page: 0,
    page_size: pageSize,
    previous_page_uri: null,
    start: 0,
    uri: `${path}?PageSize=${pageSize}&Page=0`,
  });
}

function xmlUnescape(s: string): string {
  return s.replace(/&(lt|gt|amp|apos|quot);/g, (_, e: string) => ({ lt: "<", gt: ">", amp: "&", apos: "'", quot: '"' })[e]!);
}

/**
 * The recipient of message `sid` texts `body` back to its sender. As Twilio does:
 * its own keywords change the carrier-level opt-out first, then the app's webhook
 * (`appOrigin`/sms/inbound) gets the signed incoming message, and the TwiML
 * <Message> it answers goes back to the recipient. (Twilio's default opt-out
 * handling would send its own confirmation instead; the demo shows the app's.)
 */
export async function replyAsRecipient(
  sid: string,
  body: string,
  appOrigin: string,
): Promise<{ inbound: StandinSms; replies: StandinSms[] }> {
  const original = state.messages.find((m) => m.sid === sid);
  if (!original || original.direction === "inbound" || !original.from) throw new Error(`No outgoing SMS ${sid} from a number to reply to`);
  const config = readSmsConfig();
  if (!config) throw new Error("SMS is not configured");
  const customer = original.to;
  const shopNumber = original.from;

  const keyword = normalizeKeyword(body);
  const pair = `${shopNumber}|${customer}`;
  if (CARRIER_STOP.has(keyword)) state.optedOut.add(pair);
  if (CARRIER_START.has(keyword)) state.optedOut.delete(pair);

  const inbound = record({
    direction: "inbound",
    accountSid: config.accountSid,
    from: customer,
    to: shopNumber,
    body,
    messagingServiceSid: original.messagingServiceSid,
    statusCallback: null,
    status: "received",
  });
  // The parameters of Twilio's incoming-message webhook.
  const params = new URLSearchParams({
    ToCountry: phoneCountry(shopNumber) ?? "",
    SmsMessageSid: inbound.sid,
    NumMedia: "0",
    SmsSid: inbound.sid,
    SmsStatus: "received",
    Body: body,
    FromCountry: phoneCountry(customer) ?? "",
    To: shopNumber,
    NumSegments: String(inbound.segments),
    MessageSid: inbound.sid,
    AccountSid: config.accountSid,
    From: customer,
    ApiVersion: TWILIO_API_VERSION,
  });
  if (original.messagingServiceSid) params.set("MessagingServiceSid", original.messagingServiceSid);
  const url = `${appOrigin.replace(/\/+$/, "")}/sms/inbound`;
  let twiml = "";
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded; charset=UTF-8",
        "x-twilio-signature": twilioSignature(config.authToken, url, params),
        "user-agent": "TwilioProxy/1.1",
      },
      body: params.toString(),
      signal: AbortSignal.timeout(15_000),
    });
    inbound.webhookStatus = res.status;
    twiml = res.ok ? await res.text() : "";
  } catch (err) {
    inbound.webhookStatus = 0;
    log.warn("sms stand-in could not reach the inbound webhook", { err: String(err) });
  }
  const replies = [...twiml.matchAll(/<Message(?:\s[^>]*)?>([\s\S]*?)<\/Message>/g)].map((match) =>
    record({
      direction: "outbound-reply",
      accountSid: config.accountSid,
      from: shopNumber,
      to: customer,
      body: xmlUnescape(match[1]!),
      messagingServiceSid: original.messagingServiceSid,
      statusCallback: null,
      status: "sent",
    }),
  );
  return { inbound, replies };
}
