import { register } from "@shopify/web-pixels-extension";
import { createBatcher } from "./batcher";
import { isImmediateEvent, SUBSCRIBED_EVENTS } from "./events";
import { createSender, type FetchLike } from "./transport";
import { toWireEvent } from "./wire";

/** Rejects unset or malformed settings so a misconfigured shop sends nothing. */
function parseEndpoint(value: unknown): string | null {
  if (typeof value !== "string" || value === "") return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

register(({ analytics, browser, init, settings }) => {
  const endpoint = parseEndpoint(settings.endpoint);
  if (!endpoint) return;

  // Wrapped so fetch is never invoked as a method of another object: the
  // native fetch throws "Illegal invocation" when its receiver isn't global.
  const fetchImpl: FetchLike | undefined = typeof fetch === "function" ? (url, requestInit) => fetch(url, requestInit) : undefined;

  const batcher = createBatcher({
    shop: init.data.shop.myshopifyDomain,
    send: createSender({
      endpoint,
      fetch: fetchImpl,
      sendBeacon: (url, body) => browser.sendBeacon(url, body),
    }),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    now: () => Date.now(),
  });

  for (const name of SUBSCRIBED_EVENTS) {
    analytics.subscribe(name, (event) => {
      batcher.add(toWireEvent(event), { immediate: isImmediateEvent(event.name) });
    });
  }
});
