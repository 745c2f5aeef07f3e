// The admin's page list, read from the route files (tests/support/admin-pages.ts), which
// npm run screenshots, the admin bench and the auth sweep rely on.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { adminPages, adminRoutes, pageName, urlPatternOf } from "../support/admin-pages";

describe("admin pages from the route files", () => {
  it("turns flat-route file names into URL patterns", () => {
    expect(urlPatternOf("app._index.tsx")).toBe("/app");
    expect(urlPatternOf("app.tsx")).toBe("/app");
    expect(urlPatternOf("app.flows.tsx")).toBe("/app/flows");
    expect(urlPatternOf("app.flows_.$flowId.report.tsx")).toBe("/app/flows/:flowId/report");
    expect(urlPatternOf("app.flows_.$flowId_.messages.$stepId.tsx")).toBe("/app/flows/:flowId/messages/:stepId");
    expect(urlPatternOf("app.settings._index.tsx")).toBe("/app/settings");
    expect(urlPatternOf("app.privacy.$id.export.ts")).toBe("/app/privacy/:id/export");
    expect(urlPatternOf("app.files.[robots.txt].tsx")).toBe("/app/files/robots.txt");
    expect(pageName("/app")).toBe("home");
    expect(pageName("/app/flows/:flowId/report")).toBe("flows-flowId-report");
  });

  it("keeps pages (a component) and leaves out the layout and export routes", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flowmate-routes-"));
    try {
      const page = "export const loader = () => null;\nexport default function P() {\n  return null;\n}\n";
      fs.writeFileSync(path.join(dir, "app.tsx"), page);
      fs.writeFileSync(path.join(dir, "app.flows_.$flowId.rollout.tsx"), page);
      fs.writeFileSync(path.join(dir, "app.reports.export.ts"), "export const loader = () => new Response('');\n");
      fs.writeFileSync(path.join(dir, "app.resource.tsx"), "export const action = () => null;\n");
      fs.writeFileSync(path.join(dir, "webhooks.orders.create.ts"), "export const action = () => null;\n");
      expect(adminRoutes(dir).map((r) => r.file)).toEqual([
        "app.flows_.$flowId.rollout.tsx",
        "app.reports.export.ts",
        "app.resource.tsx",
        "app.tsx",
      ]);
      expect(adminPages(dir).map((r) => [r.pattern, r.params])).toEqual([["/app/flows/:flowId/rollout", ["flowId"]]]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("finds today's pages in app/routes", () => {
    const patterns = adminPages().map((p) => p.pattern);
    expect(patterns).toEqual(expect.arrayContaining(["/app", "/app/flows", "/app/reports", "/app/flows/:flowId/report"]));
    expect(patterns).not.toContain("/app/reports/export");
  });
});
