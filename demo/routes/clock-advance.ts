import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireDemo } from "../guard.server";
import { advanceClock, clockOffsetMs } from "~/server/clock.server";
import { readJson } from "~/server/http/read-json.server";

// At most a year per call: enough for any flow, small enough to catch a typo.
const Body = z
  .object({
    ms: z
      .number()
      .int()
      .min(0)
      .max(366 * 86_400_000),
  })
  .strict();

export const loader = () => {
  requireDemo();
  return Response.json({ error: 'Use POST with {"ms": N}' }, { status: 405 });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  requireDemo();
  const parsed = await readJson(request, Body, 1024);
  if (!parsed.ok) return parsed.response;
  const at = advanceClock(parsed.data.ms);
  return Response.json({ now: at.toISOString(), offsetMs: clockOffsetMs() });
};
