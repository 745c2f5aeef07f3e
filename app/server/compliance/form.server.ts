// Small form bodies (links, webhooks), read with a hard size cap while streaming.
import { readCappedBody } from "../http/read-json.server";

/**
 * application/x-www-form-urlencoded or multipart/form-data (RFC 8058 allows both for
 * one-click unsubscribe), as URLSearchParams. Null when too large or unreadable.
 */
export async function readSmallForm(request: Request, maxBytes = 16_384): Promise<URLSearchParams | null> {
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
  return new URLSearchParams(bytes.toString("utf8"));
}
