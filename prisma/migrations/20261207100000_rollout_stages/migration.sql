-- Staged rollout of a flow's active version against the version before it
-- (rolloutPercent is the stage: 10, 50, 100). A null base: no staged rollout.
ALTER TABLE "Flow" ADD COLUMN "rolloutBaseVersionId" TEXT;
ALTER TABLE "Flow" ADD COLUMN "rolloutStages" JSONB;
ALTER TABLE "Flow" ADD COLUMN "rolloutHaltedAt" TIMESTAMP(3);
ALTER TABLE "Flow" ADD COLUMN "rolloutHaltReason" JSONB;


-- The go/no-go criteria read each version's entrants' messages.
CREATE INDEX "Message_enrollmentId_idx" ON "Message"("enrollmentId");
