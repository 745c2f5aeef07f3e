// A stand-in for Shopify's Web Pixels Manager, for the demo storefront simulator.
//
// On a real storefront the pixel bundle runs in Shopify's sandbox, where
// `register(cb)` from @shopify/web-pixels-extension is literally
// `shopify.extend("WebPixel::Render", cb)` (node_modules/@shopify/web-pixels-extension/
// src/register.ts) against a `shopify` global the sandbox provides. The manager then
// calls cb({ analytics, browser, init, settings, customerPrivacy, _pixelInfo }) and
// delivers every published standard event to the pixel's subscriptions.
//
// `installPixelRuntime` below is browser code, bundled into build/demo-storefront/pixel-runtime.js
// (entry: install-pixel-runtime.ts) which the page loads before the REAL built pixel
// bundle, so the bundle runs unmodified.
import type {
  Cart,
  Context,
  Customer,
  ExtensionApi,
  RegisterInit,
  Shop,
  StandardEventName,
  PixelEvents,
} from "@shopify/web-pixels-extension";

export interface PixelRuntimeConfig {
  /** `settings` handed to the pixel, exactly like the values set with webPixelCreate. */
  settings: { endpoint: string } & Record<string, string>;
  shop: Shop;
  /** localStorage key of the debug log (the "Events sent" panel). */
  logKey: string;
  /** How many events the debug log keeps. */
  logLimit: number;
}

/** One entry of the debug log. */
export interface LoggedEvent {
  id: string;
  name: string;
  timestamp: string;
  seq: number;
  data: unknown;
}

/** A published event, shaped like Shopify's standard events. */
export interface PublishedEvent {
  id: string;
  name: string;
  type: "standard";
  timestamp: string;
  clientId: string;
  seq: number;
  context: Context;
  data: unknown;
}

/** What the page (storefront script, tests) can use: `window.flowmatePixelRuntime`. */
export interface PixelRuntimeApi {
  publish<K extends StandardEventName>(name: K, data: PixelEvents[K]["data"]): PublishedEvent;
  /** Data for `init.data` of pixels that register later (the cart, the customer). */
  setInitData(data: { cart?: Cart | null; customer?: Customer | null }): void;
  clientId: string;
  endpoint: string;
  /** Number of pixels registered through `shopify.extend`. */
  pixelCount(): number;
  log(): LoggedEvent[];
  clearLog(): void;
  onPublish(fn: (event: PublishedEvent) => void): void;
}

/** Shopify's anonymous browser id cookie; the theme widgets read it too. */
export const CLIENT_ID_COOKIE = "_shopify_y";
export const RUNTIME_GLOBAL = "flowmatePixelRuntime";

export function installPixelRuntime(config: PixelRuntimeConfig): void {
  const w = window as unknown as Record<string, unknown>;
  const CLIENT_ID_KEY = "_shopify_y";
  const SEQ_KEY = "flowmate-sim:seq";

  const store = {
    get(key: string): string | null {
      try {
        return window.localStorage.getItem(key);
      } catch {
        return null;
      }
    },
    set(key: string, value: string): void {
      try {
        window.localStorage.setItem(key, value);
      } catch {
        // storage disabled: the simulator still works for this page view
      }
    },
  };

  function uuid(): string {
    const c = (globalThis as { crypto?: Crypto }).crypto;
    if (c && typeof c.randomUUID === "function") return c.randomUUID();
    const bytes = new Uint8Array(16);
    if (c && typeof c.getRandomValues === "function") c.getRandomValues(bytes);
    else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    bytes[6] = (bytes[6]! & 0x0f) | 0x40;
    bytes[8] = (bytes[8]! & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => (b + 0x100).toString(16).slice(1)).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function readCookie(name: string): string | null {
    const match = new RegExp("(?:^|;\\s*)" + name + "=([^;]*)").exec(document.cookie);
    return match ? decodeURIComponent(match[1]!) : null;
  }

  // Stable per browser, like Shopify's _shopify_y (a year-long first-party cookie).
  let clientId = store.get(CLIENT_ID_KEY) || readCookie(CLIENT_ID_KEY) || "";
  if (!clientId) clientId = uuid();
  store.set(CLIENT_ID_KEY, clientId);
  document.cookie = `${CLIENT_ID_KEY}=${encodeURIComponent(clientId)}; path=/; max-age=31536000; samesite=lax`;

  function nextSeq(): number {
    const seq = (Number(store.get(SEQ_KEY)) || 0) + 1;
    store.set(SEQ_KEY, String(seq));
    return seq;
  }

  function locationOf(loc: Location) {
    return {
      hash: loc.hash,
      host: loc.host,
      hostname: loc.hostname,
      href: loc.href,
      origin: loc.origin,
      pathname: loc.pathname,
      port: loc.port,
      protocol: loc.protocol,
      search: loc.search,
    };
  }

  function context(): Context {
    const location = locationOf(window.location);
    return {
      document: { characterSet: document.characterSet, location, referrer: document.referrer, title: document.title },
      navigator: {
        cookieEnabled: navigator.cookieEnabled,
        language: navigator.language,
        languages: Array.from(navigator.languages || [navigator.language]),
        userAgent: navigator.userAgent,
      },
      window: {
        innerHeight: window.innerHeight,
        innerWidth: window.innerWidth,
        location,
        origin: window.location.origin,
        outerHeight: window.outerHeight,
        outerWidth: window.outerWidth,
        pageXOffset: window.scrollX,
        pageYOffset: window.scrollY,
        screen: { height: window.screen.height, width: window.screen.width },
        screenX: window.screenX,
        screenY: window.screenY,
        scrollX: window.scrollX,
        scrollY: window.scrollY,
      },
    };
  }

  // ---- the event bus -------------------------------------------------------
  type Handler = (event: unknown) => void;
  const subscriptions: { name: string; fn: Handler }[] = [];
  const history: PublishedEvent[] = [];
  const listeners: ((event: PublishedEvent) => void)[] = [];

  function matches(subscription: string, event: PublishedEvent): boolean {
    return subscription === event.name || subscription === "all_events" || subscription === "all_standard_events";
  }

  // Shopify hands every pixel its own serialised copy, asynchronously.
  function deliver(fn: Handler, event: PublishedEvent): void {
    const copy = JSON.parse(JSON.stringify(event)) as unknown;
    setTimeout(() => {
      try {
        fn(copy);
      } catch (error) {
        console.error("[pixel runtime] subscriber threw", error);
      }
    }, 0);
  }

  function readLog(): LoggedEvent[] {
    try {
      const parsed = JSON.parse(store.get(config.logKey) || "[]") as unknown;
      return Array.isArray(parsed) ? (parsed as LoggedEvent[]) : [];
    } catch {
      return [];
    }
  }

  function publish(name: string, data: unknown): PublishedEvent {
    const event: PublishedEvent = {
      id: "sh-" + uuid(),
      name,
      type: "standard",
      timestamp: new Date().toISOString(),
      clientId,
      seq: nextSeq(),
      context: context(),
      data: data === undefined ? {} : data,
    };
    history.push(event);
    for (const s of subscriptions) if (matches(s.name, event)) deliver(s.fn, event);
    const log = readLog();
    log.push({ id: event.id, name, timestamp: event.timestamp, seq: event.seq, data: event.data });
    store.set(config.logKey, JSON.stringify(log.slice(-config.logLimit)));
    for (const fn of listeners) {
      try {
        fn(event);
      } catch (error) {
        console.error("[pixel runtime] listener threw", error);
      }
    }
    return event;
  }

  // ---- what register() receives ------------------------------------------------
  const initData: RegisterInit["data"] = { customer: null, cart: null, shop: config.shop, purchasingCompany: null };
  let pixels = 0;

  function storageApi(kind: "localStorage" | "sessionStorage") {
    const s = (): Storage => window[kind];
    return {
      clear: async () => s().clear(),
      getItem: async (key: string) => s().getItem(key),
      key: async (index: number) => s().key(index),
      length: async () => s().length,
      removeItem: async (key: string) => s().removeItem(key),
      setItem: async (key: string, value: unknown) => s().setItem(key, String(value)),
    };
  }

  function extensionApi(): ExtensionApi {
    const init: RegisterInit = {
      context: context(),
      data: JSON.parse(JSON.stringify(initData)) as RegisterInit["data"],
      customerPrivacy: {
        analyticsProcessingAllowed: true,
        marketingAllowed: true,
        preferencesProcessingAllowed: true,
        saleOfDataAllowed: true,
      },
    };
    return {
      settings: { ...config.settings },
      analytics: {
        subscribe(name: string, fn: Handler) {
          const subscription = { name, fn };
          subscriptions.push(subscription);
          // Events published before the pixel loaded are replayed, as Shopify does.
          for (const event of history) if (matches(name, event)) deliver(fn, event);
          return () => {
            const i = subscriptions.indexOf(subscription);
            if (i >= 0) subscriptions.splice(i, 1);
            return i >= 0;
          };
        },
      },
      browser: {
        sendBeacon: async (url: string, body?: string) => navigator.sendBeacon(url, body),
        cookie: {
          get: async (name?: string) => (name ? readCookie(name) || "" : document.cookie),
          set: async (cookieOrName: string, value?: string) => {
            document.cookie = value === undefined ? cookieOrName : `${cookieOrName}=${encodeURIComponent(value)}; path=/`;
            return document.cookie;
          },
        },
        localStorage: storageApi("localStorage"),
        sessionStorage: storageApi("sessionStorage"),
      },
      init,
      customerPrivacy: { subscribe: () => () => true },
      _pixelInfo: { id: "flowmate-sim", type: "APP", runtimeContext: "STRICT", status: "connected" },
    } as unknown as ExtensionApi;
  }

  w.shopify = {
    extend(extensionPoint: string, callback: (api: ExtensionApi) => void) {
      if (extensionPoint !== "WebPixel::Render") throw new Error(`Unknown extension point: ${extensionPoint}`);
      pixels++;
      try {
        callback(extensionApi());
      } catch (error) {
        console.error("[pixel runtime] pixel threw during register", error);
      }
    },
  };

  const api = {
    publish,
    setInitData(data: { cart?: Cart | null; customer?: Customer | null }) {
      if (data.cart !== undefined) initData.cart = data.cart;
      if (data.customer !== undefined) initData.customer = data.customer;
    },
    clientId,
    endpoint: config.settings.endpoint,
    pixelCount: () => pixels,
    log: readLog,
    clearLog: () => store.set(config.logKey, "[]"),
    onPublish: (fn: (event: PublishedEvent) => void) => {
      listeners.push(fn);
    },
  };
  w.flowmatePixelRuntime = api;
}
