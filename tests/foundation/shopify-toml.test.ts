import fs from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { COMPLIANCE_TOPICS, WEBHOOK_TOPICS, webhookPath } from "~/server/ingestion/webhook-topics";
import { DEFAULT_SCOPES } from "~/server/config.server";

interface Toml {
  access_scopes: { scopes: string };
  webhooks: { api_version: string; subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[] };
}
const raw = fs.readFileSync("shopify.app.toml", "utf8");
const toml = parse(raw) as unknown as Toml;
const routeFileFor = (topic: string) => path.join("app/routes", `webhooks.${topic.replace(/\//g, ".")}.ts`);

describe("shopify.app.toml", () => {
  it("subscribes to every topic the app handles, each at its own route", () => {
    const subscribed = toml.webhooks.subscriptions.flatMap((s) => (s.topics ?? []).map((t) => [t, s.uri]));
    expect(subscribed.map(([t]) => t).sort()).toEqual([...WEBHOOK_TOPICS].sort());
    for (const [topic, uri] of subscribed) expect(uri).toBe(webhookPath(topic!));
  });

  it("declares the three mandatory privacy webhooks", () => {
    const compliance = toml.webhooks.subscriptions.flatMap((s) => s.compliance_topics ?? []);
    expect(compliance.sort()).toEqual([...COMPLIANCE_TOPICS].sort());
  });

  it("names the handler file of every subscription in a comment, and the file exists", () => {
    for (const topic of [...WEBHOOK_TOPICS, ...COMPLIANCE_TOPICS]) {
      const file = routeFileFor(topic);
      expect(raw).toContain(file);
      expect(fs.existsSync(file), file).toBe(true);
      expect(fs.readFileSync(file, "utf8")).toContain(`"${topic}"`);
    }
  });

  it("has no webhook route without a subscription", () => {
    const routes = fs.readdirSync("app/routes").filter((f) => f.startsWith("webhooks."));
    const expected = [...WEBHOOK_TOPICS, ...COMPLIANCE_TOPICS].map((t) => path.basename(routeFileFor(t)));
    expect(routes.sort()).toEqual(expected.sort());
  });

  it("asks for the same scopes the app requests at runtime", () => {
    expect(toml.access_scopes.scopes.split(",").sort()).toEqual(DEFAULT_SCOPES.split(",").sort());
  });
});
