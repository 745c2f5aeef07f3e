import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { Locale } from "~/i18n";
import type { PageBrand } from "./branding";

// Shopper-facing pages are plain server-rendered HTML: no admin chrome, no
// JavaScript, one small stylesheet. They work in any browser, in a mail app's
// in-app browser and with a screen reader, and they load instantly.

const CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2328;background:#f5f6f8}
.bar{height:6px;background:var(--brand)}
.wrap{max-width:580px;margin:0 auto;padding:0 20px}
header{display:flex;align-items:center;gap:12px;padding:32px 0 20px}
header img{max-height:44px;max-width:200px}
.mark{flex:none;width:44px;height:44px;border-radius:12px;background:var(--brand);color:var(--on-brand);display:grid;place-items:center;font-weight:700;font-size:1.25rem}
.shop{font-weight:650;font-size:1.125rem}
.card{background:#fff;border:1px solid #dfe3e8;border-radius:14px;padding:28px;margin-bottom:16px;box-shadow:0 1px 2px rgba(16,24,40,.05)}
.card.quiet{background:#fbfbfc}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 8px;letter-spacing:-.01em}
h2{font-size:1.0625rem;line-height:1.3;margin:0 0 4px}
p{margin:0 0 16px}
.lead{color:#4b5563}
.muted{color:#5b6470;font-size:.9375rem}
.small{font-size:.875rem;color:#5b6470}
form{margin:0}
.actions{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin-top:20px}
.btn{display:inline-flex;align-items:center;justify-content:center;min-height:44px;padding:10px 20px;border-radius:10px;font:inherit;font-weight:600;cursor:pointer;border:1px solid transparent;text-decoration:none}
.btn-primary{background:var(--brand);color:var(--on-brand)}
.btn-primary:hover{filter:brightness(1.08)}
.btn-secondary{background:#fff;color:#1f2328;border-color:#c9ced6}
.btn-secondary:hover{background:#f3f4f6}
.btn-link{background:none;border:0;padding:0;min-height:0;color:#b42318;text-decoration:underline;font-weight:600}
a{color:var(--link)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
fieldset{border:0;padding:0;margin:0}
legend{font-weight:650;padding:0;margin-bottom:4px}
.option{display:flex;gap:12px;align-items:flex-start;padding:14px 0;border-top:1px solid #eceef1}
.option:first-of-type{border-top:0}
.option input{flex:none;width:20px;height:20px;margin:2px 0 0;accent-color:var(--brand)}
.option label{font-weight:600;display:block}
.option .hint{display:block;font-weight:400;color:#5b6470;font-size:.9375rem}
.notice{display:flex;gap:10px;align-items:flex-start;border-radius:10px;padding:12px 16px;margin-bottom:16px;background:#ecfdf3;border:1px solid #abefc6;color:#085d3a}
.notice.info{background:#eff4ff;border-color:#c7d7fe;color:#1e3a8a}
.icon{flex:none;width:48px;height:48px;border-radius:50%;display:grid;place-items:center;background:#ecfdf3;color:#067647;margin-bottom:16px}
.icon.warn{background:#fef3f2;color:#b42318}
.split{display:flex;justify-content:space-between;gap:16px;align-items:center;flex-wrap:wrap}
.split>div{flex:1 1 260px}
footer{padding:8px 0 40px;text-align:center;color:#5b6470;font-size:.8125rem}
footer p{margin:0 0 4px}
@media (max-width:480px){.card{padding:20px}h1{font-size:1.3rem}.btn{width:100%}}
`;

export interface ShellProps {
  brand: PageBrand;
  locale: Locale;
  title: string;
  footer?: string;
  children: ReactNode;
}

function Shell({ brand, locale, title, footer, children }: ShellProps) {
  const vars = `:root{--brand:${brand.brand};--on-brand:${brand.onBrand};--link:${brand.link};--focus:${brand.focus}}`;
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <meta name="referrer" content="no-referrer" />
        <title>{brand.name ? `${title} · ${brand.name}` : title}</title>
        <style dangerouslySetInnerHTML={{ __html: vars + CSS }} />
      </head>
      <body>
        <div className="bar" />
        <div className="wrap">
          <header>
            {!brand.name && !brand.logoUrl ? null : brand.logoUrl ? (
              <img src={brand.logoUrl} alt={brand.name} />
            ) : (
              <>
                <span className="mark" aria-hidden="true">
                  {Array.from(brand.name.trim())[0]?.toUpperCase() ?? "•"}
                </span>
                <span className="shop">{brand.name}</span>
              </>
            )}
          </header>
          <main>{children}</main>
          <footer>
            {footer ? <p>{footer}</p> : null}
            {brand.address ? <p>{brand.address}</p> : null}
          </footer>
        </div>
      </body>
    </html>
  );
}

// The link's token is in the URL: no referrer may carry it to another site, no cache
// may keep the page, no search engine may list it, no other site may frame it.
const SECURITY_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-robots-tag": "noindex, nofollow",
  "x-content-type-options": "nosniff",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

export function renderShopperPage(props: ShellProps, status = 200): Response {
  const html = "<!doctype html>" + renderToStaticMarkup(<Shell {...props} />);
  return new Response(html, { status, headers: SECURITY_HEADERS });
}

export function CheckIcon({ warn = false }: { warn?: boolean }) {
  return (
    <div className={warn ? "icon warn" : "icon"} aria-hidden="true">
      <svg
        width="24"
        height="24"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="2.5"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        {warn ? <path d="M12 8v5m0 3.5v.01M4 20h16L12 4z" /> : <path d="M5 12.5l4.5 4.5L19 7.5" />}
      </svg>
    </div>
  );
}
