import type { z } from "zod";
import { UnusablePayload } from "./types";

export function parsePayload<S extends z.ZodTypeAny>(schema: S, payload: unknown): z.infer<S> {
  const r = schema.safeParse(payload);
  if (!r.success) {
    throw new UnusablePayload(
      "invalid_payload",
      r.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
        .join("; "),
    );
  }
  return r.data;
}
