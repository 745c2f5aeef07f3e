// Small form bodies (links, webhooks), read with a hard size cap while streaming.
import { readCappedBody } from "../http/read-json.server";

/** Bounds on a public form's shape beyond its byte size: fields, and one value's length. */
export interface FormBounds {
  maxFields: number;
  maxValueChars: number;
}

/** Twilio's webhook has about 30 fields and an SMS body at most 1,600 characters. */
export const DEFAULT_FORM_BOUNDS: FormBounds = { maxFields: 100, maxValueChars: 4096 };

/**
 * application/x-www-form-urlencoded or multipart/form-data (RFC 8058 allows both for
 * one-click unsubscribe), as URLSearchParams. Null when too large, unreadable, or
 * outside the bounds (checked on the raw text before URL-decoding for urlencoded forms).
 */
export async function readSmallForm(
  request: Request,
  maxBytes = 16_384,
  bounds: FormBounds = DEFAULT_FORM_BOUNDS,
): Promise<URLSearchParams | null> {
  const form = await readForm(request, maxBytes, bounds.maxFields);
  return form && withinBounds(form, bounds) ? form : null;
}

function withinBounds(form: URLSearchParams, bounds: FormBounds): boolean {
  let fields = 0;
  for (const [k, v] of form) {
    if (++fields > bounds.maxFields || k.length > bounds.maxValueChars || v.length > bounds.maxValueChars) return false;
  }
  return true;
}

/** Fields in an urlencoded text, counted without decoding it. */
function fieldCount(text: string): number {
  let n = text.length > 0 ? 1 : 0;
  for (let at = text.indexOf("&"); at >= 0; at = text.indexOf("&", at + 1)) n++;
  return n;
}

async function readForm(request: Request, maxBytes: number, maxFields: number): Promise<URLSearchParams | null> {
  const bytes = await readCappedBody(request, maxBytes);
  if (!bytes) return null;
  const type = request.headers.get("content-type") ?? "";
  if (type.startsWith("multipart/form-data")) {
    try {
      const fd = await new Response(new Uint8Array(bytes), { headers: { "content-type": type } }).formData();
      const out = new URLSearchParams();
      for (const [k, v] of fd) if (typeof v === "string") out.append(k, v);
      return out;
    } catch {
      return null;
    }
  }
  const text = bytes.toString("utf8");
  // URLSearchParams builds every pair: a body of '&&&&...' would be tens of thousands.
  if (fieldCount(text) > maxFields) return null;
  return new URLSearchParams(text);
}
