-- DropIndex
DROP INDEX "CompletionSnapshot_orgUnitId_courseId_period_key";

-- AlterTable
ALTER TABLE "CompletionSnapshot" ADD COLUMN     "direct" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "CompletionSnapshotPeriod" (
    "period" TEXT NOT NULL,
    "asOf" TIMESTAMP(3) NOT NULL,
    "takenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "units" INTEGER NOT NULL,
    "rows" INTEGER NOT NULL,
    "durationMs" INTEGER NOT NULL,

    CONSTRAINT "CompletionSnapshotPeriod_pkey" PRIMARY KEY ("period")
);

-- CreateTable
CREATE TABLE "CompletionRollup" (
    "orgUnitId" INTEGER NOT NULL,
    "courseId" TEXT NOT NULL,
    "direct" BOOLEAN NOT NULL,
    "target" INTEGER NOT NULL,
    "completed" INTEGER NOT NULL,
    "inProgress" INTEGER NOT NULL,
    "overdue" INTEGER NOT NULL,

    CONSTRAINT "CompletionRollup_pkey" PRIMARY KEY ("orgUnitId","courseId","direct")
);

-- CreateTable
CREATE TABLE "CompletionRollupState" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "asOf" TIMESTAMP(3) NOT NULL,
    "rows" INTEGER NOT NULL,
    "durationMs" INTEGER NOT NULL,

    CONSTRAINT "CompletionRollupState_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CompletionSnapshot_period_idx" ON "CompletionSnapshot"("period");

-- CreateIndex
CREATE UNIQUE INDEX "CompletionSnapshot_orgUnitId_courseId_period_direct_key" ON "CompletionSnapshot"("orgUnitId", "courseId", "period", "direct");


-- A snapshot never changes once taken (DESIGN §5: a report sent stays reproducible). The application only ever
-- inserts; this makes the database refuse the rest too, whoever connects. Prisma's schema does not model triggers,
-- so they live here only.
CREATE FUNCTION "completion_snapshot_frozen"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'Số liệu chốt tháng đã lưu không được sửa hay xoá (% on %)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'P0001', HINT = 'A month-end snapshot is immutable; take the report from it as it is.';
END
$$;

CREATE TRIGGER "CompletionSnapshot_frozen" BEFORE UPDATE OR DELETE ON "CompletionSnapshot"
  FOR EACH ROW EXECUTE FUNCTION "completion_snapshot_frozen"();
CREATE TRIGGER "CompletionSnapshotPeriod_frozen" BEFORE UPDATE OR DELETE ON "CompletionSnapshotPeriod"
  FOR EACH ROW EXECUTE FUNCTION "completion_snapshot_frozen"();
