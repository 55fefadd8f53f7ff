-- AlterEnum
ALTER TYPE "ImportStatus" ADD VALUE 'VALIDATING';

-- AlterTable
ALTER TABLE "ImportJob" ADD COLUMN     "effectiveAt" TIMESTAMP(3),
ADD COLUMN     "file" BYTEA,
ADD COLUMN     "fileHash" TEXT,
ADD COLUMN     "mode" TEXT,
ADD COLUMN     "newUsers" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "startedAt" TIMESTAMP(3),
ADD COLUMN     "unchanged" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "warnings" JSONB;

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "importJobId" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "birthDate" DATE;

-- CreateIndex
CREATE INDEX "ImportJob_orgUnitId_createdAt_idx" ON "ImportJob"("orgUnitId", "createdAt");

-- CreateIndex
CREATE INDEX "Membership_importJobId_idx" ON "Membership"("importJobId");

-- CreateIndex
CREATE INDEX "User_phone_idx" ON "User"("phone");

