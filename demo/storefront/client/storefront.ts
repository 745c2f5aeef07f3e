// The storefront simulator's browser logic: the cart (localStorage), the cart,
// checkout and thank-you pages, and the standard events a theme and Shopify's
// checkout would publish. Browser source, bundled by scripts/build-demo-storefront.ts
// (entry: start-storefront.ts); the page hands it its configuration as JSON.
import type { ClientConfig } from "./config";
import type { PixelRuntimeApi } from "./pixel-runtime";
import type { CheckoutAddressInput, PayloadLine, PayloadProduct, PixelPayloads } from "./payloads";

export function storefrontClient(cfg: ClientConfig, payloads: PixelPayloads): void {
  const rt = (window as unknown as { flowmatePixelRuntime?: PixelRuntimeApi }).flowmatePixelRuntime;
  const t = cfg.strings;
  const byVariant = new Map(cfg.products.map((p) => [p.variantId, p]));
  const byHandle = new Map(cfg.products.map((p) => [p.handle, p]));
  const money = (n: number) => new Intl.NumberFormat("pl-PL", { style: "currency", currency: cfg.currency }).format(n);
  const fill = (template: string, values: Record<string, string | number>) =>
    template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));

  function pageUrl(params: Record<string, string>): string {
    const q = new URLSearchParams(params);
    if (cfg.lang === "pl") q.set("lang", "pl");
    const s = q.toString();
    return cfg.base + (s ? "?" + s : "");
  }

  // ---- storage --------------------------------------------------------------
  function load<T>(key: string): T | null {
    try {
      return JSON.parse(window.localStorage.getItem(key) || "null") as T | null;
    } catch {
      return null;
    }
  }
  function save(key: string, value: unknown): void {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // storage disabled: the cart lives for this page only
    }
  }
  function hex(bytes: number): string {
    const a = new Uint8Array(bytes);
    crypto.getRandomValues(a);
    return Array.from(a, (b) => (b + 0x100).toString(16).slice(1)).join("");
  }

  interface Contact {
    email: string;
    phone: string;
    acceptsEmail: boolean;
    acceptsSms: boolean;
    address: CheckoutAddressInput;
  }
  interface CartState {
    token: string;
    lines: { variantId: string; quantity: number }[];
    checkout: { token: string; started: boolean; step: "information" | "payment"; contact: Contact | null } | null;
  }
  interface PlacedOrder {
    id: string;
    name: string;
    checkoutToken: string;
    contact: Contact;
    lines: { variantId: string; quantity: number }[];
    placedAt: string;
    completedPublished: boolean;
  }

  function readCart(): CartState {
    const stored = load<CartState>(cfg.keys.cart);
    const cart: CartState =
      stored && typeof stored.token === "string" && Array.isArray(stored.lines) ? stored : { token: hex(16), lines: [], checkout: null };
    cart.lines = cart.lines.filter((l) => byVariant.has(l.variantId) && l.quantity > 0);
    cart.checkout = cart.checkout || null;
    return cart;
  }
  let cart = readCart();

  const linesOf = (lines: { variantId: string; quantity: number }[]): PayloadLine[] =>
    lines.map((l) => ({ product: byVariant.get(l.variantId)!, quantity: l.quantity })).filter((l) => l.product);
  const cartPayload = () => (cart.lines.length ? payloads.cart(cart.token, linesOf(cart.lines)) : null);

  function writeCart(): void {
    save(cfg.keys.cart, cart);
    renderCount();
    rt?.setInitData({ cart: cartPayload() });
  }

  function publish(name: Parameters<PixelRuntimeApi["publish"]>[0], data: unknown): void {
    if (!rt) return;
    (rt.publish as (n: string, d: unknown) => unknown)(name, data);
  }

  // ---- tiny DOM builder (text always goes through textContent) --------------
  type Child = Node | string | null | undefined | false;
  type Attr = string | number | boolean | null | undefined | EventListener;
  function h(tag: string, attrs: Record<string, Attr> | null, ...children: (Child | Child[])[]): HTMLElement {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
      else if (key === "class") el.className = String(value);
      else el.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return el;
  }
  const img = (p: PayloadProduct, size: number) => h("img", { src: p.imageUrl || "", alt: "", width: size, height: size, loading: "lazy" });

  // ---- header count -----------------------------------------------------------
  function renderCount(): void {
    const n = cart.lines.reduce((sum, l) => sum + l.quantity, 0);
    document.querySelectorAll<HTMLElement>("[data-cart-count]").forEach((el) => {
      el.textContent = String(n);
      el.toggleAttribute("data-empty", n === 0);
    });
    document.querySelectorAll<HTMLElement>("[data-cart-link]").forEach((el) => {
      el.setAttribute("aria-label", t.cart + " – " + fill(t.cartCountLabel, { n }));
    });
  }

  // ---- cart operations ------------------------------------------------------------
  function addToCart(product: PayloadProduct, quantity: number): void {
    const line = cart.lines.find((l) => l.variantId === product.variantId);
    if (line) line.quantity += quantity;
    else cart.lines.push({ variantId: product.variantId, quantity });
    cart.checkout = null; // a changed cart gets a new checkout
    writeCart();
    publish("product_added_to_cart", { cartLine: payloads.cartLine(product, quantity) });
  }
  function removeFromCart(product: PayloadProduct, quantity: number): void {
    const line = cart.lines.find((l) => l.variantId === product.variantId);
    if (!line) return;
    const removed = Math.min(quantity, line.quantity);
    line.quantity -= removed;
    cart.lines = cart.lines.filter((l) => l.quantity > 0);
    cart.checkout = null;
    writeCart();
    publish("product_removed_from_cart", { cartLine: payloads.cartLine(product, removed) });
  }

  // ---- "added to cart" notification -------------------------------------------
  function showToast(product: PayloadProduct, quantity: number): void {
    document.querySelector(".toast")?.remove();
    const close = () => toast.remove();
    const toast = h(
      "div",
      { class: "toast", role: "status", "aria-live": "polite" },
      h(
        "div",
        { class: "toast-head" },
        h("span", null, "✓ " + t.addedToCart),
        h("button", { class: "toast-close", type: "button", "aria-label": t.close, onclick: close }, "×"),
      ),
      h(
        "div",
        { class: "toast-item" },
        img(product, 64),
        h("div", null, h("strong", null, product.title), h("div", null, quantity + " × " + money(Number(product.price)))),
      ),
      h(
        "div",
        { class: "toast-actions" },
        h(
          "a",
          { class: "btn btn-secondary", href: pageUrl({ view: "cart" }) },
          t.viewCart + " (" + cart.lines.reduce((n, l) => n + l.quantity, 0) + ")",
        ),
        h("a", { class: "btn", href: pageUrl({ view: "checkout" }) }, t.checkOut),
      ),
    );
    document.body.append(toast);
    window.setTimeout(close, 6000);
  }

  // ---- pages ------------------------------------------------------------------------
  function productPage(product: PayloadProduct): void {
    publish("product_viewed", { productVariant: payloads.variant(product) });
    const form = document.querySelector<HTMLFormElement>("[data-product-form]");
    const qty = form?.querySelector<HTMLInputElement>("input[name=quantity]");
    if (!form || !qty) return;
    const clamp = (n: number) => Math.max(1, Math.min(99, Math.floor(n) || 1));
    form.querySelectorAll<HTMLButtonElement>("[data-qty]").forEach((btn) =>
      btn.addEventListener("click", () => {
        qty.value = String(clamp(Number(qty.value) + Number(btn.dataset.qty)));
      }),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const n = clamp(Number(qty.value));
      addToCart(product, n);
      showToast(product, n);
    });
  }

  function cartPage(): void {
    const root = document.querySelector<HTMLElement>("[data-cart-root]");
    if (!root) return;
    const render = () => {
      root.replaceChildren();
      const lines = linesOf(cart.lines);
      if (!lines.length) {
        root.append(
          h(
            "div",
            { class: "empty" },
            h("h2", null, t.cartEmpty),
            h("p", null, t.cartEmptyBody),
            h("a", { class: "btn", href: pageUrl({ collection: "all" }) }, t.backToShop),
          ),
        );
        return;
      }
      const rows = lines.map((l) =>
        h(
          "tr",
          null,
          h(
            "td",
            null,
            h(
              "div",
              { class: "cart-item" },
              img(l.product, 92),
              h(
                "div",
                null,
                h("a", { href: pageUrl({ product: l.product.handle }) }, l.product.title),
                h("div", { class: "muted" }, money(Number(l.product.price))),
              ),
            ),
          ),
          h(
            "td",
            null,
            h(
              "div",
              { class: "cart-qty" },
              h(
                "div",
                { class: "qty" },
                h("button", { type: "button", "aria-label": t.decrease, onclick: () => (removeFromCart(l.product, 1), render()) }, "−"),
                h("input", { value: l.quantity, readonly: true, "aria-label": t.quantity, inputmode: "numeric" }),
                h("button", { type: "button", "aria-label": t.increase, onclick: () => (addToCart(l.product, 1), render()) }, "+"),
              ),
              h(
                "button",
                { type: "button", class: "link-btn", onclick: () => (removeFromCart(l.product, l.quantity), render()) },
                t.remove,
              ),
            ),
          ),
          h("td", null, money(Number(l.product.price) * l.quantity)),
        ),
      );
      const totals = payloads.totals(lines);
      root.append(
        h(
          "table",
          { class: "cart-table" },
          h("thead", null, h("tr", null, h("th", null, t.product), h("th", null, t.quantity), h("th", null, t.total))),
          h("tbody", null, rows),
        ),
        h(
          "div",
          { class: "cart-footer" },
          h(
            "div",
            { class: "cart-summary" },
            h("div", { class: "row" }, h("span", null, t.estimatedTotal), h("strong", null, money(totals.subtotal))),
            h("p", null, t.shippingAtCheckout),
            h("a", { class: "btn btn-block", href: pageUrl({ view: "checkout" }) }, t.checkOut),
          ),
        ),
      );
    };
    render();
    publish("cart_viewed", { cart: cartPayload() });
  }

  function summary(root: HTMLElement, lines: PayloadLine[]): void {
    const totals = payloads.totals(lines);
    root.replaceChildren(
      h("h2", { class: "visually-hidden" }, t.orderSummary),
      h(
        "ul",
        { class: "summary-lines" },
        lines.map((l) =>
          h(
            "li",
            { class: "summary-line" },
            h("div", { class: "summary-thumb" }, img(l.product, 64), h("span", null, String(l.quantity))),
            h("div", null, l.product.title),
            h("div", null, money(Number(l.product.price) * l.quantity)),
          ),
        ),
      ),
      h(
        "div",
        { class: "summary-totals" },
        h("div", null, h("span", null, t.subtotal), h("span", null, money(totals.subtotal))),
        h("div", null, h("span", null, t.shipping), h("span", null, totals.shipping ? money(totals.shipping) : t.free)),
        h("div", { class: "grand" }, h("span", null, t.total), h("span", null, h("small", null, cfg.currency), money(totals.total))),
        h("div", { class: "tax" }, h("span", null, "VAT 23%"), h("span", null, money(totals.tax))),
      ),
    );
  }

  function checkoutPayload(contact: Contact | null, orderId: string | null, lines: PayloadLine[], token: string) {
    return payloads.checkout({
      token,
      lines,
      email: contact ? contact.email : null,
      phone: contact && contact.phone ? contact.phone : null,
      acceptsEmailMarketing: !!contact && contact.acceptsEmail,
      acceptsSmsMarketing: !!contact && contact.acceptsSms,
      address: contact ? contact.address : null,
      orderId,
    });
  }

  function normalizePhone(value: string): string {
    let v = value.trim().replace(/[\s().-]/g, "");
    if (v.startsWith("00")) v = "+" + v.slice(2);
    if (/^\d{9}$/.test(v)) v = "+48" + v; // a Polish number typed without the country code
    return v;
  }

  function checkoutPage(): void {
    const form = document.querySelector<HTMLFormElement>("[data-checkout-form]");
    const side = document.querySelector<HTMLElement>("[data-summary-root]");
    const main = document.querySelector<HTMLElement>("[data-checkout-main]");
    if (!form || !side || !main) return;
    const lines = linesOf(cart.lines);
    if (!lines.length) {
      main.replaceChildren(
        h(
          "div",
          { class: "empty" },
          h("h1", null, t.cartEmpty),
          h("p", null, t.cartEmptyBody),
          h("a", { class: "btn", href: pageUrl({ collection: "all" }) }, t.backToShop),
        ),
      );
      side.replaceChildren();
      return;
    }
    summary(side, lines);
    if (!cart.checkout) cart.checkout = { token: hex(16), started: false, step: "information", contact: null };
    const co = cart.checkout;
    if (!co.started) {
      co.started = true;
      writeCart();
      publish("checkout_started", { checkout: checkoutPayload(null, null, lines, co.token) });
    }

    const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
    if (co.contact) {
      field("email").value = co.contact.email;
      field("phone").value = co.contact.phone;
      field("acceptsEmail").checked = co.contact.acceptsEmail;
      field("acceptsSms").checked = co.contact.acceptsSms;
      field("firstName").value = co.contact.address.firstName || "";
      field("lastName").value = co.contact.address.lastName || "";
      field("address1").value = co.contact.address.address1 || "";
      field("city").value = co.contact.address.city || "";
      field("zip").value = co.contact.address.zip || "";
    }

    const setError = (name: string, message: string | null) => {
      const input = field(name);
      const id = "err-" + name;
      document.getElementById(id)?.remove();
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
      if (!message) return;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", id);
      input.closest(".field")?.append(h("p", { class: "field-error", id }, message));
    };

    const showStep = (step: "information" | "payment") => {
      co.step = step;
      writeCart();
      document.querySelectorAll<HTMLElement>("[data-step]").forEach((el) => {
        el.hidden = el.dataset.step !== step;
      });
      document.querySelectorAll<HTMLElement>("[data-crumb]").forEach((el) => {
        if (el.dataset.crumb === step) el.setAttribute("aria-current", "step");
        else el.removeAttribute("aria-current");
      });
      if (step === "payment" && co.contact) {
        const c = co.contact;
        const addr = [c.address.address1, [c.address.zip, c.address.city].filter(Boolean).join(" ")].filter(Boolean).join(", ");
        const review = document.querySelector<HTMLElement>("[data-review]");
        const row = (label: string, value: string) =>
          h(
            "div",
            null,
            h("dt", null, label),
            h("dd", null, value),
            h("button", { type: "button", class: "link-btn", onclick: () => showStep("information") }, t.edit),
          );
        review?.replaceChildren(row(t.contact, [c.email, c.phone].filter(Boolean).join(" · ")), row(t.shipTo, addr || "—"));
        document.querySelector<HTMLButtonElement>("[data-pay]")?.focus();
      }
    };

    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const email = field("email").value.trim();
      const phone = normalizePhone(field("phone").value);
      const acceptsSms = field("acceptsSms").checked;
      let ok = true;
      const check = (name: string, message: string | null) => {
        setError(name, message);
        if (message && ok) {
          ok = false;
          field(name).focus();
        }
      };
      check("email", !email ? t.errEmailRequired : /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email) ? null : t.errEmailInvalid);
      check("phone", phone && !/^\+?[0-9]{8,15}$/.test(phone) ? t.errPhoneInvalid : !phone && acceptsSms ? t.errSmsNeedsPhone : null);
      if (!ok) return;
      const value = (name: string) => field(name).value.trim() || null;
      co.contact = {
        email,
        phone,
        acceptsEmail: field("acceptsEmail").checked,
        acceptsSms: acceptsSms && !!phone,
        address: {
          firstName: value("firstName"),
          lastName: value("lastName"),
          address1: value("address1"),
          city: value("city"),
          zip: value("zip"),
        },
      };
      writeCart();
      // Shopify creates (or finds) the checkout's customer and sends the app its webhooks
      // before the payment step shows; the demo's stand-in plays that part. The pixel
      // event follows, as on a real checkout.
      const contact = co.contact;
      const submitted = () => {
        publish("checkout_contact_info_submitted", { checkout: checkoutPayload(contact, null, lines, co.token) });
        showStep("payment");
      };
      void fetch(cfg.base + "/checkout", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          token: co.token,
          email: contact.email,
          phone: contact.phone || null,
          acceptsEmail: contact.acceptsEmail,
          acceptsSms: contact.acceptsSms,
          firstName: contact.address.firstName,
          lastName: contact.address.lastName,
          lang: cfg.lang,
          lines: cart.lines,
        }),
      }).then(submitted, submitted);
    });

    document.querySelector<HTMLButtonElement>("[data-pay]")?.addEventListener("click", () => {
      if (!co.contact) return showStep("information");
      const id = String(6_900_000_000 + Math.floor(Math.random() * 99_000_000));
      const order: PlacedOrder = {
        id,
        name: "#" + id.slice(-5),
        checkoutToken: co.token,
        contact: co.contact,
        lines: cart.lines.slice(),
        placedAt: new Date().toISOString(),
        completedPublished: false,
      };
      save(cfg.keys.order, order);
      cart = { token: hex(16), lines: [], checkout: null };
      writeCart();
      // Shopify publishes checkout_completed on the thank-you page.
      window.location.href = pageUrl({ view: "thank-you", order: id });
    });

    showStep(co.step === "payment" && co.contact ? "payment" : "information");
  }

  function thankYouPage(): void {
    const main = document.querySelector<HTMLElement>("[data-checkout-main]");
    const side = document.querySelector<HTMLElement>("[data-summary-root]");
    if (!main || !side) return;
    const wanted = new URLSearchParams(window.location.search).get("order");
    const order = load<PlacedOrder>(cfg.keys.order);
    if (!order || (wanted && order.id !== wanted)) {
      main.replaceChildren(
        h("div", { class: "empty" }, h("p", null, t.thanksNoOrder), h("a", { class: "btn", href: pageUrl({}) }, t.backToShop)),
      );
      side.replaceChildren();
      return;
    }
    const lines = linesOf(order.lines);
    summary(side, lines);
    const c = order.contact;
    const name = c.address.firstName ? ", " + c.address.firstName : "";
    const addr = [c.address.address1, [c.address.zip, c.address.city].filter(Boolean).join(" ")].filter(Boolean).join(", ");
    main.replaceChildren(
      h(
        "div",
        { class: "thanks-head" },
        h("div", { class: "thanks-icon", "aria-hidden": "true" }, "✓"),
        h("div", null, h("p", null, fill(t.thanksOrder, { order: order.name })), h("h1", null, fill(t.thanksTitle, { name }))),
      ),
      h(
        "div",
        { class: "thanks-box" },
        h("h2", null, t.thanksConfirmed),
        h("p", null, fill(t.thanksBody, { email: c.email })),
        c.acceptsEmail || c.acceptsSms ? h("p", null, h("span", { class: "badge-ok" }, "✓ " + t.thanksMarketing)) : null,
      ),
      h(
        "dl",
        { class: "co-review" },
        h("div", null, h("dt", null, t.contact), h("dd", null, [c.email, c.phone].filter(Boolean).join(" · ")), h("span", null)),
        h("div", null, h("dt", null, t.shipTo), h("dd", null, addr || "—"), h("span", null)),
      ),
      h("a", { class: "btn", href: pageUrl({}) }, t.backToShop),
    );
    if (!order.completedPublished) {
      order.completedPublished = true;
      save(cfg.keys.order, order);
      publish("checkout_completed", { checkout: checkoutPayload(c, order.id, lines, order.checkoutToken) });
    }
  }

  // ---- "Events sent" panel ---------------------------------------------------------
  function debugPanel(): void {
    const root = document.querySelector<HTMLElement>("[data-debug]");
    if (!root || !rt) return;
    const details = root.querySelector("details")!;
    const list = root.querySelector<HTMLOListElement>("ol")!;
    const count = root.querySelector<HTMLElement>("[data-debug-count]")!;
    const status = root.querySelector<HTMLElement>("[data-debug-status]")!;
    const dot = root.querySelector<HTMLElement>(".dot")!;
    // Events already in the log when this page loaded; the rest are this page's (green).
    const earlier = new Set(rt.log().map((e) => e.id));
    details.open = window.sessionStorage.getItem(cfg.keys.debugOpen) === "1";
    details.addEventListener("toggle", () => window.sessionStorage.setItem(cfg.keys.debugOpen, details.open ? "1" : "0"));
    const time = (iso: string) => new Date(iso).toLocaleTimeString(cfg.lang === "pl" ? "pl-PL" : "en-GB");

    const render = () => {
      const log = rt.log();
      count.textContent = String(log.length);
      list.replaceChildren();
      if (!log.length) list.append(h("li", { class: "intro" }, t.debugEmpty));
      for (const e of log.slice().reverse()) {
        list.append(
          h(
            "li",
            { class: earlier.has(e.id) ? "" : "new" },
            h(
              "details",
              null,
              h("summary", null, h("span", { class: "name" }, e.name), h("time", { datetime: e.timestamp }, time(e.timestamp))),
              h("pre", null, JSON.stringify(e.data, null, 2)),
            ),
          ),
        );
      }
    };
    rt.onPublish(render);
    render();

    const endpointPath = (() => {
      try {
        return new URL(rt.endpoint).pathname;
      } catch {
        return rt.endpoint;
      }
    })();
    status.textContent = fill(t.debugNoDelivery, { endpoint: endpointPath });
    if ("PerformanceObserver" in window) {
      try {
        new PerformanceObserver((entries) => {
          for (const entry of entries.getEntries() as PerformanceResourceTiming[]) {
            if (!entry.name.startsWith(rt.endpoint)) continue;
            const code = (entry as PerformanceResourceTiming & { responseStatus?: number }).responseStatus;
            if (!code) continue;
            status.textContent = fill(t.debugDelivery, { endpoint: endpointPath, status: code });
            status.classList.toggle("bad", code < 200 || code >= 300);
          }
        }).observe({ type: "resource", buffered: true });
      } catch {
        // older browsers: no delivery status
      }
    }
    window.addEventListener("load", () => {
      if (rt.pixelCount() > 0) return;
      status.textContent = t.debugPixelMissing;
      status.classList.add("bad");
      dot.classList.add("warn");
    });
    root.querySelector("[data-debug-clear]")?.addEventListener("click", () => {
      rt.clearLog();
      render();
    });
    root.querySelector("[data-debug-popup]")?.addEventListener("click", () => {
      window.localStorage.removeItem(cfg.keys.popup);
      window.location.reload();
    });
    const id = root.querySelector<HTMLElement>("[data-debug-client]");
    if (id) id.textContent = t.debugClientId + ": " + rt.clientId;
  }

  // Theme widgets link to Shopify product URLs (/products/<handle>); here those are
  // ?product=<handle>.
  document.addEventListener("click", (e) => {
    const a = (e.target as Element | null)?.closest?.("a[href]") as HTMLAnchorElement | null;
    if (!a) return;
    const m = /^\/products\/([^/?#]+)/.exec(new URL(a.href, window.location.href).pathname);
    if (!m) return;
    e.preventDefault();
    window.location.href = pageUrl({ product: decodeURIComponent(m[1]!) });
  });

  // ---- boot ---------------------------------------------------------------------------
  renderCount();
  rt?.setInitData({ cart: cartPayload() });
  debugPanel();
  publish("page_viewed", {});
  switch (cfg.view) {
    case "collection":
      if (cfg.collection) {
        const products = cfg.collection.handles.map((handle) => byHandle.get(handle)!).filter(Boolean);
        publish("collection_viewed", { collection: payloads.collection(cfg.collection.id, cfg.collection.title, products) });
      }
      break;
    case "search":
      if (cfg.search) {
        const products = cfg.search.handles.map((handle) => byHandle.get(handle)!).filter(Boolean);
        publish("search_submitted", { searchResult: payloads.searchResult(cfg.search.query, products) });
      }
      break;
    case "product": {
      const product = cfg.productHandle ? byHandle.get(cfg.productHandle) : undefined;
      if (product) productPage(product);
      break;
    }
    case "cart":
      cartPage();
      break;
    case "checkout":
      checkoutPage();
      break;
    case "thank-you":
      thankYouPage();
      break;
  }
}
