import type { z } from "zod";
import { checkJsonBounds, DEFAULT_JSON_BOUNDS, type JsonBounds } from "~/domain/shared/json-bounds";

export type JsonResult<T> = { ok: true; data: T } | { ok: false; response: Response };

export function fail(status: number, error: string, details?: unknown): JsonResult<never> {
  return { ok: false, response: Response.json({ error, ...(details ? { details } : {}) }, { status }) };
}

export type Decoded<T> = { ok: true; data: T } | { ok: false; status: number; error: string; details?: unknown };

/**
 * Parses and validates a JSON text: 400 with the reason, or the precheck's status.
 * Depth and size are bounded before parsing (a deep text overflows the stack of every
 * recursive walk after JSON.parse: zod, serialisation, the worker).
 */
export function decodeJson<S extends z.ZodTypeAny>(
  text: string,
  schema: S,
  /** Checks on the raw JSON before the schema (e.g. a count limit that deserves a 413). */
  precheck?: (json: unknown) => { status: number; error: string } | null,
  bounds: JsonBounds = DEFAULT_JSON_BOUNDS,
): Decoded<z.infer<S>> {
  const shape = checkJsonBounds(text, bounds);
  if (!shape.ok) return { ok: false, status: 400, error: shape.error };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, status: 400, error: "Body is not valid JSON" };
  }
  const pre = precheck?.(json);
  if (pre) return { ok: false, ...pre };
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join("."), message: i.message }));
    return {
      ok: false,
      status: 400,
      error: `Invalid body: ${issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}`,
      details: issues,
    };
  }
  return { ok: true, data: parsed.data };
}

/**
 * Reads and validates a JSON body: 413 past maxBytes (checked while reading, so a
 * lying Content-Length cannot make us buffer more), 400 with the reason otherwise.
 */
export async function readJson<S extends z.ZodTypeAny>(
  request: Request,
  schema: S,
  maxBytes: number,
  precheck?: (json: unknown) => { status: number; error: string } | null,
  bounds?: JsonBounds,
): Promise<JsonResult<z.infer<S>>> {
  const body = await readCappedBody(request, maxBytes);
  if (body === null) return fail(413, `Body larger than ${maxBytes} bytes`);
  const decoded = decodeJson(body.toString("utf8"), schema, precheck, bounds);
  return decoded.ok ? decoded : fail(decoded.status, decoded.error, decoded.details);
}

/**
 * The body, read with a hard cap while streaming (a lying Content-Length cannot make
 * us buffer more); null when it is larger than maxBytes.
 */
export async function readCappedBody(request: Request, maxBytes: number): Promise<Buffer | null> {
  if (Number(request.headers.get("content-length") ?? "0") > maxBytes) return null;
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
