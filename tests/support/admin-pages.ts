import fs from "node:fs";
import path from "node:path";

// The admin's pages, read from the route files (app/routes/app.*.tsx), so that the
// screenshots, the admin bench and the auth test include a page as soon as its route
// file lands. A page is a route module with a component (a default export); export and
// resource routes (.ts, no component) are not pages. A URL parameter is filled from the
// demo data through PARAM_IDS below.

const ROUTES_DIR = path.resolve("app/routes");

export interface AdminRoute {
  /** File name under app/routes, e.g. "app.flows_.$flowId.report.tsx". */
  file: string;
  /** Remix route id, e.g. "routes/app.flows_.$flowId.report". */
  routeId: string;
  /** URL pattern in Remix's syntax, e.g. "/app/flows/:flowId/report". */
  pattern: string;
  /** The pattern's parameters, in order. */
  params: string[];
  /** Has a component: a page a merchant sees (not an export or resource route). */
  isPage: boolean;
  /** The layout route (app.tsx): a page of its own only through its children. */
  isLayout: boolean;
}

/** Splits a flat-routes file stem on dots outside [] escapes. */
function segmentsOf(stem: string): string[] {
  const out: string[] = [];
  let cur = "";
  let escaped = false;
  for (const ch of stem) {
    if (ch === "[") escaped = true;
    else if (ch === "]") escaped = false;
    else if (ch === "." && !escaped) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Remix v2 flat routes: "app.flows_.$flowId.report" -> "/app/flows/:flowId/report". */
export function urlPatternOf(file: string): string {
  const stem = file.replace(/\.(tsx?|jsx?)$/, "");
  const parts: string[] = [];
  for (const raw of segmentsOf(stem)) {
    if (raw === "_index" || raw.startsWith("_")) continue; // index route, pathless layout
    const seg = raw.endsWith("_") ? raw.slice(0, -1) : raw; // "flows_": not nested in flows' layout
    if (seg === "$") parts.push("*");
    else if (seg.startsWith("$")) parts.push(`:${seg.slice(1)}`);
    else parts.push(seg);
  }
  return "/" + parts.join("/");
}

/** Every app.* route module (the embedded admin), pages and resource routes. */
export function adminRoutes(dir = ROUTES_DIR): AdminRoute[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^app(\.|$).*\.tsx?$/.test(f) || f === "app.tsx")
    .sort()
    .map((file) => {
      const source = fs.readFileSync(path.join(dir, file), "utf8");
      const pattern = urlPatternOf(file);
      return {
        file,
        routeId: `routes/${file.replace(/\.tsx?$/, "")}`,
        pattern,
        params: [...pattern.matchAll(/:(\w+)/g)].map((m) => m[1]!),
        isPage: file.endsWith(".tsx") && /^export default\b/m.test(source),
        isLayout: file === "app.tsx",
      };
    });
}

/** The pages a merchant opens: app.*.tsx with a component, without the layout. */
export function adminPages(dir = ROUTES_DIR): AdminRoute[] {
  return adminRoutes(dir).filter((r) => r.isPage && !r.isLayout);
}

/**
 * Where each URL parameter's value comes from on the demo data. A page with a new
 * parameter fails with a message naming this table. The demo installs the whole
 * catalogue; its abandoned-checkout flow has the most steps (waits, email, SMS) and
 * its first email step is "send_1" in every version (app/domain/flows/abandoned-checkout.ts).
 */
export const PARAM_IDS: Record<string, (baseUrl: string) => Promise<string>> = {
  flowId: async (baseUrl) => {
    // Read off the flows page, as a merchant would follow its links (the app uses single
    // fetch, so there is no plain JSON loader endpoint to ask).
    const html = await (await fetch(`${baseUrl}/app/flows?lang=en`)).text();
    const card = html.indexOf('data-flow="abandoned_checkout"');
    const link = /\/app\/flows\/([\w-]{8,})/;
    const id = (card >= 0 ? link.exec(html.slice(card)) : null)?.[1] ?? link.exec(html)?.[1];
    if (!id) throw new Error("no flow link on the demo's flows page");
    return id;
  },
  stepId: () => Promise.resolve("send_1"),
};

/** "/app" -> "home", "/app/flows/:flowId/report" -> "flows-flowId-report". */
export function pageName(pattern: string): string {
  const rest = pattern.replace(/^\/app\/?/, "");
  return rest ? rest.replace(/[:*]/g, "").replace(/\//g, "-") : "home";
}

export interface ResolvedPage {
  route: AdminRoute;
  /** A readable name for files and tables, from the pattern: "home", "flows-flowId-report". */
  name: string;
  /** Path with the parameters filled in, no query. */
  path: string;
}

/** Fills every page's parameters from the running demo app. */
export async function resolveAdminPages(baseUrl: string, pages = adminPages()): Promise<ResolvedPage[]> {
  const cache = new Map<string, string>();
  const out: ResolvedPage[] = [];
  for (const route of pages) {
    let p = route.pattern;
    for (const param of route.params) {
      const resolve = PARAM_IDS[param];
      if (!resolve) throw new Error(`${route.file}: no demo value for :${param}; add one to PARAM_IDS in tests/support/admin-pages.ts`);
      if (!cache.has(param)) cache.set(param, await resolve(baseUrl));
      p = p.replace(`:${param}`, encodeURIComponent(cache.get(param)!));
    }
    out.push({ route, name: pageName(route.pattern), path: p });
  }
  return out;
}
