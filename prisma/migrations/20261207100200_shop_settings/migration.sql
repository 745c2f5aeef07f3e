-- Settings page (issue 16): quiet hours per channel, the storefront-event retention a
-- merchant may shorten, and a flow's "no promotional message within N hours of an order".

-- AlterTable: null SMS quiet hours = the same as email's (quietHoursStart/End), as before.
ALTER TABLE "Shop" ADD COLUMN     "quietHoursSmsStart" INTEGER,
ADD COLUMN     "quietHoursSmsEnd" INTEGER,
ADD COLUMN     "storefrontEventDays" INTEGER NOT NULL DEFAULT 400;

-- AlterTable
ALTER TABLE "Flow" ADD COLUMN     "excludeAfterOrderHours" INTEGER;
