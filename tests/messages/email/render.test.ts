import { describe, expect, it } from "vitest";
import { EMAIL_TEMPLATE_KEYS, UnknownTemplateError } from "~/domain/messages/catalogue";
import { EmailComplianceError } from "~/domain/messages/compliance";
import type { EmailRenderContext } from "~/domain/messages/email-context";
import { clearEmailTemplateCache, compiledEmail } from "~/server/channels/email/compile-template.server";
import { renderEmail } from "~/server/channels/email/render-email.server";
import { POSTAL_ADDRESS, SAMPLE_ITEMS, SAMPLE_RECOMMENDATIONS } from "./support/fixtures";

const context = (overrides: Partial<EmailRenderContext> = {}): EmailRenderContext => ({
  shop: {
    name: "Kawa & Co.",
    url: "https://kawa.example.com",
    currency: "PLN",
    postalAddress: POSTAL_ADDRESS,
    branding: { primaryColor: "#6f4e37", accentColor: "#ffb300" },
  },
  customer: { firstName: "Anna", lastName: "Nowak", email: "anna@example.com" },
  links: {
    unsubscribeUrl: "https://app.example.com/u/unsub-token",
    preferencesUrl: "https://app.example.com/preferences/pref-token",
    recoveryUrl: "https://kawa.example.com/checkouts/c1/recover?key=abc",
    confirmUrl: "https://app.example.com/confirm/confirm-token",
  },
  items: SAMPLE_ITEMS,
  discount: { code: "WRACAJ10", kind: "percentage", value: 10, expiresAt: "2026-12-31T00:00:00Z" },
  recommendations: SAMPLE_RECOMMENDATIONS,
  ...overrides,
});

describe("renderEmail", () => {
  it.each(EMAIL_TEMPLATE_KEYS.flatMap((key) => [[key, "en"] as const, [key, "pl"] as const]))(
    "renders %s in %s with the postal address in both parts",
    async (key, locale) => {
      const email = await renderEmail({ templateKey: key, locale, context: context() });
      expect(email.subject.length).toBeGreaterThan(5);
      expect(email.subject).not.toMatch(/[{}<>]|\[\[/);
      expect(email.html).toContain("ul. Prosta 12, 00-850 Warszawa");
      expect(email.text).toContain("ul. Prosta 12, 00-850 Warszawa");
      expect(email.html).toContain(`lang="${locale}"`);
      // No Liquid, placeholder or sentinel colour survives rendering.
      expect(email.html).not.toMatch(/\{\{|\{%|\[\[|#010203|#040506/);
      expect(email.text).not.toMatch(/\{\{|\{%|\[\[/);
      if (email.purpose === "marketing") expect(email.html).toContain("https://app.example.com/u/unsub-token");
    },
  );

  it("personalises: name, lines with images and prices, the checkout link, the discount, recommendations and brand colours", async () => {
    const email = await renderEmail({ templateKey: "abandoned_checkout_3", locale: "en", context: context() });
    expect(email.subject).toBe("A gift to help you finish your order");
    expect(email.html).toContain("Hi Anna");
    expect(email.html).toContain('src="https://cdn.example.com/yirgacheffe.png"');
    expect(email.html).toContain("PLN\u00a098.00");
    expect(email.html).toContain("Whole bean");
    expect(email.html).toContain('href="https://kawa.example.com/checkouts/c1/recover?key=abc"');
    expect(email.html).toContain("WRACAJ10");
    expect(email.html).toContain("10% off your order with code");
    expect(email.html).toContain("#6f4e37");
    expect(email.text).toContain("Complete my order: https://kawa.example.com/checkouts/c1/recover?key=abc");
    expect(email.text).toContain("WRACAJ10");
  });

  it("uses Polish strings and formats for a Polish customer", async () => {
    const email = await renderEmail({ templateKey: "abandoned_checkout_3", locale: "pl-PL", context: context() });
    expect(email.locale).toBe("pl");
    expect(email.subject).toBe("Prezent na dokończenie zamówienia");
    expect(email.html).toContain("Cześć Anna");
    expect(email.html).toContain("98,00\u00a0zł");
    expect(email.html).toContain("Polska");
    expect(email.text).toContain("Dokończ zamówienie: https://kawa.example.com/checkouts/c1/recover?key=abc");
    expect(email.text).toContain("Wypisz się: https://app.example.com/u/unsub-token");
  });

  it("falls back to English for an unsupported or missing locale", async () => {
    expect((await renderEmail({ templateKey: "welcome_1", locale: "de", context: context() })).subject).toBe(
      "Welcome to Kawa & Co., Anna!",
    );
    expect((await renderEmail({ templateKey: "welcome_1", locale: null, context: context() })).locale).toBe("en");
  });

  it("escapes a hostile customer name in the HTML and keeps the subject plain", async () => {
    const evil = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const email = await renderEmail({ templateKey: "welcome_1", locale: "en", context: context({ customer: { firstName: evil } }) });
    expect(email.html).not.toContain("<script>");
    expect(email.html).not.toContain("<img src=x");
    expect(email.html).toContain("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;");
    expect(email.subject).toBe(`Welcome to Kawa & Co., ${evil}!`);
  });

  it("drops links that are not http(s) and colours that are not colours", async () => {
    const email = await renderEmail({
      templateKey: "cross_sell",
      locale: "en",
      context: context({
        shop: {
          name: "Kawa",
          url: "https://kawa.example.com",
          postalAddress: POSTAL_ADDRESS,
          branding: { primaryColor: "red;background:url(x)" },
        },
        recommendations: [{ title: "Bad", url: "javascript:alert(1)", imageUrl: "data:image/png;base64,AAAA" }],
      }),
    });
    expect(email.html).not.toContain("javascript:");
    expect(email.html).not.toContain("data:image");
    expect(email.html).not.toContain("url(x)");
    expect(email.html).toContain("#1f2937");
  });

  it("renders with missing optional data: no name, no items, no discount, no recommendations", async () => {
    const email = await renderEmail({
      templateKey: "abandoned_checkout_3",
      locale: "en",
      context: { shop: { name: "Kawa", postalAddress: POSTAL_ADDRESS }, links: { unsubscribeUrl: "https://app.example.com/u/t" } },
    });
    expect(email.subject).toBe("Last chance to complete your order");
    expect(email.html).toContain("Hi, your checkout is still saved.");
    expect(email.html).not.toContain("undefined");
    expect(email.text).not.toContain("undefined");
  });

  it("refuses to render a marketing email without the shop's postal address", async () => {
    const noAddress = context({ shop: { name: "Kawa", url: "https://kawa.example.com", postalAddress: null } });
    const error = await renderEmail({ templateKey: "welcome_1", locale: "en", context: noAddress }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailComplianceError);
    expect((error as Error).message).toMatch(/postal address/);
    // An address without a street is no address either.
    const partial = context({ shop: { name: "Kawa", postalAddress: { city: "Warszawa", countryCodeV2: "PL" } } });
    await expect(renderEmail({ templateKey: "welcome_1", locale: "en", context: partial })).rejects.toThrow(EmailComplianceError);
    // The transactional opt-in confirmation is not marketing.
    await expect(renderEmail({ templateKey: "double_optin_confirm", locale: "en", context: noAddress })).resolves.toMatchObject({
      purpose: "transactional",
    });
  });

  it("refuses a marketing email without an unsubscribe link, and an unknown template", async () => {
    await expect(renderEmail({ templateKey: "welcome_1", locale: "en", context: context({ links: {} }) })).rejects.toThrow(/unsubscribe/);
    await expect(renderEmail({ templateKey: "no_such_email", locale: "en", context: context() })).rejects.toThrow(UnknownTemplateError);
  });

  it("links no web font: MJML would add Google Fonts for the Roboto in the font stack", async () => {
    const content = { subject: "Hi", preheader: "", blocks: [{ type: "footer" as const }] };
    const emails = [
      ...(await Promise.all(EMAIL_TEMPLATE_KEYS.map((key) => renderEmail({ templateKey: key, locale: "pl", context: context() })))),
      await renderEmail({ templateKey: "welcome_1", locale: "en", context: context(), content }), // the message editor's own content
    ];
    for (const email of emails) {
      expect(email.html, email.templateKey).toContain("Roboto"); // still in the stack, as a font the reader may have
      expect(email.html, email.templateKey).not.toMatch(/fonts\.googleapis\.com|@import url|<link[^>]+stylesheet/);
    }
  });

  // How fast a cached render is: bench/email.bench.ts (a timed test fails on a busy machine).
  it("compiles a template once per locale: later messages render from the cached compile", async () => {
    clearEmailTemplateCache();
    const compiled = compiledEmail("abandoned_cart_1", "en");
    const first = await renderEmail({ templateKey: "abandoned_cart_1", locale: "en", context: context() });
    expect(compiledEmail("abandoned_cart_1", "en")).toBe(compiled);
    const again = await renderEmail({ templateKey: "abandoned_cart_1", locale: "en", context: context() });
    expect(again.html).toBe(first.html);
    expect(compiledEmail("abandoned_cart_1", "pl")).not.toBe(compiled);
    clearEmailTemplateCache();
    expect(compiledEmail("abandoned_cart_1", "en")).not.toBe(compiled);
  });
});
