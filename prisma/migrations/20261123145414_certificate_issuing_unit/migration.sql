-- AlterTable
ALTER TABLE "Certificate" ADD COLUMN     "orgUnitId" INTEGER;

-- CreateIndex
CREATE INDEX "Certificate_orgUnitId_idx" ON "Certificate"("orgUnitId");

-- CreateIndex
CREATE INDEX "Certificate_expiresAt_idx" ON "Certificate"("expiresAt");

-- AddForeignKey
ALTER TABLE "Certificate" ADD CONSTRAINT "Certificate_orgUnitId_fkey" FOREIGN KEY ("orgUnitId") REFERENCES "OrgUnit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

