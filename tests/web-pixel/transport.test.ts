import { describe, expect, it, vi } from "vitest";
import { classifyStatus, createSender, type FetchLike } from "../../extensions/web-pixel/src/transport";

const ENDPOINT = "https://app.flowmate.test/api/pixel/events";
const BODY = '{"shop":"s.myshopify.com","v":1,"events":[]}';

describe("createSender", () => {
  it("POSTs a CORS-simple keepalive request", async () => {
    const fetch = vi.fn<FetchLike>(async () => ({ status: 204, ok: true }));
    const sendBeacon = vi.fn(async () => true);
    expect(await createSender({ endpoint: ENDPOINT, fetch, sendBeacon })(BODY)).toBe("ok");
    expect(fetch).toHaveBeenCalledWith(ENDPOINT, {
      method: "POST",
      keepalive: true,
      body: BODY,
      headers: { "content-type": "text/plain;charset=UTF-8" },
    });
    expect(sendBeacon).not.toHaveBeenCalled();
  });

  it("falls back to sendBeacon when fetch throws synchronously", async () => {
    const fetch = vi.fn<FetchLike>(() => {
      throw new TypeError("keepalive not supported");
    });
    const sendBeacon = vi.fn(async () => true);
    expect(await createSender({ endpoint: ENDPOINT, fetch, sendBeacon })(BODY)).toBe("ok");
    expect(sendBeacon).toHaveBeenCalledWith(ENDPOINT, BODY);
  });

  it("falls back to sendBeacon when fetch is unavailable", async () => {
    const sendBeacon = vi.fn(async () => false);
    expect(await createSender({ endpoint: ENDPOINT, fetch: undefined, sendBeacon })(BODY)).toBe("retry");
    expect(sendBeacon).toHaveBeenCalledWith(ENDPOINT, BODY);
  });

  it("treats a rejected fetch as retryable, not as a reason to beacon", async () => {
    const fetch = vi.fn<FetchLike>(async () => {
      throw new TypeError("Failed to fetch");
    });
    const sendBeacon = vi.fn(async () => true);
    expect(await createSender({ endpoint: ENDPOINT, fetch, sendBeacon })(BODY)).toBe("retry");
    expect(sendBeacon).not.toHaveBeenCalled();
  });

  it("classifies statuses", () => {
    expect([200, 202, 204].map(classifyStatus)).toEqual(["ok", "ok", "ok"]);
    expect([429, 500, 502, 503].map(classifyStatus)).toEqual(["retry", "retry", "retry", "retry"]);
    expect([400, 401, 403, 404, 413, 422].map(classifyStatus)).toEqual(Array(6).fill("drop"));
  });
});
