// The simulator's theme: plain CSS in the spirit of Shopify's Dawn (no Polaris,
// no framework). Inlined into the page.
export const STOREFRONT_CSS = String.raw`
:root {
  --ink: #1f1a17;
  --muted: #6b605a;
  --line: #e7e1da;
  --surface: #f8f5f1;
  --brand: #6f4e37;
  --brand-dark: #4a3324;
  --accent: #ffb300;
  --danger: #b42318;
  --ok: #1a7f37;
  --radius: 12px;
  --max: 1200px;
  color-scheme: light;
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0;
  font-family: ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 16px;
  line-height: 1.55;
  color: var(--ink);
  background: #fff;
  -webkit-font-smoothing: antialiased;
}
img { max-width: 100%; height: auto; display: block; }
a { color: inherit; }
button, input, select { font: inherit; color: inherit; }
h1, h2, h3 { line-height: 1.2; letter-spacing: -0.01em; }
.container { width: 100%; max-width: var(--max); margin: 0 auto; padding: 0 24px; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip { position: absolute; left: -999px; top: 8px; background: #fff; padding: 8px 12px; z-index: 100; }
.skip:focus { left: 8px; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }

/* ---------- header ---------- */
.announcement { background: var(--brand-dark); color: #fff; font-size: 13px; letter-spacing: .02em; text-align: center; padding: 8px 16px; }
.site-header { position: sticky; top: 0; z-index: 20; background: rgba(255,255,255,.96); backdrop-filter: saturate(1.4) blur(8px); border-bottom: 1px solid var(--line); }
.header-inner { display: flex; align-items: center; gap: 24px; min-height: 72px; }
.logo { display: flex; align-items: center; gap: 10px; text-decoration: none; font-weight: 800; font-size: 22px; letter-spacing: -0.02em; white-space: nowrap; }
.logo-mark { display: inline-grid; place-items: center; width: 34px; height: 34px; border-radius: 50%; background: var(--brand); color: #fff; font-size: 15px; }
.demo-badge { font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: .08em; color: var(--brand); background: #f3ebe3; border-radius: 999px; padding: 3px 9px; white-space: nowrap; }
.main-nav { display: flex; gap: 20px; flex: 1; white-space: nowrap; }
.main-nav a { text-decoration: none; font-size: 15px; color: var(--muted); padding: 6px 0; border-bottom: 2px solid transparent; }
.main-nav a:hover, .main-nav a[aria-current="page"] { color: var(--ink); border-bottom-color: var(--ink); }
.header-tools { display: flex; align-items: center; gap: 14px; }
.search { position: relative; }
.search input { width: 210px; height: 40px; border: 1px solid var(--line); border-radius: 999px; padding: 0 14px 0 38px; background: var(--surface); }
.search input:focus { background: #fff; border-color: var(--ink); outline: none; }
.search svg { position: absolute; left: 13px; top: 11px; color: var(--muted); pointer-events: none; }
.lang-switch { display: flex; border: 1px solid var(--line); border-radius: 999px; padding: 3px; font-size: 13px; font-weight: 600; }
.lang-switch a { text-decoration: none; padding: 4px 10px; border-radius: 999px; color: var(--muted); }
.lang-switch a[aria-current="true"] { background: var(--ink); color: #fff; }
.cart-link { position: relative; display: inline-grid; place-items: center; width: 42px; height: 42px; border-radius: 50%; text-decoration: none; }
.cart-link:hover { background: var(--surface); }
.cart-count { position: absolute; top: 1px; right: 0; min-width: 19px; height: 19px; border-radius: 999px; background: var(--brand); color: #fff; font-size: 11px; font-weight: 700; display: grid; place-items: center; padding: 0 5px; }
.cart-count[data-empty] { display: none; }

/* ---------- buttons & forms ---------- */
.btn { display: inline-flex; align-items: center; justify-content: center; gap: 8px; min-height: 48px; padding: 0 26px; border-radius: 10px; border: 1px solid var(--ink); background: var(--ink); color: #fff; font-weight: 600; text-decoration: none; cursor: pointer; transition: transform .05s, background .15s; }
.btn:hover { background: #000; }
.btn:active { transform: translateY(1px); }
.btn-secondary { background: #fff; color: var(--ink); }
.btn-secondary:hover { background: var(--surface); }
.btn-light { background: #fff; color: var(--ink); border-color: #fff; }
.btn-light:hover { background: #f3ebe3; }
.btn-ghost-light { background: transparent; color: #fff; border-color: rgba(255,255,255,.6); }
.btn-ghost-light:hover { background: rgba(255,255,255,.1); }
.btn-block { width: 100%; }
.btn-brand { background: var(--brand); border-color: var(--brand); }
.btn-brand:hover { background: var(--brand-dark); }
.link-btn { background: none; border: 0; padding: 0; color: var(--brand); text-decoration: underline; cursor: pointer; font-size: 14px; }
.field { display: flex; flex-direction: column; gap: 6px; }
.field label { font-size: 13px; color: var(--muted); }
.field input, .field select { height: 48px; border: 1px solid #d6cec6; border-radius: 8px; padding: 0 14px; background: #fff; }
.field input:focus, .field select:focus { outline: none; border-color: var(--ink); box-shadow: 0 0 0 1px var(--ink); }
.field input[aria-invalid="true"] { border-color: var(--danger); box-shadow: 0 0 0 1px var(--danger); }
.field-error { color: var(--danger); font-size: 13px; margin: 0; }
.check { display: flex; gap: 10px; align-items: flex-start; font-size: 14px; cursor: pointer; }
.check input { width: 18px; height: 18px; margin: 2px 0 0; accent-color: var(--ink); flex: none; }

/* ---------- home ---------- */
.hero { background: radial-gradient(1200px 500px at 85% 20%, #8a6249 0%, var(--brand) 45%, var(--brand-dark) 100%); color: #fff; }
.hero-inner { display: grid; grid-template-columns: 1.1fr .9fr; align-items: center; gap: 40px; min-height: 440px; padding-top: 48px; padding-bottom: 48px; }
.eyebrow { text-transform: uppercase; letter-spacing: .14em; font-size: 12px; font-weight: 700; opacity: .85; margin: 0 0 14px; }
.hero h1 { font-size: clamp(36px, 5vw, 58px); margin: 0 0 18px; letter-spacing: -0.03em; max-width: 12ch; }
.hero p.lead { font-size: 18px; opacity: .9; margin: 0 0 30px; max-width: 46ch; }
.hero-actions { display: flex; gap: 12px; flex-wrap: wrap; }
.hero-art { position: relative; justify-self: center; width: min(380px, 100%); aspect-ratio: 1; }
.hero-art img { position: absolute; width: 64%; aspect-ratio: 1; border-radius: 28px; box-shadow: 0 30px 60px rgba(0,0,0,.3); }
.hero-art img:first-child { left: 0; top: 10%; transform: rotate(-6deg); }
.hero-art img:last-child { right: 0; bottom: 0; transform: rotate(5deg); }
.perks { display: grid; grid-template-columns: repeat(3, 1fr); gap: 16px; margin: 56px 0; }
.perk { display: flex; align-items: center; gap: 14px; padding: 18px 20px; border-radius: var(--radius); background: var(--surface); font-weight: 600; }
.perk span { display: grid; place-items: center; width: 42px; height: 42px; border-radius: 50%; background: #fff; color: var(--brand); flex: none; }

/* ---------- collections ---------- */
.section { margin-top: 56px; margin-bottom: 56px; }
.section-head { display: flex; align-items: baseline; justify-content: space-between; gap: 16px; margin-bottom: 22px; }
.section-head h1, .section-head h2 { margin: 0; font-size: 30px; }
.section-head a { font-weight: 600; text-decoration: none; color: var(--brand); }
.section-head .count { color: var(--muted); }
.chips { display: flex; flex-wrap: wrap; gap: 8px; margin: -6px 0 26px; }
.chip { text-decoration: none; font-size: 14px; padding: 7px 14px; border: 1px solid var(--line); border-radius: 999px; color: var(--muted); }
.chip:hover { border-color: var(--ink); color: var(--ink); }
.chip[aria-current="page"] { background: var(--ink); border-color: var(--ink); color: #fff; }
.grid { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 32px 22px; list-style: none; margin: 0; padding: 0; }
.card { display: flex; flex-direction: column; gap: 4px; text-decoration: none; }
.card-media { aspect-ratio: 1; border-radius: var(--radius); overflow: hidden; background: var(--surface); margin-bottom: 10px; }
.card-media img { width: 100%; height: 100%; object-fit: cover; transition: transform .35s ease; }
.card:hover .card-media img { transform: scale(1.04); }
.card-vendor { font-size: 12px; text-transform: uppercase; letter-spacing: .1em; color: var(--muted); }
.card-title { font-weight: 600; }
.card:hover .card-title { text-decoration: underline; text-underline-offset: 3px; }
.card-price { color: var(--ink); }
.empty { text-align: center; padding: 72px 24px; background: var(--surface); border-radius: var(--radius); }
.empty h1, .empty h2 { margin: 0 0 8px; font-size: 26px; }
.empty p { color: var(--muted); margin: 0 0 24px; }

/* ---------- product ---------- */
.breadcrumbs { font-size: 13px; color: var(--muted); margin: 24px 0; }
.breadcrumbs a { text-decoration: none; }
.breadcrumbs a:hover { text-decoration: underline; }
.product { display: grid; grid-template-columns: minmax(0, 1.1fr) minmax(0, .9fr); gap: 56px; align-items: start; margin-bottom: 32px; }
.product-media { border-radius: 18px; overflow: hidden; background: var(--surface); }
.product-media img { width: 100%; aspect-ratio: 1; }
.product-info { position: sticky; top: 100px; }
.product-info h1 { font-size: 38px; margin: 6px 0 12px; letter-spacing: -0.02em; }
.price-lg { font-size: 22px; margin: 0 0 4px; }
.tax-note { font-size: 13px; color: var(--muted); margin: 0 0 26px; }
.stock { display: flex; align-items: center; gap: 8px; color: var(--ok); font-size: 14px; margin: 0 0 22px; }
.stock::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: var(--ok); box-shadow: 0 0 0 4px #dcfce7; }
.qty-label { font-size: 13px; color: var(--muted); display: block; margin-bottom: 8px; }
.qty { display: inline-flex; align-items: center; border: 1px solid #d6cec6; border-radius: 10px; height: 48px; }
.qty button { width: 44px; height: 100%; border: 0; background: none; font-size: 20px; cursor: pointer; color: var(--muted); }
.qty button:hover { color: var(--ink); }
.qty input { width: 44px; border: 0; text-align: center; height: 100%; -moz-appearance: textfield; }
.qty input::-webkit-inner-spin-button { -webkit-appearance: none; }
.buy { display: grid; gap: 12px; margin: 22px 0 26px; }
.description { color: var(--muted); border-top: 1px solid var(--line); padding-top: 22px; margin: 0; }

/* ---------- cart ---------- */
.cart-table { width: 100%; border-collapse: collapse; }
.cart-table th { text-align: left; font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); padding: 0 0 14px; border-bottom: 1px solid var(--line); }
.cart-table th:last-child, .cart-table td:last-child { text-align: right; }
.cart-table td { padding: 22px 0; border-bottom: 1px solid var(--line); vertical-align: middle; }
.cart-item { display: flex; align-items: center; gap: 18px; }
.cart-item img { width: 92px; height: 92px; border-radius: 10px; }
.cart-item a { font-weight: 600; text-decoration: none; }
.cart-item a:hover { text-decoration: underline; }
.cart-item .muted { color: var(--muted); font-size: 14px; }
.cart-qty { display: flex; align-items: center; gap: 14px; }
.cart-footer { display: flex; justify-content: flex-end; margin-top: 28px; }
.cart-summary { width: min(380px, 100%); display: grid; gap: 10px; text-align: right; }
.cart-summary .row { display: flex; justify-content: space-between; font-size: 18px; }
.cart-summary .row strong { font-size: 20px; }
.cart-summary p { margin: 0; color: var(--muted); font-size: 13px; }

/* ---------- added-to-cart notification ---------- */
.toast { position: fixed; top: 90px; right: 24px; z-index: 30; width: 360px; max-width: calc(100vw - 32px); background: #fff; border: 1px solid var(--line); border-radius: 14px; box-shadow: 0 20px 50px rgba(31,26,23,.18); padding: 20px; animation: toast-in .2s ease-out; }
.toast[hidden] { display: none; }
.toast-head { display: flex; align-items: center; justify-content: space-between; font-size: 14px; margin-bottom: 14px; }
.toast-head span { display: flex; align-items: center; gap: 8px; color: var(--ok); font-weight: 600; }
.toast-close { border: 0; background: none; font-size: 22px; line-height: 1; cursor: pointer; color: var(--muted); }
.toast-item { display: flex; gap: 14px; align-items: center; margin-bottom: 16px; }
.toast-item img { width: 64px; height: 64px; border-radius: 8px; }
.toast-actions { display: grid; gap: 8px; }
@keyframes toast-in { from { opacity: 0; transform: translateY(-8px); } }

/* ---------- footer ---------- */
.site-footer { margin-top: 80px; background: var(--surface); border-top: 1px solid var(--line); padding: 48px 0 28px; font-size: 14px; color: var(--muted); }
.footer-grid { display: grid; grid-template-columns: 2fr 1fr 1fr; gap: 40px; }
.footer-grid h2 { font-size: 14px; color: var(--ink); margin: 0 0 12px; text-transform: uppercase; letter-spacing: .08em; }
.footer-grid ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
.footer-grid a { text-decoration: none; }
.footer-grid a:hover { text-decoration: underline; color: var(--ink); }
.footer-brand { font-weight: 800; font-size: 18px; color: var(--ink); margin-bottom: 8px; }
.footer-note { border-top: 1px solid var(--line); margin-top: 36px; padding-top: 20px; display: flex; justify-content: space-between; gap: 20px; flex-wrap: wrap; }

/* ---------- checkout (Shopify checkout look) ---------- */
body.checkout-page { background: #fff; }
.co-header { border-bottom: 1px solid var(--line); }
.co-header .container { display: flex; align-items: center; justify-content: space-between; min-height: 76px; max-width: 1100px; }
.co-grid { display: grid; grid-template-columns: minmax(0, 1.15fr) minmax(0, .85fr); min-height: calc(100vh - 77px); }
.co-main { padding: 36px 48px 64px max(24px, calc((100vw - 1100px) / 2 + 24px)); }
.co-side { background: var(--surface); border-left: 1px solid var(--line); padding: 36px max(24px, calc((100vw - 1100px) / 2 + 24px)) 64px 40px; }
.co-inner { max-width: 580px; }
.co-side-inner { max-width: 420px; position: sticky; top: 36px; }
.co-steps { display: flex; gap: 8px; align-items: center; font-size: 13px; color: var(--muted); margin-bottom: 28px; list-style: none; padding: 0; }
.co-steps li + li::before { content: "›"; margin-right: 8px; }
.co-steps [aria-current="step"] { color: var(--ink); font-weight: 600; }
.co-steps a { color: var(--brand); text-decoration: none; }
.co-section { margin-bottom: 30px; }
.co-section h2 { font-size: 20px; margin: 0 0 14px; }
.co-fields { display: grid; gap: 12px; }
.co-row { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.co-row-3 { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.co-actions { display: flex; align-items: center; justify-content: space-between; gap: 16px; margin-top: 8px; }
.co-actions a { color: var(--brand); text-decoration: none; font-size: 14px; }
.co-review { border: 1px solid var(--line); border-radius: 10px; margin-bottom: 26px; }
.co-review div { display: grid; grid-template-columns: 110px 1fr auto; gap: 12px; padding: 14px 16px; font-size: 14px; align-items: baseline; }
.co-review div + div { border-top: 1px solid var(--line); }
.co-review dt { color: var(--muted); }
.co-review dd { margin: 0; overflow-wrap: anywhere; }
.co-pay { border: 1px solid var(--line); border-radius: 10px; overflow: hidden; margin-bottom: 22px; }
.co-pay-head { display: flex; justify-content: space-between; align-items: center; padding: 16px; background: #f6f8ff; border-bottom: 1px solid #c9d3ff; font-weight: 600; }
.co-pay-body { padding: 16px; color: var(--muted); font-size: 14px; }
.card-logos { display: flex; gap: 6px; }
.card-logos span { font-size: 10px; font-weight: 800; border: 1px solid var(--line); border-radius: 4px; padding: 2px 5px; background: #fff; color: #1a1f71; }
.summary-lines { list-style: none; margin: 0 0 22px; padding: 0; display: grid; gap: 16px; }
.summary-line { display: grid; grid-template-columns: 64px 1fr auto; gap: 14px; align-items: center; font-size: 14px; }
.summary-thumb { position: relative; }
.summary-thumb img { width: 64px; height: 64px; border-radius: 10px; border: 1px solid var(--line); }
.summary-thumb span { position: absolute; top: -8px; right: -8px; min-width: 22px; height: 22px; border-radius: 999px; background: rgba(60,50,45,.85); color: #fff; font-size: 12px; font-weight: 600; display: grid; place-items: center; padding: 0 6px; }
.summary-totals { display: grid; gap: 8px; font-size: 14px; border-top: 1px solid var(--line); padding-top: 18px; }
.summary-totals div { display: flex; justify-content: space-between; }
.summary-totals .grand { font-size: 19px; font-weight: 700; padding-top: 8px; }
.summary-totals .grand small { font-size: 12px; color: var(--muted); font-weight: 400; margin-right: 6px; }
.summary-totals .tax { color: var(--muted); font-size: 13px; }
.thanks-head { display: flex; gap: 16px; align-items: center; margin-bottom: 26px; }
.thanks-icon { width: 52px; height: 52px; border-radius: 50%; border: 2px solid var(--ok); color: var(--ok); display: grid; place-items: center; flex: none; }
.thanks-head p { margin: 0; color: var(--muted); font-size: 14px; }
.thanks-head h1 { margin: 2px 0 0; font-size: 26px; }
.thanks-box { border: 1px solid var(--line); border-radius: 10px; padding: 18px; margin-bottom: 18px; }
.thanks-box h2 { font-size: 17px; margin: 0 0 6px; }
.thanks-box p { margin: 0; color: var(--muted); font-size: 14px; }
.thanks-box p + p { margin-top: 8px; }
.badge-ok { display: inline-flex; gap: 6px; align-items: center; color: var(--ok); font-weight: 600; }

/* ---------- "Events sent" debug panel ---------- */
.sf-debug { position: fixed; left: 16px; bottom: 16px; z-index: 2147482000; font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: #e7e5e4; }
.sf-debug > details { background: #1c1917; border-radius: 14px; box-shadow: 0 12px 40px rgba(0,0,0,.3); width: 380px; max-width: calc(100vw - 32px); overflow: hidden; }
.sf-debug > details:not([open]) { width: auto; display: inline-block; border-radius: 999px; }
.sf-debug > details > summary { cursor: pointer; list-style: none; display: flex; align-items: center; gap: 10px; padding: 10px 16px; font-family: ui-sans-serif, system-ui, sans-serif; font-weight: 600; user-select: none; }
.sf-debug summary::-webkit-details-marker { display: none; }
.sf-debug summary { list-style: none; cursor: pointer; }
.sf-debug .dot { width: 8px; height: 8px; border-radius: 50%; background: #22c55e; box-shadow: 0 0 0 3px rgba(34,197,94,.25); }
.sf-debug .dot.warn { background: #f59e0b; box-shadow: 0 0 0 3px rgba(245,158,11,.25); }
.sf-debug .pill { background: #44403c; border-radius: 999px; padding: 0 8px; font-size: 12px; }
.sf-debug .body { border-top: 1px solid #292524; padding: 12px 16px 14px; }
.sf-debug .intro { font-family: ui-sans-serif, system-ui, sans-serif; color: #a8a29e; margin: 0 0 10px; font-size: 12px; }
.sf-debug .status { color: #a8a29e; font-size: 11.5px; margin: 0 0 10px; overflow-wrap: anywhere; }
.sf-debug .status.bad { color: #fbbf24; }
.sf-debug ol { list-style: none; margin: 0; padding: 0; max-height: 42vh; overflow: auto; display: grid; gap: 2px; }
.sf-debug li summary { display: flex; gap: 12px; padding: 4px 8px; justify-content: space-between; border-radius: 6px; }
.sf-debug li summary:hover { background: #292524; }
.sf-debug li .name { color: #fcd34d; }
.sf-debug li time { color: #78716c; }
.sf-debug li.new .name { color: #86efac; }
.sf-debug pre { margin: 4px 0 8px; padding: 10px; background: #0c0a09; border-radius: 6px; max-height: 240px; overflow: auto; font-size: 11.5px; color: #d6d3d1; }
.sf-debug .tools { display: flex; gap: 12px; margin-top: 12px; font-family: ui-sans-serif, system-ui, sans-serif; }
.sf-debug .tools button { background: #292524; border: 1px solid #44403c; color: #e7e5e4; border-radius: 8px; padding: 5px 10px; font-size: 12px; cursor: pointer; }
.sf-debug .tools button:hover { background: #44403c; }
.sf-debug .client-id { color: #78716c; font-size: 11px; margin-top: 10px; overflow-wrap: anywhere; }

/* ---------- responsive ---------- */
@media (max-width: 1240px) {
  .demo-badge { display: none; }
  .search input { width: 170px; }
}
@media (max-width: 1080px) {
  .main-nav { display: none; }
  .header-inner { justify-content: space-between; }
}
@media (max-width: 900px) {
  .grid { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .hero-inner, .product, .co-grid { grid-template-columns: 1fr; }
  .hero-art { display: none; }
  .product-info { position: static; }
  .perks { grid-template-columns: 1fr; }
  .co-side { border-left: 0; border-top: 1px solid var(--line); padding: 28px 24px; }
  .co-main { padding: 28px 24px; }
  .co-inner, .co-side-inner { max-width: none; }
  .footer-grid { grid-template-columns: 1fr; }
  .search input { width: 150px; }
  .demo-badge { display: none; }
}
@media (max-width: 640px) {
  .container { padding: 0 16px; }
  .header-inner { flex-wrap: wrap; gap: 10px 12px; padding: 12px 16px; }
  .logo { font-size: 19px; flex: 1; }
  .header-tools { display: contents; }
  .search { order: 3; flex-basis: 100%; }
  .search input { width: 100%; }
  .grid { gap: 24px 12px; }
  .section-head h1, .section-head h2 { font-size: 24px; }
  .product-info h1 { font-size: 30px; }
  .cart-table thead { display: none; }
  .cart-table tr { display: grid; grid-template-columns: 1fr auto; gap: 12px; padding: 16px 0; border-bottom: 1px solid var(--line); }
  .cart-table td { border: 0; padding: 0; }
  .cart-table td:first-child { grid-column: 1 / -1; }
  .co-row { grid-template-columns: 1fr; }
  .toast { right: 16px; top: 16px; }
}
`;
