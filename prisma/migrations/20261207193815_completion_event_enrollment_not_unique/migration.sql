-- DropIndex
DROP INDEX "CompletionEvent_enrollmentId_key";

-- CreateIndex
CREATE INDEX "CompletionEvent_enrollmentId_idx" ON "CompletionEvent"("enrollmentId");

