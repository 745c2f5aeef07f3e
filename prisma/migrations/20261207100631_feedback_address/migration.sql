-- The shop's feedback address: its generation (a new address refuses the old one's
-- token) and the last report it received, for Settings -> Sending.
ALTER TABLE "ShopSending" ADD COLUMN     "feedbackGeneration" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "feedbackReportAt" TIMESTAMP(3),
ADD COLUMN     "feedbackReportKind" TEXT;

