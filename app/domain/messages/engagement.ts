import { isbot } from "isbot";

// Opens and clicks that a machine made. Apple Mail Privacy Protection fetches every
// image as soon as mail arrives, Gmail and Yahoo fetch through image proxies, and
// corporate link scanners open and "click" everything within seconds of delivery.
// Such events are stored with reliable = false: good for engagement signals, never
// for attribution. Attribution uses reliable clicks, and reliable opens only where the
// merchant switched open attribution on (app/domain/measurement/attribution.ts).

export type MachineSignal = "apple_mail_privacy_proxy" | "bot_user_agent" | "no_user_agent" | "too_soon_after_send" | "head_request";

export interface EngagementRequest {
  userAgent: string | null;
  method: string;
  /** When the message was handed to the provider; null if not yet recorded. */
  sentAt: Date | null;
  at: Date;
}

/** Nothing a person does happens within two seconds of sending. */
export const HUMAN_MIN_DELAY_MS = 2_000;

// Apple Mail (and its privacy proxy) send WebKit without a browser token: no "Safari/", "Version/" or "Chrome/".
const APPLE_MAIL = /^Mozilla\/5\.0 \([^)]*\) AppleWebKit\/[\d.]+ \(KHTML, like Gecko\)(?: Mobile\/\w+)?$/;

export function machineOpenSignal(r: EngagementRequest): MachineSignal | null {
  const ua = r.userAgent?.trim() ?? "";
  if (!ua) return "no_user_agent";
  if (APPLE_MAIL.test(ua)) return "apple_mail_privacy_proxy";
  return commonSignal(ua, r);
}

export function machineClickSignal(r: EngagementRequest): MachineSignal | null {
  const ua = r.userAgent?.trim() ?? "";
  if (!ua) return "no_user_agent";
  return commonSignal(ua, r);
}

function commonSignal(ua: string, r: EngagementRequest): MachineSignal | null {
  if (r.method.toUpperCase() === "HEAD") return "head_request";
  if (isbot(ua)) return "bot_user_agent";
  if (!r.sentAt || r.at.getTime() - r.sentAt.getTime() < HUMAN_MIN_DELAY_MS) return "too_soon_after_send";
  return null;
}
