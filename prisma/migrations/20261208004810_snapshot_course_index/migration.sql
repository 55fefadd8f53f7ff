-- CreateIndex
CREATE INDEX "CompletionSnapshot_period_courseId_idx" ON "CompletionSnapshot"("period", "courseId");

