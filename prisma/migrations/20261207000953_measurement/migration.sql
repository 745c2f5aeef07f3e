-- DropIndex
DROP INDEX "Conversion_shopId_orderId_model_key";

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "attributeOpens" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "attributionEmailDays" INTEGER NOT NULL DEFAULT 5,
ADD COLUMN     "attributionSmsDays" INTEGER NOT NULL DEFAULT 5;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "refundedAmount" DECIMAL(14,2) NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Flow" ADD COLUMN     "holdoutPercent" INTEGER,
ADD COLUMN     "measurementDays" INTEGER NOT NULL DEFAULT 7;

-- AlterTable
ALTER TABLE "Enrollment" ADD COLUMN     "outcomeOrders" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "outcomeRevenue" DECIMAL(14,2) NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Experiment" ADD COLUMN     "controlKey" TEXT NOT NULL DEFAULT 'a',
ADD COLUMN     "evaluatedOn" DATE,
ADD COLUMN     "flowVersionId" TEXT,
ADD COLUMN     "maxDays" INTEGER NOT NULL DEFAULT 42,
ADD COLUMN     "metric" TEXT NOT NULL DEFAULT 'conversion_rate',
ADD COLUMN     "minDays" INTEGER NOT NULL DEFAULT 7,
ADD COLUMN     "minProbability" DOUBLE PRECISION NOT NULL DEFAULT 0.9,
ADD COLUMN     "minSample" INTEGER NOT NULL DEFAULT 500,
ADD COLUMN     "result" JSONB,
ADD COLUMN     "winnerVersionId" TEXT;

-- AlterTable
ALTER TABLE "Conversion" DROP COLUMN "model",
DROP COLUMN "windowHours",
ADD COLUMN     "channel" TEXT,
ADD COLUMN     "kind" TEXT NOT NULL,
ADD COLUMN     "stepId" TEXT,
ADD COLUMN     "touchAt" TIMESTAMP(3) NOT NULL,
ADD COLUMN     "variant" TEXT;

-- CreateTable
CREATE TABLE "OrderRefund" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "shopifyRefundId" BIGINT NOT NULL,
    "shopifyOrderId" BIGINT NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrderRefund_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExposureConversion" (
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "enrollmentId" TEXT NOT NULL,
    "flowId" TEXT NOT NULL,
    "revenue" DECIMAL(14,2) NOT NULL,

    CONSTRAINT "ExposureConversion_pkey" PRIMARY KEY ("orderId","enrollmentId")
);

-- CreateTable
CREATE TABLE "FlowDaily" (
    "shopId" TEXT NOT NULL,
    "flowId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "stepId" TEXT NOT NULL DEFAULT '',
    "variant" TEXT NOT NULL DEFAULT '',
    "channel" TEXT NOT NULL DEFAULT '',
    "cohort" TEXT NOT NULL DEFAULT '',
    "entered" INTEGER NOT NULL DEFAULT 0,
    "sent" INTEGER NOT NULL DEFAULT 0,
    "delivered" INTEGER NOT NULL DEFAULT 0,
    "clicked" INTEGER NOT NULL DEFAULT 0,
    "heldOut" INTEGER NOT NULL DEFAULT 0,
    "attributedOrders" INTEGER NOT NULL DEFAULT 0,
    "attributedRevenue" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "attributedRevenueSq" DECIMAL(28,4) NOT NULL DEFAULT 0,
    "influencedOrders" INTEGER NOT NULL DEFAULT 0,
    "influencedRevenue" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "converted" INTEGER NOT NULL DEFAULT 0,
    "outcomeRevenue" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "outcomeRevenueSq" DECIMAL(28,4) NOT NULL DEFAULT 0,

    CONSTRAINT "FlowDaily_pkey" PRIMARY KEY ("shopId","flowId","day","stepId","variant","channel","cohort")
);

-- CreateTable
CREATE TABLE "FlowReasonDaily" (
    "shopId" TEXT NOT NULL,
    "flowId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "stepId" TEXT NOT NULL DEFAULT '',
    "outcome" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "FlowReasonDaily_pkey" PRIMARY KEY ("shopId","flowId","day","stepId","outcome","reason")
);

-- CreateIndex
CREATE INDEX "OrderRefund_shopId_shopifyOrderId_idx" ON "OrderRefund"("shopId", "shopifyOrderId");

-- CreateIndex
CREATE UNIQUE INDEX "OrderRefund_shopId_shopifyRefundId_key" ON "OrderRefund"("shopId", "shopifyRefundId");

-- CreateIndex
CREATE INDEX "ExposureConversion_shopId_enrollmentId_idx" ON "ExposureConversion"("shopId", "enrollmentId");

-- CreateIndex
CREATE UNIQUE INDEX "Experiment_shopId_flowId_stepId_flowVersionId_key" ON "Experiment"("shopId", "flowId", "stepId", "flowVersionId");

-- CreateIndex
CREATE INDEX "Conversion_shopId_messageId_idx" ON "Conversion"("shopId", "messageId");

-- CreateIndex
CREATE UNIQUE INDEX "Conversion_shopId_orderId_key" ON "Conversion"("shopId", "orderId");

-- AddForeignKey
ALTER TABLE "OrderRefund" ADD CONSTRAINT "OrderRefund_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExposureConversion" ADD CONSTRAINT "ExposureConversion_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlowDaily" ADD CONSTRAINT "FlowDaily_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlowReasonDaily" ADD CONSTRAINT "FlowReasonDaily_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

