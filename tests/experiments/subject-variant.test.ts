// A send step's own subject line (an A/B variant of the subject) replaces the
// template's, rendered with Liquid over the same view; the body is the template's.
import { describe, expect, it } from "vitest";
import type { EmailRenderContext } from "~/domain/messages/email-context";
import { renderEmail } from "~/server/channels/email/render-email.server";
import { POSTAL_ADDRESS } from "../messages/email/support/fixtures";

const context: EmailRenderContext = {
  shop: { name: "Kawa & Co.", url: "https://kawa.example.com", currency: "PLN", postalAddress: POSTAL_ADDRESS },
  customer: { firstName: "Anna", lastName: "Nowak", email: "anna@example.com" },
  links: { unsubscribeUrl: "https://app.example.com/u/unsub-token", preferencesUrl: "https://app.example.com/preferences/p" },
};

describe("a subject line set by the flow", () => {
  it("is rendered instead of the template's, one line, not HTML-escaped; the body stays the template's", async () => {
    const own = await renderEmail({ templateKey: "welcome_1", locale: "en", context });
    const variant = await renderEmail({
      templateKey: "welcome_1",
      locale: "en",
      context,
      subject: "{{ customer.firstName }},\n  a gift from {{ shop.name }}",
    });
    expect(own.subject).toBe("Welcome to Kawa & Co., Anna!");
    expect(variant.subject).toBe("Anna, a gift from Kawa & Co.");
    expect(variant.html).toBe(own.html);
    const nameless = await renderEmail({
      templateKey: "welcome_1",
      locale: "pl",
      context: { ...context, customer: { email: "x@example.com" } },
      subject: "{% if customer.firstName %}{{ customer.firstName }}, {% endif %}prezent czeka",
    });
    expect(nameless.subject).toBe("prezent czeka");
  });
});
