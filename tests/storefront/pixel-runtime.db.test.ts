// The storefront's stand-in for Shopify's pixel runtime, with the REAL built pixel
// bundle running on it (in a bare V8 context with just the browser APIs they use).
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import type { ExtensionApi } from "@shopify/web-pixels-extension";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { CONFIG_ELEMENT_IDS } from "../../demo/storefront/client/config";
import type { LoggedEvent, PixelRuntimeApi, PixelRuntimeConfig } from "../../demo/storefront/client/pixel-runtime";
import { jsonForScript } from "../../demo/storefront/page.server";
import type { WireBody } from "../../extensions/web-pixel/src/wire";
import { buildDemoStorefront, DEMO_STOREFRONT_DIST } from "../../scripts/build-demo-storefront";
import { buildPixel } from "../../scripts/build-pixel";

const PIXEL = path.resolve("extensions/web-pixel/dist/main.js");
// The runtime as the page loads it: the built build/demo-storefront/pixel-runtime.js.
const RUNTIME = path.join(DEMO_STOREFRONT_DIST, "pixel-runtime.js");
let pixelBundle = "";
let runtimeBundle = "";
beforeAll(async () => {
  if (!fs.existsSync(PIXEL)) await buildPixel();
  if (!fs.existsSync(RUNTIME)) await buildDemoStorefront();
  pixelBundle = fs.readFileSync(PIXEL, "utf8");
  runtimeBundle = fs.readFileSync(RUNTIME, "utf8");
});

const ENDPOINT = "http://localhost:3100/api/pixel/events";
const CONFIG: PixelRuntimeConfig = {
  settings: { endpoint: ENDPOINT },
  shop: {
    countryCode: "PL",
    myshopifyDomain: "demo-shop.myshopify.com",
    name: "Kawa & Co. (demo)",
    paymentSettings: { currencyCode: "PLN" },
    storefrontUrl: "http://localhost:3100/dev/storefront",
  },
  logKey: "flowmate-sim:events",
  logLimit: 5,
};

function memoryStorage(map = new Map<string, string>()) {
  return {
    map,
    getItem: (k: string) => (map.has(k) ? map.get(k)! : null),
    setItem: (k: string, v: string) => void map.set(k, String(v)),
    removeItem: (k: string) => void map.delete(k),
    clear: () => map.clear(),
    key: (i: number) => [...map.keys()][i] ?? null,
    get length() {
      return map.size;
    },
  };
}

/** A "page load": a fresh global scope sharing the browser's storage. */
function pageLoad(options: { href?: string; storage?: Map<string, string>; cookie?: string } = {}) {
  const fetchCalls: { url: string; init: RequestInit }[] = [];
  const fetch = vi.fn(async (url: string, init: RequestInit) => {
    fetchCalls.push({ url, init });
    return new Response(null, { status: 202 });
  });
  const sendBeacon = vi.fn(() => true);
  const location = new URL(options.href ?? "http://localhost:3100/dev/storefront?product=ceramic-mug");
  // The page's configuration element, exactly as page.server.ts writes it.
  const configElement = { textContent: jsonForScript(CONFIG) };
  const document = {
    cookie: options.cookie ?? "",
    characterSet: "UTF-8",
    referrer: "http://localhost:3100/dev/storefront",
    title: "Ceramic Mug – Kawa & Co.",
    getElementById: (id: string) => (id === CONFIG_ELEMENT_IDS.pixelRuntime ? configElement : null),
  };
  const sandbox: Record<string, unknown> = {
    console,
    setTimeout,
    clearTimeout,
    fetch,
    TextEncoder,
    URL,
    crypto: globalThis.crypto,
    document,
    location,
    localStorage: memoryStorage(options.storage),
    sessionStorage: memoryStorage(),
    navigator: { language: "pl-PL", languages: ["pl-PL", "en"], userAgent: "vitest", cookieEnabled: true, sendBeacon },
    screen: { width: 1440, height: 900 },
    innerWidth: 1280,
    innerHeight: 800,
    outerWidth: 1280,
    outerHeight: 900,
    screenX: 0,
    screenY: 0,
    scrollX: 0,
    scrollY: 0,
  };
  sandbox.window = sandbox;
  sandbox.self = sandbox;
  const context = vm.createContext(sandbox);
  vm.runInContext(runtimeBundle, context);
  return {
    context,
    sandbox,
    fetchCalls,
    sendBeacon,
    runtime: () => sandbox.flowmatePixelRuntime as PixelRuntimeApi,
    loadPixel: (): void => {
      vm.runInContext(pixelBundle, context);
    },
  };
}

const settle = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));
const bodies = (calls: { init: RequestInit }[]) =>
  calls.map(({ init }) => {
    if (typeof init.body !== "string") throw new Error("the pixel sends its batch as a JSON string");
    return JSON.parse(init.body) as WireBody;
  });

describe("pixel runtime (Shopify's WebPixel::Render stand-in)", () => {
  it("provides the `shopify.extend` global that register() from @shopify/web-pixels-extension calls", () => {
    const page = pageLoad();
    const shopify = page.sandbox.shopify as { extend: (point: string, cb: (api: ExtensionApi) => void) => void };
    expect(typeof shopify.extend).toBe("function");
    let api: ExtensionApi | undefined;
    shopify.extend("WebPixel::Render", (a) => (api = a));
    expect(api!.settings).toEqual({ endpoint: ENDPOINT });
    expect(api!.init.data.shop.myshopifyDomain).toBe("demo-shop.myshopify.com");
    expect(api!.init.data.shop.paymentSettings.currencyCode).toBe("PLN");
    expect(api!.init.customerPrivacy.analyticsProcessingAllowed).toBe(true);
    expect(typeof api!.analytics.subscribe).toBe("function");
    expect(typeof api!.browser.sendBeacon).toBe("function");
    expect(() => shopify.extend("Checkout::Render", () => {})).toThrow();
  });

  it("runs the real pixel bundle, which subscribes and sends Shopify-shaped events in wire format v1", async () => {
    const page = pageLoad();
    page.runtime().publish("page_viewed", {});
    page.loadPixel();
    expect(page.runtime().pixelCount()).toBe(1);
    page.runtime().publish("checkout_completed", {
      checkout: { token: "abc", email: "anna@example.com", order: { id: "6900000001" } },
    } as never);
    await settle();

    expect(page.fetchCalls).toHaveLength(1);
    const { url, init } = page.fetchCalls[0]!;
    expect(url).toBe(ENDPOINT);
    expect(init.method).toBe("POST");
    expect(new Headers(init.headers).get("content-type")).toBe("text/plain;charset=UTF-8");
    const [body] = bodies(page.fetchCalls);
    expect(body!.shop).toBe("demo-shop.myshopify.com");
    expect(body!.v).toBe(1);
    // page_viewed was published before the pixel loaded: replayed, then flushed with the checkout event.
    expect(body!.events.map((e) => e.name)).toEqual(["page_viewed", "checkout_completed"]);
    const [viewed, completed] = body!.events;
    expect(viewed!.id).not.toBe(completed!.id);
    expect(completed!.seq).toBeGreaterThan(viewed!.seq);
    expect(completed!.clientId).toBe(viewed!.clientId);
    expect(completed!.context).toEqual({
      url: "http://localhost:3100/dev/storefront?product=ceramic-mug",
      referrer: "http://localhost:3100/dev/storefront",
      title: "Ceramic Mug – Kawa & Co.",
      language: "pl-PL",
    });
    expect(completed!.data).toEqual({ checkout: { token: "abc", email: "anna@example.com", order: { id: "6900000001" } } });
  });

  it("publishes events with Shopify's standard event envelope", () => {
    const page = pageLoad();
    const seen: unknown[] = [];
    page.runtime().onPublish((e) => seen.push(e));
    const event = page.runtime().publish("search_submitted", { searchResult: { query: "kawa", productVariants: [] } });
    expect(seen).toEqual([event]);
    expect(event).toMatchObject({ name: "search_submitted", type: "standard", data: { searchResult: { query: "kawa" } } });
    expect(event.id).toMatch(/^sh-[0-9a-f-]{36}$/);
    expect(new Date(event.timestamp).toISOString()).toBe(event.timestamp);
    expect(event.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.context.document).toMatchObject({
      location: {
        href: "http://localhost:3100/dev/storefront?product=ceramic-mug",
        pathname: "/dev/storefront",
        search: "?product=ceramic-mug",
      },
      referrer: "http://localhost:3100/dev/storefront",
      title: "Ceramic Mug – Kawa & Co.",
      characterSet: "UTF-8",
    });
    expect(event.context.navigator).toMatchObject({ language: "pl-PL", languages: ["pl-PL", "en"], cookieEnabled: true });
    expect(event.context.window).toMatchObject({ innerWidth: 1280, screen: { width: 1440, height: 900 } });
  });

  it("keeps the clientId stable per browser (localStorage + the _shopify_y cookie the widgets read)", () => {
    const storage = new Map<string, string>();
    const first = pageLoad({ storage });
    const id = first.runtime().clientId;
    expect((first.sandbox.document as { cookie: string }).cookie).toContain(`_shopify_y=${id}`);
    const a = first.runtime().publish("page_viewed", {});
    const second = pageLoad({ storage, href: "http://localhost:3100/dev/storefront?view=cart" });
    expect(second.runtime().clientId).toBe(id);
    const b = second.runtime().publish("page_viewed", {});
    expect(b.clientId).toBe(id);
    expect(b.seq).toBeGreaterThan(a.seq);
    expect(b.id).not.toBe(a.id);
    // A cookie alone (storage cleared) still identifies the browser.
    expect(pageLoad({ cookie: `_shopify_y=${id}` }).runtime().clientId).toBe(id);
    // A different browser gets a different id.
    expect(pageLoad().runtime().clientId).not.toBe(id);
  });

  it("delivers each subscriber its own copy, asynchronously, and supports all_standard_events", async () => {
    const page = pageLoad();
    const shopify = page.sandbox.shopify as { extend: (point: string, cb: (api: ExtensionApi) => void) => void };
    const named: { data: { n: number } }[] = [];
    const all: string[] = [];
    let unsubscribe: () => boolean = () => false;
    shopify.extend("WebPixel::Render", ({ analytics }) => {
      unsubscribe = analytics.subscribe("product_viewed", (e) => void named.push(e as never));
      analytics.subscribe("all_standard_events", (e) => void all.push(e.name));
    });
    const data = { n: 1 };
    page.runtime().publish("product_viewed", data as never);
    expect(named).toHaveLength(0);
    await settle();
    expect(named).toHaveLength(1);
    named[0]!.data.n = 2;
    expect(data.n).toBe(1);
    expect(unsubscribe()).toBe(true);
    page.runtime().publish("product_viewed", data as never);
    page.runtime().publish("cart_viewed", { cart: null });
    await settle();
    expect(named).toHaveLength(1);
    expect(all).toEqual(["product_viewed", "product_viewed", "cart_viewed"]);
  });

  it("hands pixels the cart the page set as init data", () => {
    const page = pageLoad();
    const cart = { id: "tok", lines: [], totalQuantity: 0, attributes: [], cost: { totalAmount: { amount: 0, currencyCode: "PLN" } } };
    page.runtime().setInitData({ cart });
    let seen: unknown;
    (page.sandbox.shopify as { extend: (p: string, cb: (api: ExtensionApi) => void) => void }).extend("WebPixel::Render", (api) => {
      seen = api.init.data.cart;
    });
    expect(seen).toEqual(cart);
  });

  it("keeps a bounded debug log (the page's Events sent panel) across page loads", () => {
    const storage = new Map<string, string>();
    const page = pageLoad({ storage });
    for (let i = 0; i < 7; i++) page.runtime().publish("page_viewed", {});
    const log: LoggedEvent[] = pageLoad({ storage }).runtime().log();
    expect(log).toHaveLength(CONFIG.logLimit);
    expect(log.map((e) => e.name)).toEqual(Array(5).fill("page_viewed"));
    expect(log[4]!.seq).toBeGreaterThan(log[0]!.seq);
    page.runtime().clearLog();
    expect(page.runtime().log()).toEqual([]);
  });

  it("inlines its configuration safely: no closing script tag can come from it, and it parses back", () => {
    const config = { ...CONFIG, shop: { ...CONFIG.shop, name: "</script><script>alert(1)</script>\u2028" } };
    const json = jsonForScript(config);
    expect(json).not.toContain("</script>");
    expect(JSON.parse(json)).toEqual(config);
  });
});
