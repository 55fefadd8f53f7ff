-- CreateEnum
CREATE TYPE "YouthGrassrootsType" AS ENUM ('commune', 'school', 'agency', 'enterprise');

-- CreateEnum
CREATE TYPE "JoinRequestStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED');

-- CreateTable
CREATE TABLE "YouthUnitProfile" (
    "orgUnitId" INTEGER NOT NULL,
    "grassrootsType" "YouthGrassrootsType" NOT NULL,

    CONSTRAINT "YouthUnitProfile_pkey" PRIMARY KEY ("orgUnitId")
);

-- CreateTable
CREATE TABLE "YouthInvite" (
    "id" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "orgUnitId" INTEGER NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "maxUses" INTEGER NOT NULL,
    "uses" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "revokedById" TEXT,

    CONSTRAINT "YouthInvite_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JoinRequest" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "orgUnitId" INTEGER NOT NULL,
    "inviteId" TEXT,
    "status" "JoinRequestStatus" NOT NULL DEFAULT 'PENDING',
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "reason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JoinRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "YouthInvite_token_key" ON "YouthInvite"("token");

-- CreateIndex
CREATE INDEX "YouthInvite_orgUnitId_createdAt_idx" ON "YouthInvite"("orgUnitId", "createdAt");

-- CreateIndex
CREATE INDEX "JoinRequest_status_orgUnitId_createdAt_idx" ON "JoinRequest"("status", "orgUnitId", "createdAt");

-- CreateIndex
CREATE INDEX "JoinRequest_userId_status_idx" ON "JoinRequest"("userId", "status");

-- CreateIndex
CREATE INDEX "JoinRequest_inviteId_idx" ON "JoinRequest"("inviteId");

-- AddForeignKey
ALTER TABLE "YouthUnitProfile" ADD CONSTRAINT "YouthUnitProfile_orgUnitId_fkey" FOREIGN KEY ("orgUnitId") REFERENCES "OrgUnit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "YouthInvite" ADD CONSTRAINT "YouthInvite_orgUnitId_fkey" FOREIGN KEY ("orgUnitId") REFERENCES "OrgUnit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JoinRequest" ADD CONSTRAINT "JoinRequest_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JoinRequest" ADD CONSTRAINT "JoinRequest_orgUnitId_fkey" FOREIGN KEY ("orgUnitId") REFERENCES "OrgUnit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JoinRequest" ADD CONSTRAINT "JoinRequest_inviteId_fkey" FOREIGN KEY ("inviteId") REFERENCES "YouthInvite"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Uses never pass the maximum, whatever writes them (the registration's conditional UPDATE is the one writer).
ALTER TABLE "YouthInvite" ADD CONSTRAINT "YouthInvite_uses_check" CHECK ("uses" >= 0 AND "uses" <= "maxUses" AND "maxUses" > 0);
