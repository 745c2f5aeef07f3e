import http from "node:http";
import type { AddressInfo } from "node:net";

import type { LoaderFunctionArgs } from "@remix-run/node";

// Loaders and actions take the same arguments; tests call both through this type.
type Handler = (args: LoaderFunctionArgs) => unknown;
export interface RouteModule {
  loader?: Handler;
  action?: Handler;
}

/**
 * Serves Remix route modules over real HTTP (node:http <-> Fetch API), for tests whose
 * client is an HTTP client of the app's own (the Admin API client, a load generator).
 * Patterns use Remix's `:param` syntax.
 */
export async function serveRoutes(routes: Record<string, RouteModule>): Promise<{ url: string; close: () => Promise<void> }> {
  const compiled = Object.entries(routes).map(([pattern, mod]) => {
    const names: string[] = [];
    const re = new RegExp(
      "^" +
        pattern.replace(/[.]/g, "\\.").replace(/:(\w+)/g, (_, n: string) => {
          names.push(n);
          return "([^/]+)";
        }) +
        "$",
    );
    return { re, names, mod };
  });
  const server = http.createServer(
    asyncListener(async (req, res) => {
      try {
        const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
        const match = compiled.map((c) => ({ c, m: c.re.exec(url.pathname) })).find((x) => x.m);
        if (!match) {
          res.writeHead(404).end("no route");
          return;
        }
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const body = chunks.length ? Buffer.concat(chunks) : undefined;
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
        const request = new Request(url, {
          method: req.method,
          headers,
          body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
        });
        const params = Object.fromEntries(match.c.names.map((n, i) => [n, decodeURIComponent(match.m![i + 1]!)]));
        const handler = req.method === "GET" || req.method === "HEAD" ? match.c.mod.loader : match.c.mod.action;
        if (!handler) {
          res.writeHead(405).end();
          return;
        }
        let response: Response;
        try {
          response = (await handler({ request, params, context: {} })) as Response;
        } catch (thrown) {
          if (thrown instanceof Response) response = thrown;
          else throw thrown;
        }
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      } catch (err) {
        res.writeHead(500).end(String(err));
      }
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A node:http listener from an async handler, for test servers: a failure answers 500
 * with the error (or drops the connection once the head is out) instead of becoming
 * an unhandled rejection.
 */
export function asyncListener(handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>): http.RequestListener {
  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) res.destroy();
      else res.writeHead(500).end(String(err));
    });
  };
}

/** Calls a loader/action and returns the Response, whether it was returned or thrown. */
export async function callRoute(handler: Handler | undefined, request: Request, params: Record<string, string> = {}): Promise<Response> {
  if (!handler) throw new Error("route has no handler for this method");
  try {
    return (await handler({ request, params, context: {} })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
