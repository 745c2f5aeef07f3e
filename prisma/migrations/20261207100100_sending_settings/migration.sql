-- A shop's own sending setup: encrypted provider credentials, DKIM key, warm-up ramp.
CREATE TABLE "ShopSending" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "smtpUrlSecret" TEXT,
    "smsAccountSidSecret" TEXT,
    "smsAuthTokenSecret" TEXT,
    "dkimDomain" TEXT,
    "dkimSelector" TEXT,
    "dkimPrivateKeySecret" TEXT,
    "dkimPublicKey" TEXT,
    "dkimCreatedAt" TIMESTAMP(3),
    "dkimVerifiedAt" TIMESTAMP(3),
    "warmupStartDay" TEXT,
    "warmupPlan" JSONB,
    "warmupDay" TEXT,
    "warmupSent" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopSending_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "ShopSending_shopId_key" ON "ShopSending"("shopId");

ALTER TABLE "ShopSending" ADD CONSTRAINT "ShopSending_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
