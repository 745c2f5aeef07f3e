// Twilio's Programmable Messaging REST API (2010-04-01) on the wire: what our
// provider (twilio.server.ts) sends and reads, and what the demo's stand-in
// (demo/standins/twilio.server.ts) answers. One description for both sides.
// https://www.twilio.com/docs/messaging/api/message-resource

export const TWILIO_API_VERSION = "2010-04-01";

/** POST (create) and GET (list) messages: `{base}/2010-04-01/Accounts/{AccountSid}/Messages.json`. */
export function twilioMessagesPath(accountSid: string): string {
  return `/${TWILIO_API_VERSION}/Accounts/${encodeURIComponent(accountSid)}/Messages.json`;
}

/** HTTP Basic auth, account SID : auth token. */
export function twilioBasicAuth(accountSid: string, authToken: string): string {
  return `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`;
}

/** E.164, as Twilio requires for To (and for a From that is a number). */
export const E164 = /^\+[1-9]\d{6,14}$/;

// The error codes the app and the stand-in use (https://www.twilio.com/docs/api/errors).
export const TWILIO_ERRORS = {
  /** 401: wrong account SID or auth token. */
  authenticate: 20003,
  /** 404: no such resource (e.g. another account's path). */
  notFound: 20404,
  /** 400: To is not a valid phone number. */
  invalidTo: 21211,
  /** 400: From is neither a number nor an alphanumeric sender id. */
  invalidFrom: 21212,
  /** 400: no Body. */
  bodyRequired: 21602,
  /** 400: neither From nor MessagingServiceSid. */
  fromRequired: 21603,
  /** 400: no To. */
  toRequired: 21604,
  /** 400: the recipient replied STOP to this sender (carrier-level opt-out). */
  optedOut: 21610,
  /** 400: Body over 1600 characters. */
  bodyTooLong: 21617,
} as const;

/** Twilio refuses longer bodies (21617). */
export const TWILIO_MAX_BODY_CHARS = 1600;

/** The Message resource (the fields Twilio returns; numbers it sends as strings stay strings). */
export interface TwilioMessageResource {
  account_sid: string;
  api_version: string;
  body: string;
  date_created: string;
  date_sent: string | null;
  date_updated: string;
  direction: "outbound-api" | "outbound-reply" | "inbound";
  error_code: number | null;
  error_message: string | null;
  from: string | null;
  messaging_service_sid: string | null;
  num_media: string;
  num_segments: string;
  price: string | null;
  price_unit: string;
  sid: string;
  status: "accepted" | "queued" | "sending" | "sent" | "delivered" | "undelivered" | "failed" | "received";
  subresource_uris: { media: string };
  to: string;
  uri: string;
}

/** Twilio's error body: `{code, message, more_info, status}`. */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export function twilioErrorBody(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** Twilio's date format, RFC 2822 in UTC: "Mon, 15 Jun 2026 10:00:00 +0000". */
export function twilioDate(d: Date): string {
  return d.toUTCString().replace("GMT", "+0000");
}
