-- AlterTable
ALTER TABLE "ImportJob" ADD COLUMN     "heartbeatAt" TIMESTAMP(3),
ADD COLUMN     "progressDone" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "progressPhase" TEXT,
ADD COLUMN     "progressTotal" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "OutboxMail" ADD COLUMN     "kind" TEXT,
ADD COLUMN     "nextAttemptAt" TIMESTAMP(3),
ADD COLUMN     "period" TEXT;

-- CreateIndex
CREATE INDEX "ImportJob_status_idx" ON "ImportJob"("status");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMail_to_kind_period_key" ON "OutboxMail"("to", "kind", "period");

