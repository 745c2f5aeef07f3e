import { buildSchema, graphql, Kind, parse, type OperationDefinitionNode } from "graphql";
import { ADMIN_API_SDL } from "./admin-api-schema";
import { DEMO_PRODUCTS, DEMO_SHOP, demoCustomers } from "../seed/demo-shop";

// A local stand-in for the few Admin GraphQL operations the app calls. It executes
// real GraphQL against the slice of Shopify's schema in admin-api-schema.ts, so a
// malformed query fails here exactly as it would at Shopify.

type EmailState = "NOT_SUBSCRIBED" | "PENDING" | "SUBSCRIBED" | "UNSUBSCRIBED" | "REDACTED" | "INVALID";
export interface StandinCustomer {
  id: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  tags: string[];
  emailMarketingConsent: { marketingState: EmailState; marketingOptInLevel: string | null; consentUpdatedAt: string | null };
  smsMarketingConsent: { marketingState: string; marketingOptInLevel: string; consentUpdatedAt: string | null } | null;
}
interface StandinDiscount {
  id: string;
  code: string;
  title: string;
  startsAt: string;
  endsAt: string | null;
}
export interface StandinCall {
  shop: string;
  operation: string;
  fields: string[];
  variables: Record<string, unknown>;
}
interface StandinState {
  customers: Map<string, StandinCustomer>;
  discounts: Map<string, StandinDiscount>;
  calls: StandinCall[];
  nextId: number;
  /** Customers created at checkout get ids above 2^53, as real shops' can be: they must keep every digit. */
  nextCustomerId: bigint;
}

const g = globalThis as unknown as { __flowmateStandin?: StandinState };

function state(): StandinState {
  if (!g.__flowmateStandin) {
    const customers = new Map<string, StandinCustomer>();
    for (const c of demoCustomers()) {
      const id = `gid://shopify/Customer/${c.id}`;
      customers.set(id, {
        id,
        email: c.email,
        phone: c.phone,
        firstName: c.firstName,
        lastName: c.lastName,
        locale: c.locale,
        createdAt: null,
        updatedAt: null,
        tags: [],
        emailMarketingConsent: {
          marketingState: c.emailConsent.toUpperCase() as EmailState,
          marketingOptInLevel: c.emailConsent === "not_subscribed" ? null : "SINGLE_OPT_IN",
          consentUpdatedAt: null,
        },
        smsMarketingConsent: c.phone
          ? { marketingState: c.smsConsent.toUpperCase(), marketingOptInLevel: "SINGLE_OPT_IN", consentUpdatedAt: null }
          : null,
      });
    }
    g.__flowmateStandin = { customers, discounts: new Map(), calls: [], nextId: 1_300_000_000, nextCustomerId: 9_007_199_254_740_993n };
  }
  return g.__flowmateStandin;
}

/** What the app asked Shopify for: tests assert on it. */
export function standinCalls(): readonly StandinCall[] {
  return state().calls;
}

export function resetStandin(): void {
  g.__flowmateStandin = undefined;
}

export function standinCustomer(gid: string): StandinCustomer | undefined {
  return state().customers.get(gid);
}

export function findStandinCustomerByEmail(email: string): StandinCustomer | undefined {
  const wanted = email.trim().toLowerCase();
  for (const c of state().customers.values()) if (c.email?.toLowerCase() === wanted) return structuredClone(c);
  return undefined;
}

/**
 * The customer a checkout's contact step leaves at Shopify: found by email or created,
 * a ticked box subscribing the channel (an unticked one changes nothing).
 */
export function upsertStandinCustomer(input: {
  email: string;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  locale: string;
  subscribeEmail: boolean;
  subscribeSms: boolean;
  at: string;
}): StandinCustomer {
  const s = state();
  const wanted = input.email.trim().toLowerCase();
  let c = [...s.customers.values()].find((x) => x.email?.toLowerCase() === wanted);
  if (!c) {
    const id = `gid://shopify/Customer/${s.nextCustomerId++}`;
    c = {
      id,
      email: wanted,
      phone: null,
      firstName: input.firstName,
      lastName: input.lastName,
      locale: input.locale,
      createdAt: input.at,
      updatedAt: input.at,
      tags: [],
      emailMarketingConsent: { marketingState: "NOT_SUBSCRIBED", marketingOptInLevel: null, consentUpdatedAt: null },
      smsMarketingConsent: null,
    };
    s.customers.set(id, c);
  }
  const changed = (apply: () => void) => {
    apply();
    c.updatedAt = input.at;
  };
  if (input.phone && !c.phone) changed(() => (c.phone = input.phone));
  if (c.phone && !c.smsMarketingConsent)
    changed(
      () => (c.smsMarketingConsent = { marketingState: "NOT_SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN", consentUpdatedAt: null }),
    );
  if (input.subscribeEmail && c.emailMarketingConsent.marketingState !== "SUBSCRIBED")
    changed(
      () => (c.emailMarketingConsent = { marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN", consentUpdatedAt: input.at }),
    );
  if (input.subscribeSms && c.smsMarketingConsent && c.smsMarketingConsent.marketingState !== "SUBSCRIBED")
    changed(
      () => (c.smsMarketingConsent = { marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN", consentUpdatedAt: input.at }),
    );
  return structuredClone(c);
}

const schema = buildSchema(ADMIN_API_SDL);

function productNodes() {
  return DEMO_PRODUCTS.map((p) => ({
    id: `gid://shopify/Product/${p.id}`,
    legacyResourceId: String(p.id),
    title: p.title,
    handle: p.handle,
    status: "ACTIVE",
    vendor: DEMO_SHOP.name,
    productType: p.productType,
    tags: [p.productType],
    updatedAt: "2026-11-01T10:00:00Z",
    featuredImage: { url: `https://cdn.shopify.com/s/files/demo/${p.handle}.svg`, altText: p.title },
    priceRangeV2: {
      minVariantPrice: { amount: p.price, currencyCode: DEMO_SHOP.currencyCode },
      maxVariantPrice: { amount: p.price, currencyCode: DEMO_SHOP.currencyCode },
    },
    variants: () => ({
      nodes: [
        {
          id: `gid://shopify/ProductVariant/${p.variantId}`,
          legacyResourceId: String(p.variantId),
          title: "Default Title",
          price: p.price,
          sku: p.handle.toUpperCase(),
        },
      ],
    }),
  }));
}

function rootValue(shop: string) {
  const s = state();
  const userError = (field: string[], message: string) => ({ field, message });
  return {
    shop: () => ({
      id: "gid://shopify/Shop/1",
      name: shop === DEMO_SHOP.domain ? DEMO_SHOP.name : shop.replace(".myshopify.com", ""),
      email: DEMO_SHOP.email,
      myshopifyDomain: shop,
      currencyCode: DEMO_SHOP.currencyCode,
      ianaTimezone: DEMO_SHOP.ianaTimezone,
      primaryDomain: { host: DEMO_SHOP.primaryDomain, url: `https://${DEMO_SHOP.primaryDomain}` },
      billingAddress: DEMO_SHOP.billingAddress,
    }),
    // The demo shop sells in Germany on a domain of its own (a Markets web presence) and
    // in the Czech Republic on a subfolder of its primary domain (no domain of its own).
    webPresences: ({ first = 50 }: { first?: number }) => {
      const nodes = DEMO_SHOP.webPresences.slice(0, Math.min(first, 250)).map((p, i) => ({
        id: `gid://shopify/MarketWebPresence/${i + 1}`,
        domain: p.host ? { host: p.host, url: `https://${p.host}` } : null,
        subfolderSuffix: p.subfolderSuffix ?? null,
      }));
      return { nodes, pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } };
    },
    products: ({ first = 50, after }: { first?: number; after?: string }) => {
      const all = productNodes();
      const start = after ? Number(Buffer.from(after, "base64").toString("utf8").split(":")[1]) + 1 : 0;
      const page = all.slice(start, start + Math.min(first, 250));
      const cursor = (i: number) => Buffer.from(`cursor:${start + i}`).toString("base64");
      return {
        nodes: page,
        edges: page.map((node, i) => ({ cursor: cursor(i), node })),
        pageInfo: {
          hasNextPage: start + page.length < all.length,
          hasPreviousPage: start > 0,
          startCursor: page.length ? cursor(0) : null,
          endCursor: page.length ? cursor(page.length - 1) : null,
        },
      };
    },
    customer: ({ id }: { id: string }) => s.customers.get(id) ?? null,
    customerEmailMarketingConsentUpdate: ({
      input,
    }: {
      input: { customerId: string; emailMarketingConsent: StandinCustomer["emailMarketingConsent"] };
    }) => {
      const c = s.customers.get(input.customerId);
      if (!c) return { customer: null, userErrors: [userError(["input", "customerId"], "Customer not found")] };
      c.emailMarketingConsent = {
        marketingState: input.emailMarketingConsent.marketingState,
        marketingOptInLevel: input.emailMarketingConsent.marketingOptInLevel ?? c.emailMarketingConsent.marketingOptInLevel,
        consentUpdatedAt: input.emailMarketingConsent.consentUpdatedAt ?? new Date().toISOString(),
      };
      return { customer: c, userErrors: [] };
    },
    customerSmsMarketingConsentUpdate: ({
      input,
    }: {
      input: {
        customerId: string;
        smsMarketingConsent: { marketingState: string; marketingOptInLevel?: string; consentUpdatedAt?: string };
      };
    }) => {
      const c = s.customers.get(input.customerId);
      if (!c) return { customer: null, userErrors: [userError(["input", "customerId"], "Customer not found")] };
      if (!c.smsMarketingConsent) {
        return { customer: null, userErrors: [userError(["input", "smsMarketingConsent"], "Phone number is required")] };
      }
      c.smsMarketingConsent = {
        marketingState: input.smsMarketingConsent.marketingState,
        marketingOptInLevel: input.smsMarketingConsent.marketingOptInLevel ?? c.smsMarketingConsent.marketingOptInLevel,
        consentUpdatedAt: input.smsMarketingConsent.consentUpdatedAt ?? new Date().toISOString(),
      };
      return { customer: c, userErrors: [] };
    },
    discountCodeBasicCreate: ({
      basicCodeDiscount: input,
    }: {
      basicCodeDiscount: { title?: string; code?: string; startsAt?: string; endsAt?: string };
    }) => {
      const code = input.code?.trim();
      if (!code)
        return {
          codeDiscountNode: null,
          userErrors: [{ field: ["basicCodeDiscount", "code"], message: "Code can't be blank", code: "BLANK" }],
        };
      if (s.discounts.has(code.toUpperCase())) {
        return {
          codeDiscountNode: null,
          userErrors: [
            { field: ["basicCodeDiscount", "code"], message: "Code must be unique. Please try a different code.", code: "TAKEN" },
          ],
        };
      }
      const d: StandinDiscount = {
        id: `gid://shopify/DiscountCodeNode/${s.nextId++}`,
        code,
        title: input.title ?? code,
        startsAt: input.startsAt ?? new Date().toISOString(),
        endsAt: input.endsAt ?? null,
      };
      s.discounts.set(code.toUpperCase(), d);
      return {
        codeDiscountNode: {
          id: d.id,
          codeDiscount: {
            __typename: "DiscountCodeBasic",
            title: d.title,
            startsAt: d.startsAt,
            endsAt: d.endsAt,
            codes: { nodes: [{ code: d.code }] },
          },
        },
        userErrors: [],
      };
    },
  };
}

export interface StandinResponse {
  status: number;
  body: unknown;
}

/** Handles POST /admin/api/<version>/graphql.json for `shop` as Shopify would. */
export async function executeAdminGraphql(shop: string, accessToken: string | null, body: unknown): Promise<StandinResponse> {
  if (!accessToken) {
    return { status: 401, body: { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" } };
  }
  const req = body as { query?: unknown; variables?: unknown; operationName?: unknown } | null;
  if (!req || typeof req.query !== "string") {
    return { status: 400, body: { errors: { query: "Required parameter missing or invalid" } } };
  }
  const variables = (req.variables && typeof req.variables === "object" ? req.variables : {}) as Record<string, unknown>;
  try {
    const op = parse(req.query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    state().calls.push({
      shop,
      operation: op?.name?.value ?? op?.operation ?? "anonymous",
      fields: op?.selectionSet.selections.map((s) => ("name" in s ? s.name.value : "?")) ?? [],
      variables,
    });
  } catch {
    // Parse errors are reported by graphql() below, in Shopify's error shape.
  }
  const result = await graphql({
    schema,
    source: req.query,
    rootValue: rootValue(shop),
    variableValues: variables,
    operationName: typeof req.operationName === "string" ? req.operationName : undefined,
  });
  return {
    status: 200,
    body: {
      ...(result.errors ? { errors: result.errors.map((e) => ({ message: e.message, locations: e.locations, path: e.path })) } : {}),
      ...(result.data !== undefined ? { data: result.data } : {}),
      extensions: {
        cost: {
          requestedQueryCost: 10,
          actualQueryCost: 10,
          throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 },
        },
      },
    },
  };
}
