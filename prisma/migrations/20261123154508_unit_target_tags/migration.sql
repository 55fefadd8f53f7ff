-- AlterTable
ALTER TABLE "OrgUnit" ADD COLUMN     "targetTags" TEXT[] DEFAULT ARRAY[]::TEXT[];

