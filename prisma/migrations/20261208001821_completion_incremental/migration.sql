-- AlterTable
ALTER TABLE "CompletionChange" ADD COLUMN     "orgUnitId" INTEGER,
ADD COLUMN     "path" TEXT,
ADD COLUMN     "userId" TEXT;

-- AlterTable
ALTER TABLE "CompletionRollupState" ADD COLUMN     "fullAsOf" TIMESTAMP(3),
ADD COLUMN     "incremental" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "units" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "CompletionPart" (
    "orgUnitId" INTEGER NOT NULL,
    "courseId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "target" INTEGER NOT NULL,
    "completed" INTEGER NOT NULL,
    "inProgress" INTEGER NOT NULL,
    "overdue" INTEGER NOT NULL,
    "pastDue" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "CompletionPart_pkey" PRIMARY KEY ("orgUnitId","courseId","userId")
);

-- CreateIndex
CREATE INDEX "CompletionChange_at_idx" ON "CompletionChange"("at");


-- Decision 028: the triggers of 20261207194459_completion_changes recorded THAT something changed; these record WHAT
-- (a person, a unit, a subtree), so that the refresh recomputes only the units reached. Inserts and deletes are
-- recorded per statement from their transition tables (an import of 100,000 rows is one INSERT … SELECT DISTINCT);
-- updates per row, only when a column the figures read changed (a learner's lastActivityAt costs nothing).
-- Timestamps are stored in UTC without time zone (Prisma), hence now() AT TIME ZONE 'UTC'. A timestamp written in
-- the future (an enrollment started tomorrow, a post ending on a date) is also recorded at that instant, when the
-- figures change by themselves; the refresh finds the other instants (certificate expiries, assignment dates,
-- versions superseding others) in their own tables.
DROP TRIGGER "Enrollment_completion_change" ON "Enrollment";
DROP TRIGGER "Enrollment_completion_change_update" ON "Enrollment";
DROP TRIGGER "Certificate_completion_change" ON "Certificate";
DROP TRIGGER "Certificate_completion_change_update" ON "Certificate";
DROP TRIGGER "Membership_completion_change" ON "Membership";
DROP TRIGGER "Assignment_completion_change" ON "Assignment";
DROP TRIGGER "CourseVersion_completion_change" ON "CourseVersion";
DROP TRIGGER "OrgUnit_completion_change" ON "OrgUnit";
DROP TRIGGER "OrgUnit_completion_change_update" ON "OrgUnit";
DROP FUNCTION "completion_changed"();

-- Enrollment: the person; startedAt / completedAt in the future at that instant.
CREATE FUNCTION "completion_enrollment_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "CompletionChange" ("userId", at)
    SELECT DISTINCT "userId", now() AT TIME ZONE 'UTC' FROM changed_rows
    UNION
    SELECT r."userId", t FROM changed_rows r, unnest(ARRAY[r."startedAt", r."completedAt"]) AS t WHERE t > now() AT TIME ZONE 'UTC';
    RETURN NULL;
END
$$;
CREATE FUNCTION "completion_enrollment_row"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "CompletionChange" ("userId", at)
    SELECT DISTINCT u, now() AT TIME ZONE 'UTC' FROM unnest(ARRAY[OLD."userId", NEW."userId"]) AS u
    UNION
    SELECT NEW."userId", t FROM unnest(ARRAY[NEW."startedAt", NEW."completedAt"]) AS t WHERE t > now() AT TIME ZONE 'UTC';
    RETURN NULL;
END
$$;
CREATE TRIGGER "Enrollment_completion_insert" AFTER INSERT ON "Enrollment" REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION "completion_enrollment_rows"();
CREATE TRIGGER "Enrollment_completion_delete" AFTER DELETE ON "Enrollment" REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION "completion_enrollment_rows"();
CREATE TRIGGER "Enrollment_completion_update" AFTER UPDATE OF "status", "completedAt", "startedAt", "courseVersionId", "userId" ON "Enrollment"
    FOR EACH ROW WHEN ((OLD."status", OLD."completedAt", OLD."startedAt", OLD."courseVersionId", OLD."userId") IS DISTINCT FROM (NEW."status", NEW."completedAt", NEW."startedAt", NEW."courseVersionId", NEW."userId"))
    EXECUTE FUNCTION "completion_enrollment_row"();

-- Certificate: the person; issuedAt / revokedAt in the future at that instant (expiresAt: the refresh reads the index).
CREATE FUNCTION "completion_certificate_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "CompletionChange" ("userId", at)
    SELECT DISTINCT "userId", now() AT TIME ZONE 'UTC' FROM changed_rows
    UNION
    SELECT r."userId", t FROM changed_rows r, unnest(ARRAY[r."issuedAt", r."revokedAt"]) AS t WHERE t > now() AT TIME ZONE 'UTC';
    RETURN NULL;
END
$$;
CREATE FUNCTION "completion_certificate_row"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "CompletionChange" ("userId", at)
    SELECT DISTINCT u, now() AT TIME ZONE 'UTC' FROM unnest(ARRAY[OLD."userId", NEW."userId"]) AS u
    UNION
    SELECT NEW."userId", t FROM unnest(ARRAY[NEW."issuedAt", NEW."revokedAt"]) AS t WHERE t > now() AT TIME ZONE 'UTC';
    RETURN NULL;
END
$$;
CREATE TRIGGER "Certificate_completion_insert" AFTER INSERT ON "Certificate" REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION "completion_certificate_rows"();
CREATE TRIGGER "Certificate_completion_delete" AFTER DELETE ON "Certificate" REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION "completion_certificate_rows"();
CREATE TRIGGER "Certificate_completion_update" AFTER UPDATE OF "revokedAt", "expiresAt", "issuedAt", "courseVersionId", "userId" ON "Certificate"
    FOR EACH ROW WHEN ((OLD."revokedAt", OLD."expiresAt", OLD."issuedAt", OLD."courseVersionId", OLD."userId") IS DISTINCT FROM (NEW."revokedAt", NEW."expiresAt", NEW."issuedAt", NEW."courseVersionId", NEW."userId"))
    EXECUTE FUNCTION "completion_certificate_row"();

-- Membership: the person and the unit (a deleted row's unit is nowhere else); validFrom / validTo in the future at that instant.
CREATE FUNCTION "completion_membership_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "CompletionChange" ("userId", "orgUnitId", at)
    SELECT DISTINCT "userId", "orgUnitId", now() AT TIME ZONE 'UTC' FROM changed_rows
    UNION
    SELECT r."userId", NULL, t FROM changed_rows r, unnest(ARRAY[r."validFrom", r."validTo"]) AS t WHERE t > now() AT TIME ZONE 'UTC';
    RETURN NULL;
END
$$;
CREATE FUNCTION "completion_membership_row"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "CompletionChange" ("userId", "orgUnitId", at)
    SELECT DISTINCT u, o, now() AT TIME ZONE 'UTC' FROM (VALUES (OLD."userId", OLD."orgUnitId"), (NEW."userId", NEW."orgUnitId")) AS x(u, o)
    UNION
    SELECT NEW."userId", NULL, t FROM unnest(ARRAY[NEW."validFrom", NEW."validTo"]) AS t WHERE t > now() AT TIME ZONE 'UTC';
    RETURN NULL;
END
$$;
CREATE TRIGGER "Membership_completion_insert" AFTER INSERT ON "Membership" REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION "completion_membership_rows"();
CREATE TRIGGER "Membership_completion_delete" AFTER DELETE ON "Membership" REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION "completion_membership_rows"();
CREATE TRIGGER "Membership_completion_update" AFTER UPDATE OF "userId", "orgUnitId", "tags", "countsInTarget", "validFrom", "validTo" ON "Membership"
    FOR EACH ROW WHEN ((OLD."userId", OLD."orgUnitId", OLD."tags", OLD."countsInTarget", OLD."validFrom", OLD."validTo") IS DISTINCT FROM (NEW."userId", NEW."orgUnitId", NEW."tags", NEW."countsInTarget", NEW."validFrom", NEW."validTo"))
    EXECUTE FUNCTION "completion_membership_row"();

-- Assignment: the subtree of its unit (its own dates are read by the refresh: few rows).
CREATE FUNCTION "completion_assignment_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "CompletionChange" (path, at)
    SELECT DISTINCT o.path, now() AT TIME ZONE 'UTC' FROM changed_rows r JOIN "OrgUnit" o ON o.id = r."orgUnitId";
    RETURN NULL;
END
$$;
CREATE FUNCTION "completion_assignment_row"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "CompletionChange" (path, at)
    SELECT DISTINCT o.path, now() AT TIME ZONE 'UTC' FROM "OrgUnit" o WHERE o.id IN (OLD."orgUnitId", NEW."orgUnitId");
    RETURN NULL;
END
$$;
CREATE TRIGGER "Assignment_completion_insert" AFTER INSERT ON "Assignment" REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION "completion_assignment_rows"();
CREATE TRIGGER "Assignment_completion_delete" AFTER DELETE ON "Assignment" REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION "completion_assignment_rows"();
CREATE TRIGGER "Assignment_completion_update" AFTER UPDATE ON "Assignment"
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION "completion_assignment_row"();

-- A course version or a tree edit (path, parent) changes everything: "/". A unit created, deleted or closed changes
-- no count (memberships hold the people) but is recorded on the unit, so that readers see the rollup as older.
CREATE FUNCTION "completion_everything"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "CompletionChange" (path, at) VALUES ('/', now() AT TIME ZONE 'UTC');
    RETURN NULL;
END
$$;
CREATE FUNCTION "completion_orgunit_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "CompletionChange" ("orgUnitId", at) SELECT DISTINCT id, now() AT TIME ZONE 'UTC' FROM changed_rows;
    RETURN NULL;
END
$$;
CREATE FUNCTION "completion_orgunit_row"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "CompletionChange" ("orgUnitId", at) VALUES (NEW.id, now() AT TIME ZONE 'UTC');
    RETURN NULL;
END
$$;
CREATE TRIGGER "CourseVersion_completion_change" AFTER INSERT OR UPDATE OR DELETE ON "CourseVersion"
    FOR EACH STATEMENT EXECUTE FUNCTION "completion_everything"();
CREATE TRIGGER "OrgUnit_completion_insert" AFTER INSERT ON "OrgUnit" REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION "completion_orgunit_rows"();
CREATE TRIGGER "OrgUnit_completion_delete" AFTER DELETE ON "OrgUnit" REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION "completion_orgunit_rows"();
CREATE TRIGGER "OrgUnit_completion_tree" AFTER UPDATE OF "path", "parentId" ON "OrgUnit"
    FOR EACH STATEMENT EXECUTE FUNCTION "completion_everything"();
CREATE TRIGGER "OrgUnit_completion_validity" AFTER UPDATE OF "validFrom", "validTo" ON "OrgUnit"
    FOR EACH ROW WHEN ((OLD."validFrom", OLD."validTo") IS DISTINCT FROM (NEW."validFrom", NEW."validTo"))
    EXECUTE FUNCTION "completion_orgunit_row"();

-- Rows already holding a future instant were written before these triggers: record those instants now. The rows
-- left from the old triggers say only that something changed: "/" makes the next refresh a full one.
UPDATE "CompletionChange" SET path = '/' WHERE "userId" IS NULL AND "orgUnitId" IS NULL AND path IS NULL;
INSERT INTO "CompletionChange" ("userId", at)
SELECT DISTINCT "userId", t FROM (
    SELECT "userId", unnest(ARRAY["startedAt", "completedAt"]) AS t FROM "Enrollment"
    UNION ALL SELECT "userId", unnest(ARRAY["issuedAt", "revokedAt"]) FROM "Certificate"
    UNION ALL SELECT "userId", unnest(ARRAY["validFrom", "validTo"]) FROM "Membership"
) x WHERE t > now() AT TIME ZONE 'UTC';
