import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as advance from "../../demo/routes/clock-advance";
import * as clock from "../../demo/routes/clock";
import { DEMO_ROUTES } from "../../demo/routes/manifest";
import { resetClock } from "~/server/clock.server";
import { disableDemoMode, enableDemoMode } from "~/server/config.server";
import { callRoute, type RouteModule } from "../support/http";

// Demo-only routes live in demo/routes and are registered from its manifest: /dev/*
// (clock, mail and SMS outboxes, storefront, Admin API and Twilio stand-ins) and
// /apps/flowmate/* (the app proxy emulation).
const ROUTES_DIR = path.resolve("demo/routes");
const demoRouteFiles = DEMO_ROUTES.map((r) => r.file);

afterEach(() => {
  enableDemoMode();
  vi.unstubAllEnvs();
  resetClock();
});

describe("demo-only routes", () => {
  it("exist (the list is not empty), and every module in demo/routes is registered", () => {
    expect(demoRouteFiles).toEqual(
      expect.arrayContaining(["clock-advance.ts", "mail.tsx", "sms.tsx", "twilio-messages.ts", "app-proxy.ts"]),
    );
    const modules = fs.readdirSync(ROUTES_DIR).filter((f) => /\.tsx?$/.test(f) && f !== "manifest.ts");
    expect([...demoRouteFiles].sort()).toEqual(modules.sort());
  });

  it("none is left in app/routes (the product's routes)", () => {
    const leftovers = fs.readdirSync(path.resolve("app/routes")).filter((f) => /^(dev|apps)\./.test(f));
    expect(leftovers).toEqual([]);
  });

  it.each(demoRouteFiles)("%s answers 404 in a process not started as the demo, whatever NODE_ENV says", async (file) => {
    const mod = (await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))) as RouteModule;
    // Development, as a deployment that forgot NODE_ENV runs: still no demo.
    vi.stubEnv("NODE_ENV", "development");
    disableDemoMode();
    for (const [method, handler] of [
      ["GET", mod.loader],
      ["POST", mod.action],
    ] as const) {
      if (!handler) continue;
      const res = await callRoute(
        handler,
        new Request("http://localhost/dev/x", {
          method,
          body: method === "POST" ? JSON.stringify({ ms: 1000 }) : undefined,
          headers: { "content-type": "application/json" },
        }),
        { shop: "demo-shop.myshopify.com", version: "2026-10", "*": "subscribe" },
      );
      expect(res.status, `${method} ${file}`).toBe(404);
    }
  });
});

describe("dev clock", () => {
  const post = (body: string) =>
    callRoute(
      advance.action,
      new Request("http://localhost/dev/clock/advance", { method: "POST", body, headers: { "content-type": "application/json" } }),
    );

  it("advances by the requested milliseconds", async () => {
    const before = Date.parse(
      ((await (await callRoute(clock.loader, new Request("http://localhost/dev/clock"))).json()) as { now: string }).now,
    );
    const res = await post(JSON.stringify({ ms: 3_600_000 }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { now: string; offsetMs: number };
    expect(body.offsetMs).toBe(3_600_000);
    expect(Date.parse(body.now) - before).toBeGreaterThanOrEqual(3_600_000);
    expect(Date.parse(body.now) - before).toBeLessThan(3_600_000 + 5_000);
  });

  it.each([
    ["not JSON", "ms=5", 400],
    ["negative", JSON.stringify({ ms: -1 }), 400],
    ["a string", JSON.stringify({ ms: "3600000" }), 400],
    ["extra fields", JSON.stringify({ ms: 1, hours: 1 }), 400],
    ["missing ms", JSON.stringify({}), 400],
    ["over a year", JSON.stringify({ ms: 400 * 86_400_000 }), 400],
    ["huge body", JSON.stringify({ ms: 1, pad: "x".repeat(5000) }), 413],
  ])("rejects %s and leaves the clock alone", async (_name, body, status) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error).toBeTruthy();
    const now = (await (await callRoute(clock.loader, new Request("http://localhost/dev/clock"))).json()) as { offsetMs: number };
    expect(now.offsetMs).toBe(0);
  });
});
