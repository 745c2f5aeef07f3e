import { databaseHealth } from "~/server/db/health.server";

// Load balancers and `npm run demo` users alike: 200 when the database answers, 503 if not.
export const loader = async () => {
  const health = await databaseHealth();
  return Response.json(
    { status: health.ok ? "ok" : "degraded", database: health },
    { status: health.ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
};
