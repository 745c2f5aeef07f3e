// Where reattributeShop's time goes: each statement of rewriteShopAttribution timed
// alone, with the WAL it wrote, on a database holding a shop (e.g. the reports bench's
// kept shop, BENCH_REPORTS_KEEP). Starts from an empty Conversion table after a
// checkpoint, as the bench does, and rolls everything back.
//   npx tsx scripts/profile-shop-attribution.ts postgres://postgres@127.0.0.1:55432/kept_full
// WAL is read from the server's insert position, so run it with nothing else writing.
import { openDatabase, setDatabase } from "../app/server/db/client.server";
import type { RawQuery } from "../app/server/db/sql/clients.server";
import { lockShopAttribution } from "../app/server/db/sql/conversions.server";
import { rewriteShopAttribution } from "../app/server/db/sql/shop-attribution.server";

const url = process.argv[2];
if (!url?.startsWith("postgres")) throw new Error("usage: profile-shop-attribution.ts postgres://.../database");
const database = await openDatabase({ url, poolSize: 2 });
setDatabase(database);

class RolledBack extends Error {}

try {
  const [shop] = await database.query<{ id: string }>(`SELECT id FROM "Shop" ORDER BY id LIMIT 1`);
  if (!shop) throw new Error("no shop in this database");
  await database.query(`TRUNCATE "Conversion", "FlowDaily"`);
  await database.query(`CHECKPOINT`);
  await database
    .transaction(async (q) => {
      const walAt = async () =>
        Number((await q<{ b: string }>(`SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::text AS b`))[0]!.b);
      const timed: RawQuery = async <T>(sql: string, params?: unknown[]) => {
        const wal = await walAt();
        const started = performance.now();
        const rows = await q<T>(sql, params);
        const s = (performance.now() - started) / 1000;
        const mb = ((await walAt()) - wal) / 1e6;
        console.log(`${s.toFixed(1).padStart(7)} s ${mb.toFixed(0).padStart(7)} MB WAL  ${sql.replace(/\s+/g, " ").trim().slice(0, 80)}`);
        return rows;
      };
      await lockShopAttribution(q, shop.id, "exclusive");
      console.log(await rewriteShopAttribution(timed, shop.id));
      throw new RolledBack();
    })
    .catch((err: unknown) => {
      if (!(err instanceof RolledBack)) throw err;
    });
} finally {
  setDatabase(undefined);
  await database.close();
}
