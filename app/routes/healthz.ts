import { publicHealth } from "~/server/db/health.server";

// For load balancers (and `npm run demo` users): 200 when the database answers and every
// migration this build ships is applied, 503 if not. Nothing about where the database
// is: the endpoint is public.
export const loader = async () => {
  const health = await publicHealth();
  return Response.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
};
