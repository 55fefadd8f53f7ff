-- CreateTable
CREATE TABLE "OrgUnitHistory" (
    "id" SERIAL NOT NULL,
    "orgUnitId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "parentId" INTEGER,
    "validFrom" TIMESTAMP(3) NOT NULL,
    "validTo" TIMESTAMP(3),
    "change" TEXT NOT NULL,
    "actorId" TEXT,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrgUnitHistory_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OrgUnitHistory_orgUnitId_validFrom_idx" ON "OrgUnitHistory"("orgUnitId", "validFrom");

-- AddForeignKey
ALTER TABLE "OrgUnitHistory" ADD CONSTRAINT "OrgUnitHistory_orgUnitId_fkey" FOREIGN KEY ("orgUnitId") REFERENCES "OrgUnit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Backfill: every existing unit starts with one period holding its current name and parent. Earlier renames and
-- moves were applied in place (their dates are only in the audit log), so history begins with today's state.
INSERT INTO "OrgUnitHistory" ("orgUnitId", "name", "parentId", "validFrom", "validTo", "change")
SELECT "id", "name", "parentId", "validFrom", "validTo", 'create' FROM "OrgUnit";
