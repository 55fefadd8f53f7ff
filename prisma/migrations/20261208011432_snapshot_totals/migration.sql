-- CreateTable
CREATE TABLE "CompletionSnapshotTotal" (
    "period" TEXT NOT NULL,
    "orgUnitId" INTEGER NOT NULL,
    "direct" BOOLEAN NOT NULL,
    "target" INTEGER NOT NULL,
    "completed" INTEGER NOT NULL,
    "inProgress" INTEGER NOT NULL,
    "overdue" INTEGER NOT NULL,

    CONSTRAINT "CompletionSnapshotTotal_pkey" PRIMARY KEY ("period","orgUnitId","direct")
);


-- Frozen like the month's rows (migration completion_reports), and filled for the months already taken.
CREATE TRIGGER "CompletionSnapshotTotal_frozen" BEFORE UPDATE OR DELETE ON "CompletionSnapshotTotal"
  FOR EACH ROW EXECUTE FUNCTION "completion_snapshot_frozen"();
INSERT INTO "CompletionSnapshotTotal" (period, "orgUnitId", direct, target, completed, "inProgress", overdue)
SELECT period, "orgUnitId", direct, sum(target)::int, sum(completed)::int, sum("inProgress")::int, sum(overdue)::int
FROM "CompletionSnapshot" GROUP BY 1, 2, 3;
