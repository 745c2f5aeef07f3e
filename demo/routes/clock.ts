import { requireDemo } from "../guard.server";
import { clockOffsetMs, now } from "~/server/clock.server";

export const loader = () => {
  requireDemo();
  return Response.json({ now: now().toISOString(), offsetMs: clockOffsetMs() });
};
