// /metrics is scraped as Prometheus would, before and after real work: stored webhooks,
// a pixel batch, a due email. The backlog gauges rise as the work is queued, and after
// the worker's drain() they fall and the counters of work done have risen.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as pixelAction } from "~/routes/api.pixel.events";
import { metricsEndpoint, startMetricsServer } from "~/server/metrics/metrics-endpoint.server";
import { fromFetchRequest } from "~/server/http/plain-http.server";
import { startWorker, type WorkerHandle } from "~/server/worker/worker.server";
import { toWireEvent } from "../../extensions/web-pixel/src/wire";
import { productViewedEvent, SHOP_DOMAIN } from "../web-pixel/fixtures";
import { customerPayload } from "../capture/shopify-fixtures";
import { useTestDatabase } from "../support/db";
import { deliver } from "../support/webhooks";
import { createCustomer, createShop, enqueueEmail } from "../messages/email/support/fixtures";
import { startSmtpTestServer, type SmtpTestServer } from "../messages/email/support/smtp-test-server";
import { parseMetrics, sample } from "./support/prometheus-text";
import { drainUntilQuiet } from "./support/drain-worker";

const TOKEN = "scrape-token-0123456789";
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let smtp: SmtpTestServer;
let worker: WorkerHandle | undefined;

beforeAll(async () => {
  process.env.LOG_LEVEL = "silent";
  process.env.METRICS_TOKEN = TOKEN;
  smtp = await startSmtpTestServer();
});
afterAll(async () => {
  await worker?.stop();
  await smtp?.close();
  delete process.env.METRICS_TOKEN;
  delete process.env.LOG_LEVEL;
});

function metricsRequest(headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  return fromFetchRequest(new Request("http://localhost/metrics", { headers }));
}

async function scrape() {
  const res = await metricsEndpoint(metricsRequest(), { tokenRequired: true });
  expect(res.status).toBe(200);
  expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(res.body!);
}

function postPixel(body: object, origin = `https://${SHOP_DOMAIN}`) {
  return pixelAction({
    request: new Request("http://localhost/api/pixel/events", {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "text/plain;charset=UTF-8", origin },
    }),
    params: {},
    context: {},
  });
}

describe("GET /metrics", () => {
  it("answers only the bearer of METRICS_TOKEN on the web port, and 404 when no token is set", async () => {
    expect((await metricsEndpoint(metricsRequest({}), { tokenRequired: true })).status).toBe(401);
    expect(
      (await metricsEndpoint(metricsRequest({ authorization: "Bearer wrong-token-0123456789" }), { tokenRequired: true })).status,
    ).toBe(401);
    delete process.env.METRICS_TOKEN;
    try {
      expect((await metricsEndpoint(metricsRequest(), { tokenRequired: true })).status).toBe(404);
      // The worker's own listener (METRICS_PORT) serves without a token when none is set.
      expect((await metricsEndpoint(metricsRequest({}), { tokenRequired: false })).status).toBe(200);
    } finally {
      process.env.METRICS_TOKEN = TOKEN;
    }
  });

  it("shows backlogs rise as work is queued, then fall and the done counters rise after the worker drains", async () => {
    const shop = await createShop(prisma());
    const customer = await createCustomer(prisma(), shop.id);
    await prisma().shop.create({ data: { domain: SHOP_DOMAIN, name: "Pixel shop", catalogSyncedAt: new Date() } });
    await prisma().shop.update({ where: { id: shop.id }, data: { catalogSyncedAt: new Date() } });

    const before = await scrape();
    expect(sample(before, "flowmate_queue_backlog", { task: "webhooks" })).toBe(0);
    expect(sample(before, "flowmate_queue_backlog", { task: "outbox" })).toBe(0);
    expect(sample(before, "flowmate_queue_oldest_due_age_seconds", { task: "outbox" })).toBe(0);

    for (let i = 0; i < 3; i++) {
      const res = await deliver(shop.domain, "customers/create", customerPayload({ id: 7000 + i, email: `m${i}@example.com` }));
      expect(res.status).toBe(200);
    }
    expect((await postPixel({ shop: SHOP_DOMAIN, v: 1, events: [toWireEvent(productViewedEvent)] })).status).toBe(202);
    expect((await postPixel({ shop: "nobody.myshopify.com", v: 1, events: [toWireEvent(productViewedEvent)] })).status).toBe(404);
    expect((await postPixel({ shop: SHOP_DOMAIN, v: 1, events: "no" })).status).toBe(400);
    await enqueueEmail(prisma(), shop.id, customer, { nextAttemptAt: new Date(Date.now() - 90_000) });

    const queued = await scrape();
    expect(sample(queued, "flowmate_queue_backlog", { task: "webhooks" })).toBe(3);
    expect(sample(queued, "flowmate_queue_backlog", { task: "pixel-inbox" })).toBe(1);
    expect(sample(queued, "flowmate_queue_backlog", { task: "outbox" })).toBe(1);
    expect(sample(queued, "flowmate_queue_oldest_due_age_seconds", { task: "outbox" })).toBeGreaterThanOrEqual(90);
    expect(sample(queued, "flowmate_queue_oldest_due_age_seconds", { task: "outbox" })).toBeLessThan(120);
    // Requests counted by outcome; the rejections by their reason.
    const webhooksAccepted = (m: typeof queued) => sample(m, "flowmate_webhook_requests_total", { outcome: "accepted" }) ?? 0;
    expect(webhooksAccepted(queued) - (webhooksAccepted(before) ?? 0)).toBe(3);
    expect(sample(queued, "flowmate_pixel_requests_total", { outcome: "accepted" })).toBe(1);
    expect(sample(queued, "flowmate_pixel_requests_total", { outcome: "unknown_shop" })).toBe(1);
    expect(sample(queued, "flowmate_pixel_requests_total", { outcome: "invalid" })).toBe(1);

    worker = startWorker({ idleMs: 60_000 });
    await drainUntilQuiet(worker);
    const drained = await scrape();

    for (const task of ["webhooks", "pixel-inbox", "event-router", "journey-steps", "outbox"]) {
      expect(sample(drained, "flowmate_queue_backlog", { task }), task).toBe(0);
      expect(sample(drained, "flowmate_queue_oldest_due_age_seconds", { task }), task).toBe(0);
    }
    // The work done, counted per task and as sends by channel and outcome.
    expect(sample(drained, "flowmate_worker_task_items_total", { task: "webhooks" })).toBeGreaterThanOrEqual(3);
    expect(sample(drained, "flowmate_worker_task_items_total", { task: "pixel-inbox" })).toBeGreaterThanOrEqual(1);
    expect(sample(drained, "flowmate_worker_task_items_total", { task: "outbox" })).toBeGreaterThanOrEqual(1);
    expect(sample(drained, "flowmate_sends_total", { channel: "email", outcome: "sent" })).toBe(1);
    expect(smtp.received).toHaveLength(1);
    expect(sample(drained, "flowmate_worker_task_runs_total", { task: "outbox" })).toBeGreaterThanOrEqual(2);
    expect(sample(drained, "flowmate_worker_task_errors_total", { task: "outbox" }) ?? 0).toBe(0);
    expect(sample(drained, "flowmate_worker_task_duration_seconds_count", { task: "outbox" })).toBe(
      sample(drained, "flowmate_worker_task_runs_total", { task: "outbox" }),
    );
    expect(sample(drained, "flowmate_worker_task_consecutive_failures", { task: "webhooks" })).toBe(0);
    // The pixel batch became an event that the router took.
    expect(await prisma().event.count({ where: { source: "pixel" } })).toBe(1);
  });

  it("is served by the worker's own listener, which answers nothing else", async () => {
    const server = await startMetricsServer(0, "127.0.0.1");
    try {
      const base = `http://127.0.0.1:${server.port}`;
      expect((await fetch(`${base}/metrics`)).status).toBe(401); // METRICS_TOKEN is set
      const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      expect(sample(parseMetrics(await res.text()), "flowmate_queue_backlog", { task: "outbox" })).toBe(0);
      expect((await fetch(`${base}/`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it("never puts a shop, a customer or an address in a label", async () => {
    const text = (await metricsEndpoint(metricsRequest(), { tokenRequired: true })).body!;
    expect(text).not.toMatch(/myshopify\.com|@example\.com|kawa/);
    const labelNames = new Set([...text.matchAll(/[{,]([a-z_]+)="/g)].map((m) => m[1]));
    for (const name of labelNames)
      expect([
        "task",
        "outcome",
        "channel",
        "le",
        "quantile",
        "process",
        "kind",
        "type",
        "version",
        "major",
        "minor",
        "patch",
        "space",
      ]).toContain(name);
  });
});
