import type { SmsConfig } from "./config.server";
import { PermanentSmsError, TemporarySmsError } from "./errors";
import type { SmsProvider, SmsSendRequest, SmsSendResult } from "./provider";
import { TWILIO_ERRORS, twilioBasicAuth, twilioMessagesPath, type TwilioErrorBody, type TwilioMessageResource } from "./twilio-wire";

// Twilio's Programmable Messaging REST API (2010-04-01): POST a form-encoded
// To/From|MessagingServiceSid/Body with basic auth; 201 answers the message resource
// (sid, status, error_code, error_message), an error answers
// {code, message, more_info, status}. The wire format is in twilio-wire.ts.

// What we read of an answer: any field may be missing from a gateway that only mostly speaks Twilio.
type TwilioMessage = Partial<Pick<TwilioMessageResource, "sid" | "status" | "error_code" | "error_message">> & {
  num_segments?: string | null;
};
type TwilioError = Partial<TwilioErrorBody>;

const TIMEOUT_MS = 15_000;
// Errors that mean "this number will not take this message", whatever we retry.
// (21610: the recipient replied STOP at the carrier; the caller withdraws consent.)
export const TWILIO_OPTED_OUT = TWILIO_ERRORS.optedOut;

// Connection never established: nothing reached Twilio, a retry cannot double-send.
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

function networkError(err: unknown): TemporarySmsError {
  const cause = (err as { cause?: { code?: string } })?.cause;
  const code = cause?.code ?? (err as { name?: string })?.name ?? "network";
  if (NOT_SENT_CODES.has(code)) return new TemporarySmsError(`SMS gateway unreachable (${code})`, code);
  return new TemporarySmsError(`SMS gateway did not answer (${code}); the message may have been accepted`, code, { outcomeUnknown: true });
}

function retryAfter(res: Response): Date | null {
  const s = Number(res.headers.get("retry-after"));
  return Number.isFinite(s) && s > 0 ? new Date(Date.now() + s * 1000) : null;
}

export function createTwilioProvider(config: SmsConfig, fetchImpl: typeof fetch = fetch): SmsProvider {
  const url = `${config.apiBaseUrl}${twilioMessagesPath(config.accountSid)}`;
  const auth = twilioBasicAuth(config.accountSid, config.authToken);
  return {
    name: "twilio",
    async send(req: SmsSendRequest): Promise<SmsSendResult> {
      const form = new URLSearchParams({ To: req.to, Body: req.body });
      if (req.messagingServiceSid) form.set("MessagingServiceSid", req.messagingServiceSid);
      else if (req.from) form.set("From", req.from);
      else throw new PermanentSmsError("No sender: set a From number or a MessagingServiceSid", "no_sender");
      if (req.statusCallback) form.set("StatusCallback", req.statusCallback);

      let res: Response;
      try {
        res = await fetchImpl(url, {
          method: "POST",
          headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
          body: form.toString(),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (err) {
        throw networkError(err);
      }
      const text = await res.text().catch(() => "");
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        // An HTML error page from a proxy in front of the API: judged by status below.
      }
      if (res.ok) {
        const m = (json ?? {}) as TwilioMessage;
        if (!m.sid)
          throw new TemporarySmsError("SMS gateway accepted the request but returned no message id", "no_sid", { outcomeUnknown: true });
        if (m.status === "failed" || m.status === "undelivered") {
          throw new PermanentSmsError(m.error_message ?? `Message ${m.status}`, String(m.error_code ?? m.status));
        }
        const segments = m.num_segments ? Number(m.num_segments) : null;
        return { providerId: m.sid, status: m.status ?? "queued", segments: Number.isFinite(segments) ? segments : null };
      }
      const e = (json ?? {}) as TwilioError;
      const code = String(e.code ?? res.status);
      const message = `Twilio ${res.status}${e.code ? ` (${e.code})` : ""}: ${e.message ?? (text.slice(0, 200) || res.statusText)}`;
      // 429 and 5xx pass; 401/403 are our credentials, fixed by an operator, so the
      // message waits for them rather than being dropped. Any other 4xx is about
      // this message (bad number, opted out, unsupported region) and stays failed.
      if (res.status === 429 || res.status >= 500) throw new TemporarySmsError(message, code, { retryAt: retryAfter(res) });
      if (res.status === 401 || res.status === 403) throw new TemporarySmsError(message, code);
      throw new PermanentSmsError(message, code);
    },
  };
}
