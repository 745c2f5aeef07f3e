import crypto from "node:crypto";
import type { Shop } from "@prisma/client";
import { recordEngagement } from "~/server/channels/email/tracking-events.server";
import { subscribeFromForm } from "~/server/compliance/signup.server";
import { fromFetchRequest } from "~/server/http/plain-http.server";
import { pixelEndpoint } from "~/server/ingestion/pixel-endpoint.server";
import { createPixelPayloads, type PayloadLine } from "../../storefront/client/payloads";
import type { Storefront, StorefrontProduct } from "../../storefront/catalog.server";
import type { PlannedLine, PlannedShopper } from "./plan";

// The history's shoppers on the storefront, reaching the app through its own entry
// points in process: the Web Pixel's batches to the pixel endpoint (origin checked,
// stored in the inbox, expanded by the worker's task), the signup popup's function
// (subscribeFromForm; the proxy route around it only adds Shopify's signature and
// per-second rate limits, which a history played in seconds would trip), and their
// clicks in the messages they got, recorded as the click-tracking route records them.
// Shopify's side of them (webhooks) is shopify-side.server.ts.

const BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";

export class StorefrontSide {
  private readonly payloads;
  private pixelCount = 0;

  constructor(
    private readonly shop: Shop,
    private readonly storefront: Storefront,
  ) {
    this.payloads = createPixelPayloads({
      currency: storefront.shop.currency,
      countryCode: storefront.shop.countryCode,
      origin: `https://${shop.primaryDomain ?? shop.domain}`,
      lang: shop.locale,
    });
  }

  get pixelBatches(): number {
    return this.pixelCount;
  }

  /** A product of the plan (an index into the demo's catalogue, in Shopify id order). */
  product(index: number): StorefrontProduct {
    return this.storefront.products[index]!;
  }

  private lines(planned: PlannedLine[]): PayloadLine[] {
    return planned.map((l) => ({ product: this.product(l.product), quantity: l.quantity }));
  }

  async signup(s: PlannedShopper, at: Date): Promise<void> {
    const outcome = await subscribeFromForm(
      this.shop,
      {
        email: s.email,
        phone: s.phone ?? undefined,
        emailConsent: true,
        smsConsent: s.sms,
        source: "signup_popup",
        locale: s.locale,
        clientId: s.clientId,
      },
      at,
    );
    if (!outcome.ok) throw new Error(`history signup refused: ${outcome.error}`);
  }

  /** What the pixel sends for a visit: product views, a quick add to cart, or a checkout resumed from the cart. */
  async visit(s: PlannedShopper, kind: "browse" | "cart" | "checkout", planned: PlannedLine[], token: string, at: Date): Promise<void> {
    const lines = this.lines(planned);
    const events: { name: string; data: unknown }[] = [];
    if (kind === "browse")
      for (const l of lines) events.push({ name: "product_viewed", data: { productVariant: this.payloads.variant(l.product) } });
    // Added from a collection page (a theme's quick add): no product page view, so the
    // visit is one flow's situation, not a browse one that the add then ends.
    if (kind === "cart") {
      events.push({
        name: "collection_viewed",
        data: {
          collection: this.payloads.collection(
            "480000000001",
            "All",
            lines.map((l) => l.product),
          ),
        },
      });
      for (const l of lines)
        events.push({ name: "product_added_to_cart", data: { cartLine: this.payloads.cartLine(l.product, l.quantity) } });
    }
    if (kind === "checkout") {
      const checkout = (withContact: boolean) =>
        this.payloads.checkout({
          token,
          lines,
          email: withContact ? s.email : null,
          phone: withContact ? s.phone : null,
          acceptsEmailMarketing: withContact,
          acceptsSmsMarketing: withContact && s.sms,
          address: null,
          orderId: null,
        });
      events.push({ name: "checkout_started", data: { checkout: checkout(false) } });
      events.push({ name: "checkout_contact_info_submitted", data: { checkout: checkout(true) } });
    }
    await this.pixel(s, events, at);
  }

  private async pixel(s: PlannedShopper, events: { name: string; data: unknown }[], at: Date): Promise<void> {
    const origin = `https://${this.shop.primaryDomain ?? this.shop.domain}`;
    const body = JSON.stringify({
      shop: this.shop.domain,
      v: 1,
      events: events.map((e, i) => ({
        id: `sh-${crypto.randomUUID()}`,
        name: e.name,
        // A few seconds apart, as a shopper clicks through.
        timestamp: new Date(at.getTime() - (events.length - i) * 20_000).toISOString(),
        clientId: s.clientId,
        seq: i,
        context: { url: `${origin}/`, referrer: "", title: this.storefront.shop.brand, language: s.locale },
        data: e.data,
      })),
    });
    for (let attempt = 0; ; attempt++) {
      const res = await pixelEndpoint(
        fromFetchRequest(
          new Request("http://localhost/api/pixel/events", { method: "POST", headers: { origin, "content-type": "text/plain" }, body }),
        ),
      );
      if (res.status === 202) break;
      // The endpoint's per-second limits count real seconds; a history replays days in one.
      if (res.status === 429 && attempt < 20) {
        await new Promise((r) => setTimeout(r, 1000 * Number(res.headers["retry-after"] ?? 1)));
        continue;
      }
      throw new Error(`the pixel endpoint answered ${res.status}`);
    }
    this.pixelCount++;
  }

  /** The shopper's click on a link of a message they received (a person, seconds or hours after it arrived). */
  async click(
    s: PlannedShopper,
    message: { id: string; customerId: string; channel: string },
    productIndex: number,
    at: Date,
  ): Promise<void> {
    const url = `https://${this.shop.primaryDomain ?? this.shop.domain}/products/${this.product(productIndex).handle}`;
    await recordEngagement(
      "clicked",
      {
        shopId: this.shop.id,
        customerId: message.customerId,
        messageId: message.id,
        url,
        channel: message.channel === "sms" ? "sms" : "email",
      },
      { userAgent: BROWSER, method: "GET", at },
    );
  }
}
