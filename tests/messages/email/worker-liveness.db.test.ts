// A worker's claims are guarded by its liveness lock: once the lock is gone, another
// worker takes its unsent claim at once, and the first can no longer mark any of it
// "sending", so nothing goes out twice. On PostgreSQL a lost liveness connection is
// re-established and the lock taken again.
import { describe, expect, it } from "vitest";
import { dispatchDueMessages } from "~/server/channels/dispatch.server";
import { claimDueMessages, markSending } from "~/server/channels/outbox.server";
import { now } from "~/server/clock.server";
import { database } from "~/server/db/client.server";
import { LIVENESS_LOCK_CLASS } from "~/server/db/sql/worker-liveness.server";
import { holdWorkerLiveness, releaseWorkerLiveness } from "~/server/worker/liveness.server";
import { useTestDatabase } from "../../support/db";
import { createCustomer, createShop, enqueueEmail } from "./support/fixtures";
import { startSmtpTestServer } from "./support/smtp-test-server";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;

async function lockHolder(workerId: string): Promise<number | null> {
  const rows = await database().query<{ pid: number }>(
    `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1::oid AND objsubid = 2
       AND objid = hashtext($2::text)::oid AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [LIVENESS_LOCK_CLASS, workerId],
  );
  return rows[0]?.pid ?? null;
}

describe("worker liveness", () => {
  it("a worker whose lock is gone loses its unsent claim to another at once and cannot mark it: each message sent once", async () => {
    const smtp = await startSmtpTestServer();
    try {
      const shop = await createShop(prisma());
      const messages = [];
      for (let i = 0; i < 3; i++) messages.push(await enqueueEmail(prisma(), shop.id, await createCustomer(prisma(), shop.id)));

      await holdWorkerLiveness("a");
      const claimed = await claimDueMessages("a", 10, now());
      expect(claimed.map((c) => c.id).sort()).toEqual(messages.map((m) => m.id).sort());
      // Claimed by a live worker: nobody else takes them.
      expect(await dispatchDueMessages("b")).toMatchObject({ claimed: 0 });

      await releaseWorkerLiveness("a"); // as if its process had died
      expect(await dispatchDueMessages("b")).toMatchObject({ claimed: 3, sent: 3 });

      // "a" carries on, unaware: its marks find the rows taken and change nothing.
      const marks = messages.map((m) => ({ id: m.id, subject: null, locale: "en", messageIdHeader: null }));
      expect(await markSending("a", marks, now())).toEqual(new Set());
      // And without its lock it claims nothing, even when there is work.
      await enqueueEmail(prisma(), shop.id, await createCustomer(prisma(), shop.id));
      expect(await claimDueMessages("a", 10, now())).toEqual([]);

      const ids = smtp.received.map((r) => r.parsed.messageId);
      expect(ids).toHaveLength(3);
      expect(new Set(ids).size).toBe(3);
      expect(await prisma().message.count({ where: { id: { in: messages.map((m) => m.id) }, status: "sent" } })).toBe(3);
    } finally {
      await smtp.close();
    }
  });

  it.skipIf(!process.env.DATABASE_URL)(
    "PostgreSQL: the lock lives on a connection of its own, dies with it, and is taken again when the connection comes back",
    async () => {
      await holdWorkerLiveness("reconnecting");
      const first = await lockHolder("reconnecting");
      expect(first).not.toBeNull();
      await database().query(`SELECT pg_terminate_backend($1)`, [first]);
      // Gone at once with its connection...
      for (let i = 0; i < 50 && (await lockHolder("reconnecting")) === first; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await lockHolder("reconnecting")).not.toBe(first);
      // ...and held again, on a new connection, about a second later.
      let again: number | null = null;
      for (let i = 0; i < 100 && again === null; i++) {
        await new Promise((r) => setTimeout(r, 50));
        again = await lockHolder("reconnecting");
      }
      expect(again).not.toBeNull();
      expect(again).not.toBe(first);
      await releaseWorkerLiveness("reconnecting");
      expect(await lockHolder("reconnecting")).toBeNull();
    },
  );
});
