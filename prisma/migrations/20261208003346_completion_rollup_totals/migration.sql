-- CreateTable
CREATE TABLE "CompletionRollupTotal" (
    "orgUnitId" INTEGER NOT NULL,
    "direct" BOOLEAN NOT NULL,
    "target" INTEGER NOT NULL,
    "completed" INTEGER NOT NULL,
    "inProgress" INTEGER NOT NULL,
    "overdue" INTEGER NOT NULL,

    CONSTRAINT "CompletionRollupTotal_pkey" PRIMARY KEY ("orgUnitId","direct")
);

-- CreateIndex
CREATE INDEX "CompletionRollup_courseId_orgUnitId_idx" ON "CompletionRollup"("courseId", "orgUnitId");

