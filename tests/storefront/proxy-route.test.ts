import { outsideDemo } from "../support/demo-mode";
import { afterEach, describe, expect, it, vi } from "vitest";
import { action, loader } from "../../demo/routes/app-proxy";
import { readEnv } from "~/server/config.server";
import { shopifyApiClient } from "~/server/shopify/api.server";
import { callRoute } from "../support/http";

interface Forwarded {
  url: URL;
  init: RequestInit;
}

function stubApp(response: () => Response) {
  const calls: Forwarded[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ url: new URL(url), init });
      return response();
    }),
  );
  return calls;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

const appOrigin = () => `http://127.0.0.1:${readEnv().PORT}`;

describe("/apps/flowmate/* (app proxy emulation)", () => {
  it("forwards a GET to /proxy/<path> with Shopify's signed query and returns the app's answer", async () => {
    const calls = stubApp(() => Response.json({ products: [] }, { status: 200, headers: { "set-cookie": "x=1" } }));
    const res = await callRoute(
      loader,
      new Request("http://localhost:3000/apps/flowmate/recommendations?product_id=8000000001&limit=4", {
        headers: { cookie: "_shopify_y=abc; _secure_session_id=secret", accept: "application/json" },
      }),
      { "*": "recommendations" },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await res.json()).toEqual({ products: [] });

    expect(calls).toHaveLength(1);
    const { url, init } = calls[0]!;
    expect(url.origin).toBe(appOrigin());
    expect(url.pathname).toBe("/proxy/recommendations");
    expect(url.searchParams.get("product_id")).toBe("8000000001");
    expect(url.searchParams.get("limit")).toBe("4");
    expect(url.searchParams.get("shop")).toBe("demo-shop.myshopify.com");
    expect(url.searchParams.get("logged_in_customer_id")).toBe("");
    expect(url.searchParams.get("path_prefix")).toBe("/apps/flowmate");
    expect(init.method).toBe("GET");
    expect(init.body).toBeUndefined();
    // Shopify strips the shopper's cookies.
    expect(new Headers(init.headers).get("cookie")).toBeNull();
    expect(new Headers(init.headers).get("accept")).toBe("application/json");
    await expect(shopifyApiClient().utils.validateHmac(url.searchParams, { signator: "appProxy" })).resolves.toBe(true);
  });

  it("forwards a POST with its body and content type, and passes errors through", async () => {
    const calls = stubApp(() => Response.json({ error: "Enter a valid email", field: "email" }, { status: 422 }));
    const body = JSON.stringify({ email: "anna@example.com", emailConsent: true, source: "signup_popup", locale: "pl" });
    const res = await callRoute(
      action,
      new Request("http://localhost:3000/apps/flowmate/subscribe", {
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
      }),
      { "*": "subscribe" },
    );
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: "Enter a valid email", field: "email" });
    const { url, init } = calls[0]!;
    expect(url.pathname).toBe("/proxy/subscribe");
    expect(init.method).toBe("POST");
    expect(new Headers(init.headers).get("content-type")).toBe("application/json");
    expect(Buffer.from(init.body as ArrayBuffer).toString()).toBe(body);
    await expect(shopifyApiClient().utils.validateHmac(url.searchParams, { signator: "appProxy" })).resolves.toBe(true);
  });

  it("passes a 404 from the app through (e.g. a /proxy route that does not exist yet)", async () => {
    stubApp(() => new Response("Not Found", { status: 404, headers: { "content-type": "text/plain" } }));
    const res = await callRoute(loader, new Request("http://localhost:3000/apps/flowmate/nope"), { "*": "nope" });
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("Not Found");
  });

  it("keeps nested paths and never lets ../ climb out of /proxy", async () => {
    const calls = stubApp(() => new Response(null, { status: 204 }));
    await callRoute(loader, new Request("http://localhost:3000/apps/flowmate/a/b"), { "*": "a/b" });
    await callRoute(loader, new Request("http://localhost:3000/apps/flowmate/x"), { "*": "../../dev/clock" });
    expect(calls.map((c) => c.url.pathname)).toEqual(["/proxy/a/b", "/proxy/dev/clock"]);
  });

  it("answers 502 when the app is not reachable", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => Promise.reject(new TypeError("fetch failed"))),
    );
    const res = await callRoute(loader, new Request("http://localhost:3000/apps/flowmate/recommendations"), { "*": "recommendations" });
    expect(res.status).toBe(502);
  });

  it("does not exist outside the demo", async () => {
    const calls = stubApp(() => new Response("should not be called"));
    const res = await outsideDemo(() =>
      callRoute(loader, new Request("http://localhost:3000/apps/flowmate/recommendations"), { "*": "recommendations" }),
    );
    expect(res.status).toBe(404);
    expect(calls).toHaveLength(0);
  });
});
