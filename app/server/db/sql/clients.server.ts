import type { Prisma } from "@prisma/client";
import type { RawQuery } from "../client.server";

// The two ways this code talks SQL. Hot, set-based paths run on the raw driver inside
// `database().transaction` (`RawQuery`: text and positional parameters); code that
// also uses Prisma's API in the same transaction sends its SQL through Prisma's
// tagged templates (`PrismaSql`: the client or an interactive transaction).
export type { RawQuery };
export type PrismaSql = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw">;

/** The raw-query shape over a Prisma transaction, so set-based SQL runs in the same transaction. */
export function rawQueryOf(tx: Prisma.TransactionClient): RawQuery {
  return <T>(sql: string, params: unknown[] = []) => tx.$queryRawUnsafe<T[]>(sql, ...params);
}
