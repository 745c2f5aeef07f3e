-- CreateTable
CREATE TABLE "Quarantine" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT,
    "kind" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 1,
    "error" TEXT NOT NULL,
    "firstFailedAt" TIMESTAMP(3) NOT NULL,
    "lastFailedAt" TIMESTAMP(3) NOT NULL,
    "quarantinedAt" TIMESTAMP(3),
    "payload" BYTEA,

    CONSTRAINT "Quarantine_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Quarantine_shopId_quarantinedAt_idx" ON "Quarantine"("shopId", "quarantinedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Quarantine_kind_itemId_key" ON "Quarantine"("kind", "itemId");

-- AddForeignKey
ALTER TABLE "Quarantine" ADD CONSTRAINT "Quarantine_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

