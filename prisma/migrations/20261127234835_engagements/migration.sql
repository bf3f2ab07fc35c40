-- CreateEnum
CREATE TYPE "EngagementStage" AS ENUM ('TARGETING', 'MUTUAL_UNDERSTANDING', 'TRUST_BUILDING', 'AWARENESS', 'INTRINSIC_MOTIVATION', 'PROBLEM_SOLVING', 'FOLLOW_UP');

-- CreateEnum
CREATE TYPE "EngagementStatus" AS ENUM ('ACTIVE', 'CLOSED');

-- CreateEnum
CREATE TYPE "TeamSlot" AS ENUM ('LEAD', 'FACILITATOR', 'SPECIALIST', 'FINANCIAL_INSTITUTION', 'LOCAL_ADVISOR', 'OTHER');

-- CreateEnum
CREATE TYPE "TeamMemberStatus" AS ENUM ('INVITED', 'ACCEPTED', 'DECLINED', 'REMOVED', 'LEFT');

-- CreateEnum
CREATE TYPE "IssueStatus" AS ENUM ('OPEN', 'WORKING', 'RESOLVED', 'DROPPED');

-- CreateEnum
CREATE TYPE "SelfRelianceLevel" AS ENUM ('NOT_YET', 'PARTLY', 'SELF_RUNNING');

-- CreateTable
CREATE TABLE "Engagement" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "firmId" UUID NOT NULL,
    "ownerOrganisationId" UUID NOT NULL,
    "leadAccountId" UUID NOT NULL,
    "referralId" UUID,
    "supportType" "SupportType" NOT NULL,
    "stage" "EngagementStage" NOT NULL DEFAULT 'TARGETING',
    "stageChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" "EngagementStatus" NOT NULL DEFAULT 'ACTIVE',
    "mainBankOrganisationId" UUID,
    "supportPlan" TEXT,
    "supportPlanAgreedOn" DATE,
    "selfReliance" "SelfRelianceLevel",
    "selfRelianceNote" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Engagement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EngagementStageChange" (
    "id" BIGSERIAL NOT NULL,
    "engagementId" UUID NOT NULL,
    "fromStage" "EngagementStage",
    "toStage" "EngagementStage" NOT NULL,
    "reason" TEXT,
    "actorAccountId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EngagementStageChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EssentialIssue" (
    "id" UUID NOT NULL,
    "engagementId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "status" "IssueStatus" NOT NULL DEFAULT 'OPEN',
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EssentialIssue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EngagementSession" (
    "id" UUID NOT NULL,
    "engagementId" UUID NOT NULL,
    "heldOn" DATE NOT NULL,
    "participants" TEXT[],
    "notes" TEXT NOT NULL,
    "nextSteps" TEXT,
    "recordedById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EngagementSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutcomeMeasurement" (
    "id" UUID NOT NULL,
    "engagementId" UUID NOT NULL,
    "measuredOn" DATE NOT NULL,
    "baseline" BOOLEAN NOT NULL,
    "salesYen" BIGINT,
    "operatingProfitYen" BIGINT,
    "valueAddedYen" BIGINT,
    "employees" INTEGER,
    "note" TEXT,
    "recordedById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutcomeMeasurement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeamMember" (
    "id" UUID NOT NULL,
    "engagementId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "slot" "TeamSlot" NOT NULL,
    "status" "TeamMemberStatus" NOT NULL DEFAULT 'INVITED',
    "invitedById" UUID NOT NULL,
    "invitedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "respondedAt" TIMESTAMP(3),
    "declineReason" TEXT,
    "endedAt" TIMESTAMP(3),
    "capacityNote" TEXT,
    "conflict" TEXT,
    "conflictAcknowledgement" TEXT,
    "consentId" UUID,

    CONSTRAINT "TeamMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FirmDataRead" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "accountId" UUID NOT NULL,
    "organisationId" UUID,
    "firmId" UUID NOT NULL,
    "engagementId" UUID,
    "what" TEXT NOT NULL,

    CONSTRAINT "FirmDataRead_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Engagement_number_key" ON "Engagement"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Engagement_referralId_key" ON "Engagement"("referralId");

-- CreateIndex
CREATE INDEX "Engagement_ownerOrganisationId_status_stage_idx" ON "Engagement"("ownerOrganisationId", "status", "stage");

-- CreateIndex
CREATE INDEX "Engagement_leadAccountId_status_idx" ON "Engagement"("leadAccountId", "status");

-- CreateIndex
CREATE INDEX "Engagement_firmId_idx" ON "Engagement"("firmId");

-- CreateIndex
CREATE INDEX "EngagementStageChange_engagementId_id_idx" ON "EngagementStageChange"("engagementId", "id");

-- CreateIndex
CREATE INDEX "EssentialIssue_engagementId_idx" ON "EssentialIssue"("engagementId");

-- CreateIndex
CREATE INDEX "EngagementSession_engagementId_heldOn_idx" ON "EngagementSession"("engagementId", "heldOn");

-- CreateIndex
CREATE INDEX "OutcomeMeasurement_engagementId_measuredOn_idx" ON "OutcomeMeasurement"("engagementId", "measuredOn");

-- CreateIndex
CREATE INDEX "TeamMember_engagementId_status_idx" ON "TeamMember"("engagementId", "status");

-- CreateIndex
CREATE INDEX "TeamMember_personId_status_idx" ON "TeamMember"("personId", "status");

-- CreateIndex
CREATE INDEX "FirmDataRead_firmId_at_idx" ON "FirmDataRead"("firmId", "at");

-- CreateIndex
CREATE INDEX "FirmDataRead_accountId_at_idx" ON "FirmDataRead"("accountId", "at");

-- AddForeignKey
ALTER TABLE "EngagementStageChange" ADD CONSTRAINT "EngagementStageChange_engagementId_fkey" FOREIGN KEY ("engagementId") REFERENCES "Engagement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EssentialIssue" ADD CONSTRAINT "EssentialIssue_engagementId_fkey" FOREIGN KEY ("engagementId") REFERENCES "Engagement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EngagementSession" ADD CONSTRAINT "EngagementSession_engagementId_fkey" FOREIGN KEY ("engagementId") REFERENCES "Engagement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutcomeMeasurement" ADD CONSTRAINT "OutcomeMeasurement_engagementId_fkey" FOREIGN KEY ("engagementId") REFERENCES "Engagement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamMember" ADD CONSTRAINT "TeamMember_engagementId_fkey" FOREIGN KEY ("engagementId") REFERENCES "Engagement"("id") ON DELETE CASCADE ON UPDATE CASCADE;
