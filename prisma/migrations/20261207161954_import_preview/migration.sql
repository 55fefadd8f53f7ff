-- AlterTable
ALTER TABLE "ImportJob" ADD COLUMN     "preview" JSONB;

