import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as standinRoute from "../../demo/routes/admin-api-graphql";
import { adminGraphql } from "~/server/shopify/admin-graphql.server";
import { onShopInstalled } from "~/server/shopify/install.server";
import { resetStandin, standinCalls, standinCustomer } from "../../demo/standins/admin-api.server";
import { DEMO_PRODUCTS } from "../../demo/seed/demo-shop";
import { useTestDatabase } from "../support/db";
import { serveRoutes } from "../support/http";

const getDb = useTestDatabase();
let server: Awaited<ReturnType<typeof serveRoutes>>;

beforeAll(async () => {
  resetStandin();
  server = await serveRoutes({ "/dev/shopify/:shop/admin/api/:version/graphql.json": standinRoute });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = `${server.url}/dev/shopify`;
});
afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await server.close();
});

describe("Admin GraphQL stand-in, called through the app's own client over HTTP", () => {
  it("installs a shop with the time zone, currency and address Shopify reports", async () => {
    const shop = await onShopInstalled("new-shop.myshopify.com", "shpat_test", "read_orders");
    expect(shop).toMatchObject({ domain: "new-shop.myshopify.com", timezone: "Europe/Warsaw", currency: "PLN", installState: "installed" });
    expect(shop.postalAddress).toMatchObject({ city: "Warszawa", countryCodeV2: "PL" });
    expect(standinCalls().find((c) => c.operation === "ShopInfo")).toMatchObject({ shop: "new-shop.myshopify.com", fields: ["shop"] });
    // Its Markets domains: a domain of its own (kawa-demo.de) counts, a subfolder of the primary domain has none.
    expect(standinCalls().at(-1)).toMatchObject({ shop: "new-shop.myshopify.com", operation: "ShopDomains" });
    expect(shop.storefrontHosts).toEqual(["kawa-demo.de"]);
    expect(shop.domainsRefreshedAt).not.toBeNull();
    const audit = await getDb().prisma.auditLog.findMany({ where: { shopId: shop.id } });
    expect(audit.map((a) => a.action)).toEqual(["app.authenticated"]);
  });

  it("pages through products with cursors like Shopify's connections", async () => {
    const gql = adminGraphql("demo-shop.myshopify.com", "shpat_test");
    const q = `query P($after: String) { products(first: 5, after: $after) { nodes { id title priceRangeV2 { minVariantPrice { amount currencyCode } } } pageInfo { hasNextPage endCursor } } }`;
    type Page = { products: { nodes: { id: string; title: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
    const titles: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page: Page = await gql<Page>(q, { after });
      titles.push(...page.products.nodes.map((n) => n.title));
      if (!page.products.pageInfo.hasNextPage) break;
      after = page.products.pageInfo.endCursor;
    }
    expect(titles).toEqual(DEMO_PRODUCTS.map((p) => p.title));
  });

  it("creates a discount once and answers TAKEN for the same code, in Shopify's userErrors shape", async () => {
    const gql = adminGraphql("demo-shop.myshopify.com", "shpat_test");
    const m = `mutation D($input: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $input) {
      codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { title codes(first: 1) { nodes { code } } } } }
      userErrors { field message code } } }`;
    const input = { title: "Welcome 10%", code: "WELCOME-ABC123", customerGets: { value: { percentage: 0.1 }, items: { all: true } } };
    type R = {
      discountCodeBasicCreate: {
        codeDiscountNode: { id: string; codeDiscount: { codes: { nodes: { code: string }[] } } } | null;
        userErrors: { code: string }[];
      };
    };
    const first = await gql<R>(m, { input });
    expect(first.discountCodeBasicCreate.codeDiscountNode?.id).toMatch(/^gid:\/\/shopify\/DiscountCodeNode\/\d+$/);
    expect(first.discountCodeBasicCreate.codeDiscountNode?.codeDiscount.codes.nodes[0]?.code).toBe("WELCOME-ABC123");
    const second = await gql<R>(m, { input });
    expect(second.discountCodeBasicCreate.codeDiscountNode).toBeNull();
    expect(second.discountCodeBasicCreate.userErrors[0]?.code).toBe("TAKEN");
  });

  it("writes an unsubscribe back to the customer's email marketing consent", async () => {
    const gql = adminGraphql("demo-shop.myshopify.com", "shpat_test");
    const id = "gid://shopify/Customer/7000000001";
    await gql(
      `mutation U($input: CustomerEmailMarketingConsentUpdateInput!) { customerEmailMarketingConsentUpdate(input: $input) { customer { id emailMarketingConsent { marketingState } } userErrors { field message } } }`,
      { input: { customerId: id, emailMarketingConsent: { marketingState: "UNSUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN" } } },
    );
    expect(standinCustomer(id)?.emailMarketingConsent.marketingState).toBe("UNSUBSCRIBED");
  });

  it("fails an unknown field as GraphQL validation would, and refuses a missing token with 401", async () => {
    await expect(adminGraphql("demo-shop.myshopify.com", "shpat_test")(`{ shop { notAField } }`)).rejects.toThrow(/notAField/);
    const res = await fetch(`${server.url}/dev/shopify/demo-shop.myshopify.com/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
  });
});
