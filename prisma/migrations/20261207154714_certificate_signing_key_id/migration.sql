-- AlterTable
ALTER TABLE "Certificate" ADD COLUMN     "signingKeyId" TEXT;

-- CreateIndex
CREATE INDEX "Certificate_signingKeyId_idx" ON "Certificate"("signingKeyId");

-- The key id is part of the signature ("ed25519:<key id>:<base64url>"); a trigger keeps the column in step with it
-- whatever writes the row (issue, backfill on first view, reissue, bulk SQL), so no code path can forget it.
CREATE FUNCTION certificate_signing_key_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."signingKeyId" := CASE WHEN NEW.signature IS NULL THEN NULL ELSE split_part(NEW.signature, ':', 2) END;
  RETURN NEW;
END
$$;

CREATE TRIGGER certificate_signing_key_id BEFORE INSERT OR UPDATE OF signature ON "Certificate"
  FOR EACH ROW EXECUTE FUNCTION certificate_signing_key_id();

UPDATE "Certificate" SET "signingKeyId" = split_part(signature, ':', 2) WHERE signature IS NOT NULL;
