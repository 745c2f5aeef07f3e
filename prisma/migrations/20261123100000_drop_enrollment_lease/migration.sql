-- Enrollments are leased by their row locks inside the runner's transaction
-- (app/server/journeys/runner.server.ts); these columns were never read.
ALTER TABLE "Enrollment" DROP COLUMN "leaseExpiresAt",
DROP COLUMN "leaseOwner";
