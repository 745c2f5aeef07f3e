import type { z } from "zod";

export type JsonResult<T> = { ok: true; data: T } | { ok: false; response: Response };

export function fail(status: number, error: string, details?: unknown): JsonResult<never> {
  return { ok: false, response: Response.json({ error, ...(details ? { details } : {}) }, { status }) };
}

/**
 * Reads and validates a JSON body: 413 past maxBytes (checked while reading, so a
 * lying Content-Length cannot make us buffer more), 400 with the reason otherwise.
 */
export async function readJson<S extends z.ZodTypeAny>(
  request: Request,
  schema: S,
  maxBytes: number,
  /** Checks on the raw JSON before the schema (e.g. a count limit that deserves a 413). */
  precheck?: (json: unknown) => { status: number; error: string } | null,
): Promise<JsonResult<z.infer<S>>> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) return fail(413, `Body larger than ${maxBytes} bytes`);
  const text = await readLimited(request, maxBytes);
  if (text === null) return fail(413, `Body larger than ${maxBytes} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail(400, "Body is not valid JSON");
  }
  const pre = precheck?.(json);
  if (pre) return fail(pre.status, pre.error);
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join("."), message: i.message }));
    return fail(400, `Invalid body: ${issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}`, issues);
  }
  return { ok: true, data: parsed.data };
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

async function readLimited(request: Request, maxBytes: number): Promise<string | null> {
  const body = await readCappedBody(request, maxBytes);
  return body === null ? null : body.toString("utf8");
}
