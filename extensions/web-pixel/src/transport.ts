import { byteLength } from "./wire";

/**
 * ok: delivered. retry: transient failure worth resending the same body.
 * drop: the server rejected the body; resending it cannot succeed.
 */
export type SendOutcome = "ok" | "retry" | "drop";

export type SendFn = (body: string) => Promise<SendOutcome>;

/** Browsers refuse keepalive requests whose pending bodies exceed 64 KB. */
export const KEEPALIVE_MAX_BYTES = 64 * 1024;

/** The subset of fetch we use, so tests can pass a plain stub. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Pick<Response, "status" | "ok">>;

export interface TransportDeps {
  endpoint: string;
  /** undefined when the sandbox has no fetch. */
  fetch: FetchLike | undefined;
  sendBeacon: ((url: string, body?: string) => Promise<boolean>) | undefined;
}

// text/plain keeps this a CORS "simple" request: no preflight round-trip,
// which matters because the page may be unloading while we send.
const HEADERS = { "content-type": "text/plain;charset=UTF-8" };

export function classifyStatus(status: number): SendOutcome {
  if (status >= 200 && status < 300) return "ok";
  if (status === 429 || status >= 500) return "retry";
  return "drop";
}

export function createSender(deps: TransportDeps): SendFn {
  const beacon = async (body: string): Promise<SendOutcome> => {
    if (!deps.sendBeacon) return "retry";
    try {
      // sendBeacon exposes no status, so "queued" is the best success signal
      // we get; false means the browser refused it (e.g. quota), so retry.
      return (await deps.sendBeacon(deps.endpoint, body)) ? "ok" : "retry";
    } catch {
      return "retry";
    }
  };

  return (body) => {
    if (!deps.fetch) return beacon(body);
    let pending: ReturnType<FetchLike>;
    try {
      pending = deps.fetch(deps.endpoint, {
        method: "POST",
        // keepalive lets the request outlive a navigation, but only within the
        // browser's 64 KB budget; larger bodies would be rejected outright.
        keepalive: byteLength(body) <= KEEPALIVE_MAX_BYTES,
        body,
        headers: HEADERS,
      });
    } catch {
      return beacon(body);
    }
    return pending.then(
      (res) => classifyStatus(res.status),
      (): SendOutcome => "retry",
    );
  };
}
