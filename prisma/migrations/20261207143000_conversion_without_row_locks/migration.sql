-- Conversion is derived data: its rows are computed from the shop's Order and Message
-- rows by the attribution code (one order, or the whole shop at once), under the shop's
-- attribution lock, from joins over rows that exist. A foreign key checked each new row
-- by locking the order and the message it names: on a shop with 5,000,000 orders one
-- reattribution locked 1.6 million orders and messages scattered over their tables and
-- wrote 13 GB of WAL for 1.6 million rows (docs/benchmarks.md, reports). The delete
-- rules the two keys carried stay, as statement triggers that cost nothing on insert.
ALTER TABLE "Conversion" DROP CONSTRAINT IF EXISTS "Conversion_orderId_fkey";
ALTER TABLE "Conversion" DROP CONSTRAINT IF EXISTS "Conversion_messageId_fkey";

-- An order deleted takes its conversion with it (was ON DELETE CASCADE).
CREATE FUNCTION "conversion_forget_orders"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "Conversion" c USING gone g WHERE c."shopId" = g."shopId" AND c."orderId" = g.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER "Order_forget_conversions" AFTER DELETE ON "Order"
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION "conversion_forget_orders"();

-- A message deleted leaves the conversion without its message (was ON DELETE SET NULL).
CREATE FUNCTION "conversion_forget_messages"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Conversion" c SET "messageId" = NULL FROM gone g WHERE c."shopId" = g."shopId" AND c."messageId" = g.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER "Message_forget_conversions" AFTER DELETE ON "Message"
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION "conversion_forget_messages"();
