import { isDemoEnabled } from "~/server/config.server";

/** Demo-only routes answer 404 outside a process started as the demo, exactly as if they did not exist. */
export function requireDemo(): void {
  if (!isDemoEnabled()) throw new Response("Not Found", { status: 404 });
}
