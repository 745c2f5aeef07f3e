/** Reads `data-<name>` from a mount element ("" when absent). */
export function attr(el: HTMLElement, name: string): string {
  return el.getAttribute("data-" + name) || "";
}

/** Shopify's anonymous visitor id (the Web Pixel clientId), when the cookie is readable. */
export function readClientId(): string | undefined {
  const match = /(?:^|; *)_shopify_y=([^;]+)/.exec(document.cookie);
  return match ? match[1] : undefined;
}

/** localStorage get (one argument) or set (two); never throws (private mode, blocked storage). */
export function store(key: string, value?: string): string | null {
  try {
    if (value === undefined) return localStorage.getItem(key);
    localStorage.setItem(key, value);
  } catch {
    // Storage unavailable: the popup may show again, nothing else breaks.
  }
  return null;
}
