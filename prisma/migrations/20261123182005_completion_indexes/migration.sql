-- DropIndex
DROP INDEX "Certificate_userId_idx";

-- CreateIndex
CREATE INDEX "Certificate_userId_courseVersionId_issuedAt_expiresAt_revok_idx" ON "Certificate"("userId", "courseVersionId", "issuedAt", "expiresAt", "revokedAt");

-- CreateIndex
CREATE INDEX "Enrollment_userId_courseVersionId_startedAt_completedAt_idx" ON "Enrollment"("userId", "courseVersionId", "startedAt", "completedAt");

