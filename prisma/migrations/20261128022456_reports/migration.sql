-- CreateEnum
CREATE TYPE "SurveyOverall" AS ENUM ('VERY_SATISFIED', 'SATISFIED', 'DISSATISFIED');

-- CreateEnum
CREATE TYPE "SurveyAwareness" AS ENUM ('STRONGLY', 'YES', 'NOT_MUCH');

-- CreateEnum
CREATE TYPE "SurveyChange" AS ENUM ('A_LOT', 'SOME', 'NOT_MUCH', 'NONE');

-- CreateEnum
CREATE TYPE "TargetMetric" AS ENUM ('FIRMS_SUPPORTED', 'ENGAGEMENTS_COMPLETED', 'REFERRALS_ACCEPTED');

-- AlterTable
ALTER TABLE "Engagement" ADD COLUMN     "closedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Referral" ADD COLUMN     "respondedBusinessDays" INTEGER;

-- CreateTable
CREATE TABLE "SatisfactionSurvey" (
    "id" UUID NOT NULL,
    "engagementId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "issuedByAccountId" UUID NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "answeredAt" TIMESTAMP(3),
    "overall" "SurveyOverall",
    "awareness" "SurveyAwareness",
    "change" "SurveyChange",
    "comment" TEXT,

    CONSTRAINT "SatisfactionSurvey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportTarget" (
    "id" UUID NOT NULL,
    "fiscalYear" INTEGER NOT NULL,
    "scopeKey" TEXT NOT NULL,
    "organisationId" UUID,
    "metric" "TargetMetric" NOT NULL,
    "target" INTEGER NOT NULL,
    "setByAccountId" UUID NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReportTarget_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SatisfactionSurvey_engagementId_key" ON "SatisfactionSurvey"("engagementId");

-- CreateIndex
CREATE UNIQUE INDEX "SatisfactionSurvey_tokenHash_key" ON "SatisfactionSurvey"("tokenHash");

-- CreateIndex
CREATE INDEX "SatisfactionSurvey_answeredAt_idx" ON "SatisfactionSurvey"("answeredAt");

-- CreateIndex
CREATE INDEX "SatisfactionSurvey_organisationId_answeredAt_idx" ON "SatisfactionSurvey"("organisationId", "answeredAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReportTarget_fiscalYear_scopeKey_metric_key" ON "ReportTarget"("fiscalYear", "scopeKey", "metric");

-- CreateIndex
CREATE INDEX "Engagement_createdAt_idx" ON "Engagement"("createdAt");

-- CreateIndex
CREATE INDEX "Referral_report_idx" ON "Referral"("sentAt", "senderOrganisationId", "recipientOrganisationId", "status", "respondedBusinessDays", "declineReason", "respondedAt", "firmId");

-- Engagements closed before this column existed: their last change is when they closed.
UPDATE "Engagement" SET "closedAt" = "updatedAt" WHERE "status" = 'CLOSED';
