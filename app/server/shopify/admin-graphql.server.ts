import { createAdminApiClient } from "@shopify/admin-api-client";
import { readEnv } from "../config.server";

import { API_VERSION } from "./api.server";

/**
 * An Admin GraphQL client for one shop. SHOPIFY_ADMIN_API_ORIGIN (demo and tests)
 * sends the very same requests to the local stand-in instead of https://<shop>.
 */
export function adminGraphql(shop: string, accessToken: string) {
  const origin = readEnv().SHOPIFY_ADMIN_API_ORIGIN;
  const client = createAdminApiClient({
    storeDomain: shop,
    apiVersion: API_VERSION,
    accessToken,
    customFetchApi: origin
      ? (url, init) => {
          const u = new URL(String(url));
          return fetch(`${origin.replace(/\/$/, "")}/${u.host}${u.pathname}${u.search}`, init);
        }
      : undefined,
  });
  return async function request<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const res = await client.request<T>(query, { variables });
    if (res.errors) {
      throw new Error(`Admin GraphQL error: ${JSON.stringify(res.errors.graphQLErrors ?? res.errors.message)}`);
    }
    return res.data as T;
  };
}

export const SHOP_INFO_QUERY = `#graphql
query ShopInfo {
  shop {
    name
    email
    currencyCode
    ianaTimezone
    primaryDomain { host }
    billingAddress { address1 address2 city zip countryCodeV2 company }
  }
}`;

export interface ShopInfo {
  shop: {
    name: string;
    email: string;
    currencyCode: string;
    ianaTimezone: string;
    primaryDomain: { host: string } | null;
    billingAddress: {
      address1: string | null;
      address2: string | null;
      city: string | null;
      zip: string | null;
      countryCodeV2: string | null;
      company: string | null;
    } | null;
  };
}
