// Server-side HTML of the storefront simulator: a small Shopify-theme look-alike
// (header, collections, product page, cart, checkout, thank-you) that loads the
// REAL Web Pixel bundle and theme widget assets. Pages that depend on the cart
// (cart, checkout, thank-you) are filled in by the client script from localStorage.
import {
  collectionId,
  collectionTitle,
  isCollectionHandle,
  productsIn,
  searchProducts,
  type CollectionHandle,
  type Storefront,
  type StorefrontProduct,
} from "./catalog.server";
import { CONFIG_ELEMENT_IDS, STORAGE_KEYS, type ClientConfig, type ClientView } from "./client/config";
import { fmt, storefrontStrings, type StorefrontLang, type StorefrontStrings } from "./i18n.server";
import type { PixelRuntimeConfig } from "./client/pixel-runtime";
import { STOREFRONT_CSS } from "./styles.server";

export const STOREFRONT_PATH = "/dev/storefront";
export const PROXY_PATH = "/apps/flowmate";
export const PIXEL_BUNDLE_URL = "/dev/assets/web-pixel/main.js";
export const WIDGETS_JS_URL = "/dev/assets/theme-widgets/flowmate-widgets.js";
export const WIDGETS_CSS_URL = "/dev/assets/theme-widgets/flowmate-widgets.css";
// The simulator's own browser scripts (demo/storefront/client, built by
// scripts/build-demo-storefront.ts).
export const PIXEL_RUNTIME_URL = "/dev/assets/storefront/pixel-runtime.js";
export const STOREFRONT_JS_URL = "/dev/assets/storefront/storefront.js";
export const PIXEL_ENDPOINT_PATH = "/api/pixel/events";

// ---- a tiny escaping template -------------------------------------------------
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

type Interpolation = string | number | boolean | null | undefined | SafeHtml | readonly Interpolation[];

function renderValue(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(renderValue).join("");
  return escapeHtml(String(value));
}

/** Interpolations are escaped unless they are SafeHtml (or arrays of it). */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += renderValue(value) + (strings[i + 1] ?? "");
  });
  return new SafeHtml(out);
}

/** JSON that is safe inside a <script> element (no "</script>", no U+2028/9 surprises). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** A configuration for one of the page's scripts, as data (client/config.ts reads it). */
function jsonScript(id: string, value: unknown): SafeHtml {
  return new SafeHtml(`<script type="application/json" id="${id}">${jsonForScript(value)}</script>`);
}

// ---- routing --------------------------------------------------------------------
export type StorefrontView =
  | { kind: "home" }
  | { kind: "collection"; handle: CollectionHandle }
  | { kind: "search"; query: string }
  | { kind: "product"; handle: string; product: StorefrontProduct | null }
  | { kind: "cart" }
  | { kind: "checkout" }
  | { kind: "thank-you" }
  | { kind: "privacy" };

export function parseView(url: URL, products: StorefrontProduct[]): StorefrontView {
  const q = url.searchParams;
  const handle = q.get("product");
  if (handle !== null) return { kind: "product", handle, product: products.find((p) => p.handle === handle) ?? null };
  if (q.has("q")) return { kind: "search", query: (q.get("q") ?? "").trim().slice(0, 100) };
  const collection = q.get("collection");
  if (isCollectionHandle(collection)) return { kind: "collection", handle: collection };
  switch (q.get("view")) {
    case "cart":
      return { kind: "cart" };
    case "checkout":
      return { kind: "checkout" };
    case "thank-you":
      return { kind: "thank-you" };
    case "privacy":
      return { kind: "privacy" };
    default:
      return { kind: "home" };
  }
}

export interface PageInput {
  storefront: Storefront;
  view: StorefrontView;
  lang: StorefrontLang;
  /** Origin the shopper's browser uses (for the pixel endpoint and absolute image URLs). */
  origin: string;
}

export interface RenderedPage {
  status: number;
  html: string;
}

// ---- helpers ---------------------------------------------------------------------
function href(lang: StorefrontLang, params: Record<string, string> = {}): string {
  const q = new URLSearchParams(params);
  if (lang === "pl") q.set("lang", "pl");
  const s = q.toString();
  return STOREFRONT_PATH + (s ? `?${s}` : "");
}

/** The shop's money format ("54,00 zł"), the same in both languages as on Shopify. */
export function formatMoney(amount: string | number, currency: string): string {
  return new Intl.NumberFormat("pl-PL", { style: "currency", currency }).format(Number(amount));
}

function description(product: StorefrontProduct, t: StorefrontStrings): string {
  switch (product.type) {
    case "coffee":
      return t.descCoffee;
    case "equipment":
      return t.descEquipment;
    case "merch":
      return t.descMerch;
    case "gift":
      return t.descGift;
    default:
      return "";
  }
}

const ICON_SEARCH = new SafeHtml(
  `<svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" aria-hidden="true"><circle cx="11" cy="11" r="7"/><path d="m20 20-3.5-3.5"/></svg>`,
);
const ICON_BAG = new SafeHtml(
  `<svg width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linejoin="round" aria-hidden="true"><path d="M5 8h14l-1 12H6z"/><path d="M9 8V6a3 3 0 0 1 6 0v2"/></svg>`,
);

const icon = (paths: string) =>
  new SafeHtml(
    `<svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${paths}</svg>`,
  );
const ICON_TRUCK = icon(
  `<path d="M3 6h11v10H3z"/><path d="M14 10h4l3 3v3h-7"/><circle cx="7" cy="17.5" r="1.8"/><circle cx="17" cy="17.5" r="1.8"/>`,
);
const ICON_RETURN = icon(`<path d="M9 14 4 9l5-5"/><path d="M4 9h10a6 6 0 0 1 0 12h-3"/>`);
const ICON_CUP = icon(
  `<path d="M4 9h13v5a5 5 0 0 1-5 5H9a5 5 0 0 1-5-5z"/><path d="M17 11h1.5a2.5 2.5 0 0 1 0 5H17"/><path d="M8 3c-1 1.5 1 2.5 0 4M12 3c-1 1.5 1 2.5 0 4"/>`,
);

// ---- page parts -------------------------------------------------------------------
function header(input: PageInput, t: StorefrontStrings, current: string): SafeHtml {
  const { lang, storefront, view } = input;
  const nav: [string, string, Record<string, string>][] = [
    ["all", t.navShopAll, { collection: "all" }],
    ["coffee", t.navCoffee, { collection: "coffee" }],
    ["equipment", t.navEquipment, { collection: "equipment" }],
    ["merch", t.navMerch, { collection: "merch" }],
  ];
  // The language switch keeps the shopper on the same page.
  const here = (target: StorefrontLang) => {
    const params: Record<string, string> = {};
    if (view.kind === "product") params.product = view.handle;
    else if (view.kind === "collection") params.collection = view.handle;
    else if (view.kind === "search") params.q = view.query;
    else if (view.kind !== "home") params.view = view.kind;
    return href(target, params);
  };
  return html`<a class="skip" href="#main">${t.skipToContent}</a>
<div class="announcement">${t.announcement}</div>
<header class="site-header">
  <div class="container header-inner">
    <a class="logo" href="${href(lang)}"><span class="logo-mark" aria-hidden="true">K</span>${storefront.shop.brand}</a>
    <span class="demo-badge">${t.demoBadge}</span>
    <nav class="main-nav" aria-label="Main">
      ${nav.map(
        ([key, label, params]) =>
          html`<a href="${href(lang, params)}"${new SafeHtml(current === key ? ' aria-current="page"' : "")}>${label}</a>`,
      )}
    </nav>
    <div class="header-tools">
      <form class="search" role="search" action="${STOREFRONT_PATH}" method="get">
        <label class="visually-hidden" for="sf-search">${t.searchLabel}</label>
        ${ICON_SEARCH}
        <input id="sf-search" type="search" name="q" placeholder="${t.searchPlaceholder}" value="${view.kind === "search" ? view.query : ""}" autocomplete="off">
        ${lang === "pl" ? html`<input type="hidden" name="lang" value="pl">` : ""}
      </form>
      <div class="lang-switch" role="group" aria-label="${t.language}">
        <a href="${here("en")}" hreflang="en" lang="en" aria-current="${lang === "en"}">EN</a>
        <a href="${here("pl")}" hreflang="pl" lang="pl" aria-current="${lang === "pl"}">PL</a>
      </div>
      <a class="cart-link" href="${href(lang, { view: "cart" })}" data-cart-link aria-label="${t.cart}">
        ${ICON_BAG}<span class="cart-count" data-cart-count data-empty>0</span>
      </a>
    </div>
  </div>
</header>`;
}

function footer(input: PageInput, t: StorefrontStrings): SafeHtml {
  const { lang, storefront } = input;
  return html`<footer class="site-footer">
  <div class="container">
    <div class="footer-grid">
      <div>
        <div class="footer-brand">${storefront.shop.brand}</div>
        <p>${t.footerAbout}</p>
        <p>${storefront.shop.address}</p>
      </div>
      <div>
        <h2>${t.footerShop}</h2>
        <ul>
          <li><a href="${href(lang, { collection: "coffee" })}">${t.navCoffee}</a></li>
          <li><a href="${href(lang, { collection: "equipment" })}">${t.navEquipment}</a></li>
          <li><a href="${href(lang, { collection: "merch" })}">${t.navMerch}</a></li>
          <li><a href="${href(lang, { collection: "gift" })}">${t.navGift}</a></li>
        </ul>
      </div>
      <div>
        <h2>${t.footerHelp}</h2>
        <ul>
          <li><a href="mailto:${storefront.shop.domain.replace(".myshopify.com", "")}@example.com">${t.footerContact}</a></li>
          <li><a href="${href(lang, { view: "privacy" })}">${t.footerShipping}</a></li>
          <li><a href="${href(lang, { view: "privacy" })}">${t.footerPrivacy}</a></li>
        </ul>
      </div>
    </div>
    <div class="footer-note"><span>© ${new Date().getFullYear()} ${storefront.shop.brand}</span><span>${t.footerNote}</span></div>
  </div>
</footer>`;
}

function productCard(p: StorefrontProduct, input: PageInput): SafeHtml {
  return html`<li>
  <a class="card" href="${href(input.lang, { product: p.handle })}">
    <div class="card-media"><img src="${p.imageUrl ?? ""}" alt="" width="480" height="480" loading="lazy"></div>
    <span class="card-vendor">${p.vendor}</span>
    <span class="card-title">${p.title}</span>
    <span class="card-price">${formatMoney(p.price, input.storefront.shop.currency)}</span>
  </a>
</li>`;
}

function grid(products: StorefrontProduct[], input: PageInput): SafeHtml {
  return html`<ul class="grid" role="list">${products.map((p) => productCard(p, input))}</ul>`;
}

function collectionChips(input: PageInput, t: StorefrontStrings, current: CollectionHandle | null): SafeHtml {
  const handles: CollectionHandle[] = ["all", "coffee", "equipment", "merch", "gift"];
  return html`<nav class="chips" aria-label="${t.footerShop}">${handles.map(
    (handle) =>
      html`<a class="chip" href="${href(input.lang, { collection: handle })}"${new SafeHtml(current === handle ? ' aria-current="page"' : "")}>${collectionTitle(handle, t)}</a>`,
  )}</nav>`;
}

// The mount elements exactly as the theme app extension's Liquid renders them
// (extensions/theme-widgets/blocks/*.liquid), with the simulator's block settings.
const SIGNUP_SETTINGS = { delaySeconds: 8, exitIntent: true, showSms: true, title: "", body: "", accent: "#6f4e37" };

/** Liquid's `color_brightness` (0-255): dark text on light accents. */
function onAccent(hex: string): string {
  const n = parseInt(hex.replace("#", ""), 16);
  const brightness = (((n >> 16) & 255) * 299 + ((n >> 8) & 255) * 587 + (n & 255) * 114) / 1000;
  return brightness > 160 ? "#111827" : "#ffffff";
}

function signupMount(input: PageInput): SafeHtml {
  const { storefront, lang } = input;
  const s = SIGNUP_SETTINGS;
  return html`<div
    id="flowmate-signup"
    data-shop="${storefront.shop.domain}"
    data-shop-name="${storefront.shop.name}"
    data-locale="${lang}"
    data-proxy="${PROXY_PATH}"
    data-delay="${s.delaySeconds}"
    data-exit-intent="${s.exitIntent}"
    data-title="${s.title}"
    data-body="${s.body}"
    data-show-sms="${s.showSms}"
    data-privacy-url="${href(lang, { view: "privacy" })}"
    data-design-mode="false"
    style="--fm-accent: ${s.accent}; --fm-on-accent: ${onAccent(s.accent)};"
  ></div>`;
}

// ---- views --------------------------------------------------------------------------
function homeView(input: PageInput, t: StorefrontStrings): SafeHtml {
  const products = input.storefront.products;
  const art = ["espresso-blend-500-g", "ethiopia-yirgacheffe-250-g"]
    .map((h) => products.find((p) => p.handle === h))
    .filter((p): p is StorefrontProduct => !!p);
  return html`<section class="hero">
  <div class="container hero-inner">
    <div>
      <p class="eyebrow">${t.heroEyebrow}</p>
      <h1>${t.heroTitle}</h1>
      <p class="lead">${t.heroBody}</p>
      <div class="hero-actions">
        <a class="btn btn-light" href="${href(input.lang, { collection: "coffee" })}">${t.heroCta}</a>
        <a class="btn btn-ghost-light" href="${href(input.lang, { collection: "equipment" })}">${t.heroSecondary}</a>
      </div>
    </div>
    <div class="hero-art" aria-hidden="true">${art.map((p) => html`<img src="${p.imageUrl ?? ""}" alt="" width="480" height="480">`)}</div>
  </div>
</section>
<div class="container">
  <div class="perks">
    <div class="perk"><span aria-hidden="true">${ICON_TRUCK}</span>${t.perkShipping}</div>
    <div class="perk"><span aria-hidden="true">${ICON_RETURN}</span>${t.perkReturns}</div>
    <div class="perk"><span aria-hidden="true">${ICON_CUP}</span>${t.perkRoast}</div>
  </div>
  <section class="section">
    <div class="section-head"><h2>${t.featured}</h2><a href="${href(input.lang, { collection: "all" })}">${t.viewAll} →</a></div>
    ${grid(products.slice(0, 8), input)}
  </section>
</div>`;
}

function collectionView(input: PageInput, t: StorefrontStrings, handle: CollectionHandle): SafeHtml {
  const products = productsIn(input.storefront.products, handle);
  return html`<div class="container section">
  <div class="section-head"><h1>${collectionTitle(handle, t)}</h1><span class="count">${fmt(t.productCount, { n: products.length })}</span></div>
  ${collectionChips(input, t, handle)}
  ${grid(products, input)}
</div>`;
}

function searchView(input: PageInput, t: StorefrontStrings, query: string): SafeHtml {
  const products = searchProducts(input.storefront.products, query);
  return html`<div class="container section">
  <div class="section-head"><h1>${fmt(t.searchResultsFor, { q: query })}</h1><span class="count">${fmt(t.searchCount, { n: products.length })}</span></div>
  ${
    products.length
      ? grid(products, input)
      : html`<div class="empty"><p>${fmt(t.searchNoResults, { q: query })}</p><a class="btn" href="${href(input.lang, { collection: "all" })}">${t.backToShop}</a></div>`
  }
</div>`;
}

function productView(input: PageInput, t: StorefrontStrings, product: StorefrontProduct | null): SafeHtml {
  if (!product) {
    return html`<div class="container section"><div class="empty"><h1>${t.notFoundTitle}</h1><p>${t.notFoundBody}</p><a class="btn" href="${href(input.lang, { collection: "all" })}">${t.backToShop}</a></div></div>`;
  }
  const type = isCollectionHandle(product.type) ? product.type : "all";
  return html`<div class="container">
  <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="${href(input.lang)}">${input.storefront.shop.brand}</a> / <a href="${href(input.lang, { collection: type })}">${collectionTitle(type, t)}</a> / <span aria-current="page">${product.title}</span></nav>
  <div class="product">
    <div class="product-media"><img src="${product.imageUrl ?? ""}" alt="${product.title}" width="480" height="480"></div>
    <div class="product-info">
      <span class="card-vendor">${product.vendor}</span>
      <h1>${product.title}</h1>
      <p class="price-lg">${formatMoney(product.price, input.storefront.shop.currency)}</p>
      <p class="tax-note">${t.taxIncluded}</p>
      <p class="stock">${t.inStock}</p>
      <form data-product-form>
        <label class="qty-label" for="sf-qty">${t.quantity}</label>
        <div class="qty">
          <button type="button" data-qty="-1" aria-label="${t.decrease}">−</button>
          <input id="sf-qty" name="quantity" type="number" min="1" max="99" value="1" inputmode="numeric">
          <button type="button" data-qty="1" aria-label="${t.increase}">+</button>
        </div>
        <div class="buy"><button class="btn btn-block btn-brand" type="submit">${t.addToCart}</button></div>
      </form>
      <p class="description">${description(product, t)}</p>
    </div>
  </div>
</div>`;
}

function cartView(input: PageInput, t: StorefrontStrings): SafeHtml {
  return html`<div class="container section">
  <div class="section-head"><h1>${t.yourCart}</h1><a href="${href(input.lang, { collection: "all" })}">${t.backToShop}</a></div>
  <div data-cart-root></div>
</div>`;
}

function privacyView(input: PageInput, t: StorefrontStrings): SafeHtml {
  const pl = input.lang === "pl";
  return html`<div class="container section" style="max-width:760px">
  <h1>${t.footerPrivacy}</h1>
  <p>${
    pl
      ? `${input.storefront.shop.brand} przetwarza Twój adres e-mail i numer telefonu wyłącznie w celu realizacji zamówień oraz, jeśli wyrazisz zgodę, wysyłki informacji marketingowych. Zgodę możesz wycofać w każdej chwili, klikając link w wiadomości lub odpowiadając STOP na SMS.`
      : `${input.storefront.shop.brand} uses your email address and phone number to fulfil your orders and, if you agree, to send you marketing messages. You can withdraw consent at any time with the link in every email or by replying STOP to a text message.`
  }</p>
  <p>${t.footerNote}</p>
</div>`;
}

function checkoutLayout(input: PageInput, t: StorefrontStrings, thankYou: boolean): SafeHtml {
  const { lang } = input;
  const main = thankYou
    ? html`<div data-checkout-main></div>`
    : html`<div data-checkout-main>
  <ol class="co-steps">
    <li><a href="${href(lang, { view: "cart" })}">${t.cart}</a></li>
    <li data-crumb="information" aria-current="step">${t.contact}</li>
    <li data-crumb="payment">${t.payment}</li>
  </ol>
  <form data-checkout-form novalidate>
    <div data-step="information">
      <section class="co-section">
        <h2>${t.contact}</h2>
        <div class="co-fields">
          <div class="field"><label for="co-email">${t.email}</label><input id="co-email" name="email" type="email" autocomplete="email" required></div>
          <label class="check"><input type="checkbox" name="acceptsEmail"> ${t.emailMeOffers}</label>
          <div class="field"><label for="co-phone">${t.phone}</label><input id="co-phone" name="phone" type="tel" autocomplete="tel" placeholder="+48 512 345 678"></div>
          <label class="check"><input type="checkbox" name="acceptsSms"> ${t.textMeOffers}</label>
        </div>
      </section>
      <section class="co-section">
        <h2>${t.delivery}</h2>
        <div class="co-fields">
          <div class="field"><label for="co-country">${t.country}</label><select id="co-country" name="country" autocomplete="country"><option value="PL">${t.countryPoland}</option></select></div>
          <div class="co-row">
            <div class="field"><label for="co-first">${t.firstName}</label><input id="co-first" name="firstName" autocomplete="given-name"></div>
            <div class="field"><label for="co-last">${t.lastName}</label><input id="co-last" name="lastName" autocomplete="family-name"></div>
          </div>
          <div class="field"><label for="co-address">${t.address}</label><input id="co-address" name="address1" autocomplete="address-line1"></div>
          <div class="co-row-3">
            <div class="field"><label for="co-zip">${t.postalCode}</label><input id="co-zip" name="zip" autocomplete="postal-code"></div>
            <div class="field"><label for="co-city">${t.city}</label><input id="co-city" name="city" autocomplete="address-level2"></div>
          </div>
        </div>
      </section>
      <div class="co-actions">
        <a href="${href(lang, { view: "cart" })}">‹ ${t.returnToCart}</a>
        <button class="btn" type="submit">${t.continueToPayment}</button>
      </div>
    </div>
  </form>
  <div data-step="payment" hidden>
    <dl class="co-review" data-review></dl>
    <section class="co-section">
      <h2>${t.payment}</h2>
      <div class="co-pay">
        <div class="co-pay-head"><span>${t.testCard}</span><span class="card-logos"><span>VISA</span><span>MC</span><span>BLIK</span></span></div>
        <div class="co-pay-body">${t.paymentNote}</div>
      </div>
      <button class="btn btn-block btn-brand" type="button" data-pay>${t.payNow}</button>
    </section>
  </div>
</div>`;
  return html`<header class="co-header">
  <div class="container">
    <a class="logo" href="${href(lang)}"><span class="logo-mark" aria-hidden="true">K</span>${input.storefront.shop.brand}</a>
    <a class="cart-link" href="${href(lang, { view: "cart" })}" data-cart-link aria-label="${t.cart}">${ICON_BAG}<span class="cart-count" data-cart-count data-empty>0</span></a>
  </div>
</header>
<main id="main" class="co-grid">
  <div class="co-main"><div class="co-inner">${main}</div></div>
  <aside class="co-side" aria-label="${t.orderSummary}"><div class="co-side-inner" data-summary-root></div></aside>
</main>`;
}

function debugPanel(t: StorefrontStrings): SafeHtml {
  return html`<aside class="sf-debug" data-debug aria-label="${t.debugTitle}">
  <details>
    <summary><span class="dot" aria-hidden="true"></span>${t.debugTitle}<span class="pill" data-debug-count>0</span></summary>
    <div class="body">
      <p class="intro">${t.debugIntro}</p>
      <p class="status" data-debug-status></p>
      <ol></ol>
      <div class="tools"><button type="button" data-debug-clear>${t.debugClear}</button><button type="button" data-debug-popup>${t.debugResetPopup}</button></div>
      <div class="client-id" data-debug-client></div>
    </div>
  </details>
</aside>`;
}

// ---- the page --------------------------------------------------------------------------
export function renderStorefrontPage(input: PageInput): RenderedPage {
  const { storefront, view, lang, origin } = input;
  const t = storefrontStrings(lang);
  let status = 200;
  let title = storefront.shop.brand;
  let body: SafeHtml;
  let current = "";
  let clientView: ClientView = "home";
  let collection: ClientConfig["collection"] = null;
  let search: ClientConfig["search"] = null;

  switch (view.kind) {
    case "collection": {
      const name = collectionTitle(view.handle, t);
      title = `${name} – ${storefront.shop.brand}`;
      current = view.handle;
      clientView = "collection";
      collection = {
        id: collectionId(view.handle),
        title: name,
        handles: productsIn(storefront.products, view.handle).map((p) => p.handle),
      };
      body = collectionView(input, t, view.handle);
      break;
    }
    case "search":
      title = `${fmt(t.searchResultsFor, { q: view.query })} – ${storefront.shop.brand}`;
      clientView = "search";
      search = { query: view.query, handles: searchProducts(storefront.products, view.query).map((p) => p.handle) };
      body = searchView(input, t, view.query);
      break;
    case "product":
      if (view.product) {
        title = `${view.product.title} – ${storefront.shop.brand}`;
        current = view.product.type;
        clientView = "product";
      } else {
        status = 404;
        title = `${t.notFoundTitle} – ${storefront.shop.brand}`;
        clientView = "not-found";
      }
      body = productView(input, t, view.product);
      break;
    case "cart":
      title = `${t.yourCart} – ${storefront.shop.brand}`;
      clientView = "cart";
      body = cartView(input, t);
      break;
    case "checkout":
      title = `${t.checkoutTitle} – ${storefront.shop.brand}`;
      clientView = "checkout";
      body = checkoutLayout(input, t, false);
      break;
    case "thank-you":
      title = `${fmt(t.thanksTitle, { name: "" })} – ${storefront.shop.brand}`;
      clientView = "thank-you";
      body = checkoutLayout(input, t, true);
      break;
    case "privacy":
      title = `${t.footerPrivacy} – ${storefront.shop.brand}`;
      clientView = "privacy";
      body = privacyView(input, t);
      break;
    default:
      body = homeView(input, t);
  }

  const inCheckout = view.kind === "checkout" || view.kind === "thank-you";
  const runtimeConfig: PixelRuntimeConfig = {
    settings: { endpoint: origin + PIXEL_ENDPOINT_PATH },
    shop: {
      countryCode: storefront.shop.countryCode,
      myshopifyDomain: storefront.shop.domain,
      name: storefront.shop.name,
      paymentSettings: { currencyCode: storefront.shop.currency },
      storefrontUrl: origin + STOREFRONT_PATH,
    },
    logKey: STORAGE_KEYS.log,
    logLimit: 100,
  };
  const clientConfig: ClientConfig = {
    lang,
    base: STOREFRONT_PATH,
    view: clientView,
    products: storefront.products.map((p) => ({
      id: p.id,
      variantId: p.variantId,
      variantTitle: p.variantTitle,
      sku: p.sku,
      title: p.title,
      handle: p.handle,
      type: p.type,
      vendor: p.vendor,
      price: p.price,
      imageUrl: p.imageUrl,
    })),
    currency: storefront.shop.currency,
    strings: t,
    payloadContext: { currency: storefront.shop.currency, countryCode: storefront.shop.countryCode, origin, lang },
    keys: { cart: STORAGE_KEYS.cart, order: STORAGE_KEYS.order, popup: STORAGE_KEYS.popup, debugOpen: STORAGE_KEYS.debugOpen },
    collection,
    search,
    productHandle: view.kind === "product" ? view.handle : null,
  };

  const page = html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<link rel="icon" href="data:,">
<style>${new SafeHtml(STOREFRONT_CSS)}</style>
${inCheckout ? "" : html`<link rel="stylesheet" href="${WIDGETS_CSS_URL}">`}
${jsonScript(CONFIG_ELEMENT_IDS.pixelRuntime, runtimeConfig)}
<script src="${PIXEL_RUNTIME_URL}"></script>
</head>
<body class="${inCheckout ? "checkout-page" : ""}">
${
  inCheckout
    ? body
    : html`${header(input, t, current)}
<main id="main">${body}</main>
${footer(input, t)}
${signupMount(input)}`
}
${debugPanel(t)}
${jsonScript(CONFIG_ELEMENT_IDS.storefront, clientConfig)}
<script src="${STOREFRONT_JS_URL}"></script>
<script src="${PIXEL_BUNDLE_URL}"></script>
${inCheckout ? "" : html`<script src="${WIDGETS_JS_URL}" defer></script>`}
</body>
</html>`;
  return { status, html: page.value };
}
