import http from "node:http";
import type { AddressInfo } from "node:net";
import { asyncListener } from "./http";

// A stand-in for Twilio's REST API, on the wire exactly as Twilio speaks it:
// POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded, basic auth;
// 201 + the Message resource, or {code, message, more_info, status}.
export const TWILIO_SID = "AC" + "0123456789abcdef".repeat(2);
export const TWILIO_TOKEN = "twilio-auth-token-for-tests";

export interface TwilioReceived {
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  form: URLSearchParams;
}

export interface TwilioFailure {
  status: number;
  code: number;
  message: string;
  retryAfter?: string;
}

export interface TwilioDouble {
  /** Every request, in order (clear with `received.length = 0`). */
  received: TwilioReceived[];
  /** Answers the next send with this error (null: none). */
  failNext(f: TwilioFailure | null): void;
  /** Set once started. */
  url: string;
  start(): Promise<void>;
  close(): Promise<void>;
  /** The environment that points the app's Twilio provider at this double. */
  env(): Record<string, string>;
}

/**
 * `accounts`: the account SIDs it knows, with their auth tokens (by default only
 * TWILIO_SID); any other account answers 404, a wrong token 401, as Twilio does.
 */
export function twilioDouble(accounts: Record<string, string> = { [TWILIO_SID]: TWILIO_TOKEN }): TwilioDouble {
  const received: TwilioReceived[] = [];
  let nextFailure: TwilioFailure | null = null;
  const server = http.createServer(
    asyncListener(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      received.push({ path: req.url ?? "", authorization: req.headers.authorization, contentType: req.headers["content-type"], form });
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers }).end(JSON.stringify(body));
      };
      const error = (status: number, code: number, message: string, headers?: Record<string, string>) =>
        send(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);
      const account = /^\/2010-04-01\/Accounts\/(\w+)\/Messages\.json$/.exec(req.url ?? "")?.[1];
      if (req.method !== "POST" || !account || !Object.hasOwn(accounts, account))
        return error(404, 20404, "The requested resource was not found");
      if (req.headers.authorization !== `Basic ${Buffer.from(`${account}:${accounts[account]}`).toString("base64")}`)
        return error(401, 20003, "Authenticate");
      if (nextFailure) {
        const f = nextFailure;
        nextFailure = null;
        return error(f.status, f.code, f.message, f.retryAfter ? { "retry-after": f.retryAfter } : {});
      }
      const to = form.get("To") ?? "";
      if (!/^\+[1-9]\d{6,14}$/.test(to)) return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      if (!form.get("From") && !form.get("MessagingServiceSid"))
        return error(400, 21603, "The source 'from' phone number is required to send an SMS");
      const sid = "SM" + String(received.length).padStart(32, "0");
      send(201, {
        account_sid: account,
        api_version: "2010-04-01",
        body: form.get("Body"),
        date_created: new Date().toUTCString().replace("GMT", "+0000"),
        date_sent: null,
        date_updated: new Date().toUTCString().replace("GMT", "+0000"),
        direction: "outbound-api",
        error_code: null,
        error_message: null,
        from: form.get("From"),
        messaging_service_sid: form.get("MessagingServiceSid"),
        num_media: "0",
        num_segments: "1",
        price: null,
        price_unit: "USD",
        sid,
        status: "queued",
        subresource_uris: { media: `/2010-04-01/Accounts/${account}/Messages/${sid}/Media.json` },
        to,
        uri: `/2010-04-01/Accounts/${account}/Messages/${sid}.json`,
      });
    }),
  );
  const double: TwilioDouble = {
    received,
    failNext: (f) => (nextFailure = f),
    url: "",
    start: () =>
      new Promise((resolve) =>
        server.listen(0, "127.0.0.1", () => {
          double.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
          resolve();
        }),
      ),
    close: () => new Promise<void>((r) => server.close(() => r())),
    env: () => ({ TWILIO_ACCOUNT_SID: TWILIO_SID, TWILIO_AUTH_TOKEN: TWILIO_TOKEN, SMS_API_BASE_URL: double.url }),
  };
  return double;
}
