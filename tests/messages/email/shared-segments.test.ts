import { afterEach, describe, expect, it, vi } from "vitest";
import { EMAIL_TEMPLATE_KEYS } from "~/domain/messages/catalogue";
import type { EmailRenderContext } from "~/domain/messages/email-context";
import type { Locale } from "~/i18n";
import { htmlLiquid, textLiquid } from "~/server/channels/email/liquid-engines.server";
import { renderEmail } from "~/server/channels/email/render-email.server";
import { clearSegmentCache, segmentedRenderer } from "~/server/channels/email/shared-segments.server";
import { POSTAL_ADDRESS, SAMPLE_ITEMS, SAMPLE_RECOMMENDATIONS } from "./support/fixtures";

// The parts of an email that read nothing per recipient are rendered once and reused:
// the reuse must never change a byte of what liquidjs renders, nor carry one shop's or
// one recipient's data into another's email.

afterEach(() => vi.restoreAllMocks());

const HOSTILE = `<script>alert("x")</script>&amp;'"`;

const FULL: EmailRenderContext = {
  shop: {
    name: "Kawa & Co.",
    url: "https://kawa.example.com",
    currency: "PLN",
    postalAddress: POSTAL_ADDRESS,
    branding: { primaryColor: "#6f4e37", accentColor: "#ffb300", logoUrl: "https://cdn.example.com/logo.png" },
  },
  customer: { firstName: "Anna", lastName: "Nowak", email: "anna@example.com" },
  links: {
    unsubscribeUrl: "https://app.example.com/u/unsub-anna",
    preferencesUrl: "https://app.example.com/preferences/pref-anna",
    viewInBrowser: "https://app.example.com/v/view-anna",
    recoveryUrl: "https://kawa.example.com/checkouts/c1/recover?key=anna",
    reviewUrl: "https://kawa.example.com/review",
    confirmUrl: "https://app.example.com/confirm/confirm-anna",
  },
  items: SAMPLE_ITEMS,
  discount: { code: "WRACAJ10", kind: "percentage", value: 10, expiresAt: "2026-12-31T00:00:00Z" },
  recommendations: SAMPLE_RECOMMENDATIONS,
};

/** Recipients of two shops, in an order where every shared block is met again warm. */
const SEQUENCE: EmailRenderContext[] = [
  FULL,
  {
    ...FULL,
    customer: { firstName: "Piotr", email: "piotr@example.com" },
    links: {
      unsubscribeUrl: "https://app.example.com/u/unsub-piotr",
      recoveryUrl: "https://kawa.example.com/checkouts/c2/recover?key=piotr",
    },
  },
  {
    ...FULL,
    shop: {
      name: "Herbata Sp.",
      url: "https://herbata.example.com",
      currency: "EUR",
      postalAddress: { ...POSTAL_ADDRESS, company: "Herbata Sp." },
      branding: { primaryColor: "#123456" },
    },
    items: [{ title: "Sencha 100 g", quantity: 3, price: "12.50" }],
    discount: null,
  },
  { ...FULL, customer: { firstName: HOSTILE, lastName: "O'Brien & <Sons>" }, items: [{ title: HOSTILE, quantity: 1, price: "1.00" }] },
  { shop: { name: "Kawa", postalAddress: POSTAL_ADDRESS }, links: { unsubscribeUrl: "https://app.example.com/u/minimal" } },
  FULL,
];

describe("shared segments", () => {
  it("render every catalogue email exactly as a render with nothing cached, for recipients of two shops", async () => {
    const locales: Locale[] = ["en", "pl"];
    for (const templateKey of EMAIL_TEMPLATE_KEYS) {
      for (const locale of locales) {
        clearSegmentCache();
        const warm = [];
        for (const context of SEQUENCE) warm.push(await renderEmail({ templateKey, locale, context }));
        for (const [i, context] of SEQUENCE.entries()) {
          clearSegmentCache();
          expect(warm[i], `${templateKey}/${locale} #${i}`).toEqual(await renderEmail({ templateKey, locale, context }));
        }
      }
    }
  });

  it("keep each recipient's name and links and each shop's name and colours in their own email", async () => {
    clearSegmentCache();
    const [anna, piotr, herbata] = await Promise.all(
      SEQUENCE.slice(0, 3).map((context) => renderEmail({ templateKey: "abandoned_checkout_3", locale: "en", context })),
    );
    expect(anna!.html).toContain("Hi Anna");
    expect(anna!.html).toContain("unsub-anna");
    expect(piotr!.html).toContain("Hi Piotr");
    expect(piotr!.html).toContain("unsub-piotr");
    expect(piotr!.html).not.toContain("anna");
    expect(piotr!.text).not.toContain("anna");
    expect(anna!.html).toContain("#6f4e37");
    expect(herbata!.html).toContain("#123456");
    expect(herbata!.html).not.toContain("#6f4e37");
    expect(herbata!.html).toContain("Herbata Sp.");
    expect(herbata!.html).not.toContain("Kawa &amp; Co.");
    expect(herbata!.html).toContain("Sencha 100 g");
    expect(herbata!.html).not.toContain("Ethiopia Yirgacheffe");
  });

  it("escape hostile data in every catalogue email's HTML, warm or cold", async () => {
    const hostile = SEQUENCE[3]!;
    for (const templateKey of EMAIL_TEMPLATE_KEYS) {
      for (const cold of [true, false]) {
        if (cold) clearSegmentCache();
        const email = await renderEmail({ templateKey, locale: "en", context: hostile });
        expect(email.html, templateKey).not.toContain("<script>");
        expect(email.html, templateKey).not.toContain("<Sons>");
      }
    }
  });

  it("render the shared parts once: a second recipient of the same shop renders only the per-recipient parts", async () => {
    clearSegmentCache();
    const renders = vi.spyOn(htmlLiquid, "renderSync");
    await renderEmail({ templateKey: "abandoned_checkout_3", locale: "en", context: SEQUENCE[0]! });
    const cold = renders.mock.calls.length;
    await renderEmail({ templateKey: "abandoned_checkout_3", locale: "en", context: SEQUENCE[1]! });
    const warm = renders.mock.calls.length - cold;
    expect(warm).toBeGreaterThan(0);
    expect(warm).toBeLessThan(cold);
  });

  describe("on templates of its own", () => {
    const SOURCE =
      "<h1>{{ shop.name }}</h1>{% if customer.firstName %}Hi {{ customer.firstName }}{% endif %}<ul>" +
      "{% for item in items %}<li>{{ item.title | upcase }}</li>{% endfor %}</ul>  {%- if discount -%}  {{ discount.code }} {%- endif %}" +
      '<a href="{{ links.unsubscribeUrl }}">x</a><footer>{{ shop.address | default: shop.name }}</footer>';
    const scopes = [
      {
        shop: { name: "A & B", address: "" },
        customer: { firstName: "<Ann>" },
        items: [{ title: "x<y" }],
        discount: { code: "C1" },
        links: { unsubscribeUrl: "https://u/1" },
      },
      {
        shop: { name: "A & B", address: "" },
        customer: { firstName: "Bob" },
        items: [{ title: "x<y" }],
        discount: { code: "C1" },
        links: { unsubscribeUrl: "https://u/2" },
      },
      { shop: { name: "Other", address: "Street 1" }, customer: {}, items: [], discount: null, links: {} },
      { shop: { name: "A & B", address: "" }, items: [{ title: "z" }], links: { unsubscribeUrl: "https://u/3" } },
    ];

    it("give what liquidjs's renderSync gives for the whole template, in both engines", () => {
      for (const engine of [htmlLiquid, textLiquid]) {
        clearSegmentCache();
        const templates = engine.parse(SOURCE);
        const render = segmentedRenderer(engine, templates);
        for (const scope of [...scopes, ...scopes]) expect(render(scope)).toBe(engine.renderSync(templates, scope));
      }
    });

    it("render a template that assigns variables whole, every time", () => {
      clearSegmentCache();
      const source = "{% assign greeting = customer.firstName | default: shop.name %}<h1>{{ shop.name }}</h1>{{ greeting }}";
      const templates = htmlLiquid.parse(source);
      const render = segmentedRenderer(htmlLiquid, templates);
      const renders = vi.spyOn(htmlLiquid, "renderSync");
      for (const scope of [...scopes, ...scopes]) expect(render(scope)).toBe(htmlLiquid.renderSync(templates, scope));
      // One call by the renderer and one by the check, per scope.
      expect(renders).toHaveBeenCalledTimes(scopes.length * 4);
    });
  });
});
