-- CreateEnum
CREATE TYPE "TraceKind" AS ENUM ('LOGIN', 'LESSON_DONE', 'QUIZ_SUBMIT');

-- CreateEnum
CREATE TYPE "ReviewStatus" AS ENUM ('OPEN', 'VERIFIED', 'REDO');

-- AlterTable
ALTER TABLE "Enrollment" ADD COLUMN     "withdrawnAt" TIMESTAMP(3),
ADD COLUMN     "withdrawnReason" TEXT;

-- AlterTable
ALTER TABLE "QuizAttempt" ADD COLUMN     "committedAt" TIMESTAMP(3),
ADD COLUMN     "reauthAt" TIMESTAMP(3),
ADD COLUMN     "voidedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "LearningTrace" (
    "id" BIGSERIAL NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" "TraceKind" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deviceHash" TEXT,
    "networkHash" TEXT,
    "enrollmentId" TEXT,
    "courseVersionId" TEXT,
    "lessonSlug" TEXT,
    "quizAttemptId" TEXT,
    "seconds" INTEGER,
    "size" INTEGER,

    CONSTRAINT "LearningTrace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IntegrityKey" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "key" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IntegrityKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CompletionReview" (
    "id" TEXT NOT NULL,
    "enrollmentId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "courseVersionId" TEXT NOT NULL,
    "orgUnitId" INTEGER,
    "completedAt" TIMESTAMP(3) NOT NULL,
    "signals" TEXT[],
    "evidence" JSONB NOT NULL,
    "status" "ReviewStatus" NOT NULL DEFAULT 'OPEN',
    "flaggedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "decidedAt" TIMESTAMP(3),
    "decidedById" TEXT,
    "decisionNote" TEXT,

    CONSTRAINT "CompletionReview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IntegrityScanState" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "scannedTo" TIMESTAMP(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "flagged" INTEGER NOT NULL,

    CONSTRAINT "IntegrityScanState_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LearningTrace_at_idx" ON "LearningTrace"("at");

-- CreateIndex
CREATE INDEX "LearningTrace_deviceHash_at_idx" ON "LearningTrace"("deviceHash", "at");

-- CreateIndex
CREATE INDEX "LearningTrace_networkHash_at_idx" ON "LearningTrace"("networkHash", "at");

-- CreateIndex
CREATE INDEX "LearningTrace_userId_at_idx" ON "LearningTrace"("userId", "at");

-- CreateIndex
CREATE INDEX "LearningTrace_enrollmentId_idx" ON "LearningTrace"("enrollmentId");

-- CreateIndex
CREATE INDEX "CompletionReview_orgUnitId_status_idx" ON "CompletionReview"("orgUnitId", "status");

-- CreateIndex
CREATE INDEX "CompletionReview_status_flaggedAt_idx" ON "CompletionReview"("status", "flaggedAt");

-- CreateIndex
CREATE UNIQUE INDEX "CompletionReview_enrollmentId_completedAt_key" ON "CompletionReview"("enrollmentId", "completedAt");

-- AddForeignKey
ALTER TABLE "CompletionReview" ADD CONSTRAINT "CompletionReview_enrollmentId_fkey" FOREIGN KEY ("enrollmentId") REFERENCES "Enrollment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

