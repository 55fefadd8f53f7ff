-- CreateTable
CREATE TABLE "CompletionEvent" (
    "id" TEXT NOT NULL,
    "enrollmentId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "courseVersionId" TEXT NOT NULL,
    "courseSlug" TEXT NOT NULL,
    "courseVersion" INTEGER NOT NULL,
    "source" "CompletionSource" NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "certificateSerial" TEXT NOT NULL,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "CompletionEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CompletionEvent_processedAt_occurredAt_idx" ON "CompletionEvent"("processedAt", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "CompletionEvent_enrollmentId_key" ON "CompletionEvent"("enrollmentId");

