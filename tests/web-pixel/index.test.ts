import type { ExtensionApi } from "@shopify/web-pixels-extension";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { WireBody } from "../../extensions/web-pixel/src/wire";
import { checkoutCompletedEvent, productViewedEvent, SHOP_DOMAIN } from "./fixtures";

// The real register() hands the callback to the sandbox's `shopify` global;
// capture it instead so the test can play the role of the pixel manager.
const captured = vi.hoisted(() => ({ extend: undefined as undefined | ((api: ExtensionApi) => void) }));
vi.mock("@shopify/web-pixels-extension", () => ({
  register: (extend: (api: ExtensionApi) => void) => {
    captured.extend = extend;
  },
}));

const ENDPOINT = "https://app.flowmate.test/api/pixel/events";

type Handler = (event: unknown) => void;

function boot(settings: Record<string, unknown> = { endpoint: ENDPOINT }) {
  const handlers = new Map<string, Handler>();
  const subscribe = vi.fn((name: string, handler: Handler) => {
    handlers.set(name, handler);
    return () => handlers.delete(name);
  });
  const sendBeacon = vi.fn(async (_url: string, _body?: string) => true);
  const api = {
    analytics: { subscribe },
    browser: { sendBeacon },
    init: { data: { shop: { myshopifyDomain: SHOP_DOMAIN } } },
    settings,
  } as unknown as ExtensionApi;
  captured.extend!(api);
  const publish = (event: { name: string }) => {
    const handler = handlers.get(event.name);
    if (!handler) throw new Error(`pixel did not subscribe to ${event.name}`);
    handler(event);
  };
  return { subscribe, sendBeacon, publish };
}

beforeAll(async () => {
  await import("../../extensions/web-pixel/src/index");
});

let fetchMock: ReturnType<typeof vi.fn>;
beforeEach(() => {
  vi.useFakeTimers();
  fetchMock = vi.fn(async () => new Response(null, { status: 204 }));
  vi.stubGlobal("fetch", fetchMock);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("web pixel register callback", () => {
  it("registers its callback at module load", () => {
    expect(captured.extend).toBeTypeOf("function");
  });

  it("subscribes to exactly the 10 standard events", () => {
    const { subscribe } = boot();
    expect(subscribe.mock.calls.map(([name]) => name).sort()).toEqual(
      [
        "page_viewed",
        "product_viewed",
        "collection_viewed",
        "search_submitted",
        "product_added_to_cart",
        "product_removed_from_cart",
        "cart_viewed",
        "checkout_started",
        "checkout_contact_info_submitted",
        "checkout_completed",
      ].sort(),
    );
  });

  it("sends checkout_completed immediately to settings.endpoint, batched with earlier events", () => {
    const { publish, sendBeacon } = boot();
    // A batched event (page_viewed) rides along with the immediate one.
    const pageViewed = { ...productViewedEvent, name: "page_viewed" } as unknown as typeof productViewedEvent;
    publish(pageViewed);
    expect(fetchMock).not.toHaveBeenCalled();
    publish(checkoutCompletedEvent);

    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe(ENDPOINT);
    expect(init).toMatchObject({
      method: "POST",
      keepalive: true,
      headers: { "content-type": "text/plain;charset=UTF-8" },
    });
    const body = JSON.parse(init.body as string) as WireBody;
    expect(body.shop).toBe(SHOP_DOMAIN);
    expect(body.v).toBe(1);
    expect(body.events.map((e) => [e.id, e.name, e.seq])).toEqual([
      [productViewedEvent.id, "page_viewed", 3],
      [checkoutCompletedEvent.id, "checkout_completed", 11],
    ]);
    expect(body.events[1]!.context).toEqual({
      url: checkoutCompletedEvent.context.document.location.href,
      referrer: checkoutCompletedEvent.context.document.referrer,
      title: checkoutCompletedEvent.context.document.title,
      language: "en-US",
    });
    expect(body.events[1]!.data).toEqual(JSON.parse(JSON.stringify(checkoutCompletedEvent.data)));
    expect(sendBeacon).not.toHaveBeenCalled();
  });

  it("sends product_viewed at once and holds a page_viewed for the 500 ms batch window", async () => {
    const { publish } = boot();
    publish(productViewedEvent);
    await vi.advanceTimersByTimeAsync(0);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    fetchMock.mockClear();
    publish({ ...productViewedEvent, id: "sh-page-1", name: "page_viewed", data: {} } as unknown as typeof productViewedEvent);
    await vi.advanceTimersByTimeAsync(499);
    expect(fetchMock).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("uses browser.sendBeacon when fetch throws synchronously", () => {
    fetchMock.mockImplementation(() => {
      throw new TypeError("fetch is blocked");
    });
    const { publish, sendBeacon } = boot();
    publish(checkoutCompletedEvent);
    expect(sendBeacon).toHaveBeenCalledTimes(1);
    const [url, body] = sendBeacon.mock.calls[0]!;
    expect(url).toBe(ENDPOINT);
    expect((JSON.parse(body!) as WireBody).events[0]!.id).toBe(checkoutCompletedEvent.id);
  });

  it("uses browser.sendBeacon when fetch is unavailable", async () => {
    vi.stubGlobal("fetch", undefined);
    const { publish, sendBeacon } = boot();
    publish(checkoutCompletedEvent);
    await vi.advanceTimersByTimeAsync(0);
    expect(sendBeacon).toHaveBeenCalledTimes(1);
  });

  it("stays inert without a usable endpoint setting", () => {
    for (const settings of [{}, { endpoint: "" }, { endpoint: "not a url" }, { endpoint: "javascript:alert(1)" }]) {
      expect(boot(settings).subscribe).not.toHaveBeenCalled();
    }
  });
});
