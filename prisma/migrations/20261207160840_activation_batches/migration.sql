-- AlterTable
ALTER TABLE "ActivationCode" ADD COLUMN     "batchId" TEXT,
ADD COLUMN     "sealed" TEXT;

-- CreateTable
CREATE TABLE "ActivationBatch" (
    "id" TEXT NOT NULL,
    "importJobId" TEXT NOT NULL,
    "orgUnitId" INTEGER NOT NULL,
    "issuedById" TEXT,
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "voidedAt" TIMESTAMP(3),

    CONSTRAINT "ActivationBatch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ActivationBatch_importJobId_idx" ON "ActivationBatch"("importJobId");

-- CreateIndex
CREATE INDEX "ActivationCode_batchId_idx" ON "ActivationCode"("batchId");

-- AddForeignKey
ALTER TABLE "ActivationCode" ADD CONSTRAINT "ActivationCode_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "ActivationBatch"("id") ON DELETE SET NULL ON UPDATE CASCADE;

