-- One conversion row per order: (shopId, orderId) becomes the primary key, taking over
-- the unique index that already held it; the random id column and its index go.
ALTER TABLE "Conversion" DROP CONSTRAINT "Conversion_pkey";
ALTER TABLE "Conversion" DROP COLUMN "id";
ALTER TABLE "Conversion" ADD CONSTRAINT "Conversion_pkey" PRIMARY KEY USING INDEX "Conversion_shopId_orderId_key";
