-- CreateTable
CREATE TABLE "CompletionChange" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CompletionChange_pkey" PRIMARY KEY ("id")
);


-- One row per statement that changes what the completion figures read (the people, their units, what is assigned,
-- enrollments and certificates, course versions), so that readers of the rollup know it is older than the data.
-- Per statement, not per row: an import of 100,000 rows writes one. Columns the figures do not read (a learner's
-- lastActivityAt, touched on every lesson) are left out of the UPDATE triggers.
CREATE FUNCTION "completion_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "CompletionChange" DEFAULT VALUES;
    RETURN NULL;
END
$$;

CREATE TRIGGER "Enrollment_completion_change" AFTER INSERT OR DELETE ON "Enrollment"
    FOR EACH STATEMENT EXECUTE FUNCTION "completion_changed"();
CREATE TRIGGER "Enrollment_completion_change_update" AFTER UPDATE OF "status", "completedAt", "startedAt", "courseVersionId", "userId" ON "Enrollment"
    FOR EACH STATEMENT EXECUTE FUNCTION "completion_changed"();
CREATE TRIGGER "Certificate_completion_change" AFTER INSERT OR DELETE ON "Certificate"
    FOR EACH STATEMENT EXECUTE FUNCTION "completion_changed"();
CREATE TRIGGER "Certificate_completion_change_update" AFTER UPDATE OF "revokedAt", "expiresAt", "issuedAt", "courseVersionId", "userId" ON "Certificate"
    FOR EACH STATEMENT EXECUTE FUNCTION "completion_changed"();
CREATE TRIGGER "Membership_completion_change" AFTER INSERT OR UPDATE OR DELETE ON "Membership"
    FOR EACH STATEMENT EXECUTE FUNCTION "completion_changed"();
CREATE TRIGGER "Assignment_completion_change" AFTER INSERT OR UPDATE OR DELETE ON "Assignment"
    FOR EACH STATEMENT EXECUTE FUNCTION "completion_changed"();
CREATE TRIGGER "CourseVersion_completion_change" AFTER INSERT OR UPDATE OR DELETE ON "CourseVersion"
    FOR EACH STATEMENT EXECUTE FUNCTION "completion_changed"();
CREATE TRIGGER "OrgUnit_completion_change" AFTER INSERT OR DELETE ON "OrgUnit"
    FOR EACH STATEMENT EXECUTE FUNCTION "completion_changed"();
CREATE TRIGGER "OrgUnit_completion_change_update" AFTER UPDATE OF "path", "parentId", "validFrom", "validTo" ON "OrgUnit"
    FOR EACH STATEMENT EXECUTE FUNCTION "completion_changed"();
