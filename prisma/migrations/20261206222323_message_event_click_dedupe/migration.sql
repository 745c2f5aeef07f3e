-- AlterTable
ALTER TABLE "MessageEvent" ADD COLUMN     "dedupeKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "MessageEvent_shopId_dedupeKey_key" ON "MessageEvent"("shopId", "dedupeKey");

