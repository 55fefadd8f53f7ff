-- CreateEnum
CREATE TYPE "SchoolLevel" AS ENUM ('PRIMARY', 'LOWER_SECONDARY', 'UPPER_SECONDARY', 'VOCATIONAL');

-- AlterTable
ALTER TABLE "TrainingEvent" ADD COLUMN     "step" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "EduUnitProfile" (
    "orgUnitId" INTEGER NOT NULL,
    "level" "SchoolLevel",
    "schoolYear" INTEGER,
    "grade" INTEGER,

    CONSTRAINT "EduUnitProfile_pkey" PRIMARY KEY ("orgUnitId")
);

-- CreateTable
CREATE TABLE "LoginPin" (
    "userId" TEXT NOT NULL,
    "pinHash" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "issuedById" TEXT,

    CONSTRAINT "LoginPin_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "ClassSessionJoin" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "joinedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClassSessionJoin_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClassSessionAnswer" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "choice" INTEGER NOT NULL,
    "correct" BOOLEAN NOT NULL,
    "answeredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClassSessionAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ClassSessionJoin_eventId_userId_key" ON "ClassSessionJoin"("eventId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "ClassSessionAnswer_eventId_userId_step_key" ON "ClassSessionAnswer"("eventId", "userId", "step");

-- AddForeignKey
ALTER TABLE "EduUnitProfile" ADD CONSTRAINT "EduUnitProfile_orgUnitId_fkey" FOREIGN KEY ("orgUnitId") REFERENCES "OrgUnit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoginPin" ADD CONSTRAINT "LoginPin_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClassSessionJoin" ADD CONSTRAINT "ClassSessionJoin_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "TrainingEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClassSessionJoin" ADD CONSTRAINT "ClassSessionJoin_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClassSessionAnswer" ADD CONSTRAINT "ClassSessionAnswer_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "TrainingEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClassSessionAnswer" ADD CONSTRAINT "ClassSessionAnswer_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

