-- CreateEnum
CREATE TYPE "ConsentCategory" AS ENUM ('PROFILE', 'FINANCIALS', 'ISSUES', 'DOCUMENTS');

-- CreateEnum
CREATE TYPE "ConsentMethod" AS ENUM ('WRITTEN', 'ELECTRONIC');

-- CreateEnum
CREATE TYPE "SupportType" AS ENUM ('ISSUE_SETTING', 'ISSUE_SOLVING');

-- CreateEnum
CREATE TYPE "ReferralUrgency" AS ENUM ('NORMAL', 'HIGH', 'URGENT');

-- CreateEnum
CREATE TYPE "ReferralStatus" AS ENUM ('DRAFT', 'SENT', 'ACCEPTED', 'DECLINED', 'FORWARDED', 'IN_PROGRESS', 'ON_HOLD', 'COMPLETED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "DeclineReason" AS ENUM ('OUT_OF_SCOPE', 'NO_CAPACITY', 'OUT_OF_AREA', 'FIRM_UNREACHABLE', 'ALREADY_SUPPORTED', 'OTHER');

-- CreateEnum
CREATE TYPE "OutcomeStage" AS ENUM ('ISSUE_SETTING', 'ISSUE_SOLVING', 'SELF_RUNNING');

-- CreateEnum
CREATE TYPE "OutcomeResult" AS ENUM ('RESOLVED', 'PARTLY_RESOLVED', 'NOT_RESOLVED', 'FIRM_WITHDREW');

-- CreateEnum
CREATE TYPE "DuplicateResolution" AS ENUM ('MERGED', 'DISTINCT');

-- CreateTable
CREATE TABLE "Firm" (
    "id" UUID NOT NULL,
    "corporateNumber" CHAR(13),
    "nameJa" TEXT NOT NULL,
    "nameKana" TEXT NOT NULL,
    "prefectureCode" CHAR(2) NOT NULL,
    "industryDivision" CHAR(1) NOT NULL,
    "industryCode" TEXT,
    "representativeName" TEXT,
    "representativeTitle" TEXT,
    "matchKey" TEXT NOT NULL,
    "mergedIntoId" UUID,
    "createdByOrganisationId" UUID NOT NULL,
    "createdByAccountId" UUID NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Firm_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FirmHolding" (
    "firmId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "capitalYen" BIGINT,
    "employees" INTEGER,
    "annualSalesYen" BIGINT,
    "fiscalYearEndMonth" INTEGER,
    "since" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FirmHolding_pkey" PRIMARY KEY ("organisationId","firmId")
);

-- CreateTable
CREATE TABLE "FirmDuplicateFlag" (
    "id" UUID NOT NULL,
    "firmId" UUID NOT NULL,
    "candidateId" UUID NOT NULL,
    "flaggedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),
    "resolution" "DuplicateResolution",
    "resolvedById" UUID,

    CONSTRAINT "FirmDuplicateFlag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FirmConsent" (
    "id" UUID NOT NULL,
    "firmId" UUID NOT NULL,
    "providerOrganisationId" UUID NOT NULL,
    "recipientOrganisationId" UUID NOT NULL,
    "categories" "ConsentCategory"[],
    "method" "ConsentMethod" NOT NULL,
    "obtainedAt" TIMESTAMP(3) NOT NULL,
    "givenBy" TEXT NOT NULL,
    "recordedByAccountId" UUID NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "firstSharedAt" TIMESTAMP(3),
    "withdrawnAt" TIMESTAMP(3),
    "withdrawnByAccountId" UUID,
    "withdrawalNote" TEXT,

    CONSTRAINT "FirmConsent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProvisionRecord" (
    "id" UUID NOT NULL,
    "providedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "providerOrganisationId" UUID NOT NULL,
    "recipientOrganisationId" UUID NOT NULL,
    "firmId" UUID NOT NULL,
    "firmName" TEXT NOT NULL,
    "corporateNumber" TEXT,
    "personsConcerned" TEXT[],
    "dataItems" "ConsentCategory"[],
    "consentId" UUID NOT NULL,
    "referralId" UUID,
    "recordedByAccountId" UUID NOT NULL,
    "retainUntil" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProvisionRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferralSettings" (
    "organisationId" UUID NOT NULL,
    "responseBusinessDays" INTEGER NOT NULL DEFAULT 3,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReferralSettings_pkey" PRIMARY KEY ("organisationId")
);

-- CreateTable
CREATE TABLE "Referral" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "firmId" UUID NOT NULL,
    "consentId" UUID,
    "senderOrganisationId" UUID NOT NULL,
    "senderAccountId" UUID NOT NULL,
    "recipientOrganisationId" UUID NOT NULL,
    "assigneeAccountId" UUID,
    "forwardedFromId" UUID,
    "supportType" "SupportType" NOT NULL,
    "urgency" "ReferralUrgency" NOT NULL DEFAULT 'NORMAL',
    "reason" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "status" "ReferralStatus" NOT NULL DEFAULT 'DRAFT',
    "version" INTEGER NOT NULL DEFAULT 1,
    "sentAt" TIMESTAMP(3),
    "responseBusinessDays" INTEGER,
    "responseDueAt" TIMESTAMP(3),
    "escalatesAt" TIMESTAMP(3),
    "respondedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "declineReason" "DeclineReason",
    "declineNote" TEXT,
    "outcomeSummary" TEXT,
    "outcomeStage" "OutcomeStage",
    "outcomeResult" "OutcomeResult",
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Referral_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferralEvent" (
    "id" BIGSERIAL NOT NULL,
    "referralId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "fromStatus" "ReferralStatus",
    "toStatus" "ReferralStatus",
    "actorAccountId" UUID,
    "actorOrganisationId" UUID,
    "note" TEXT,
    "details" JSONB,

    CONSTRAINT "ReferralEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferralAttachment" (
    "id" UUID NOT NULL,
    "referralId" UUID NOT NULL,
    "fileName" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "uploadedByAccountId" UUID NOT NULL,
    "uploadedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReferralAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Firm_corporateNumber_key" ON "Firm"("corporateNumber");

-- CreateIndex
CREATE INDEX "Firm_matchKey_idx" ON "Firm"("matchKey");

-- CreateIndex
CREATE INDEX "Firm_nameKana_id_idx" ON "Firm"("nameKana", "id");

-- CreateIndex
CREATE INDEX "FirmHolding_firmId_idx" ON "FirmHolding"("firmId");

-- CreateIndex
CREATE INDEX "FirmDuplicateFlag_candidateId_idx" ON "FirmDuplicateFlag"("candidateId");

-- CreateIndex
CREATE UNIQUE INDEX "FirmDuplicateFlag_firmId_candidateId_key" ON "FirmDuplicateFlag"("firmId", "candidateId");

-- CreateIndex
CREATE INDEX "FirmConsent_firmId_idx" ON "FirmConsent"("firmId");

-- CreateIndex
CREATE INDEX "FirmConsent_recipientOrganisationId_firmId_idx" ON "FirmConsent"("recipientOrganisationId", "firmId");

-- CreateIndex
CREATE INDEX "FirmConsent_providerOrganisationId_firmId_idx" ON "FirmConsent"("providerOrganisationId", "firmId");

-- CreateIndex
CREATE INDEX "ProvisionRecord_providerOrganisationId_providedAt_idx" ON "ProvisionRecord"("providerOrganisationId", "providedAt");

-- CreateIndex
CREATE INDEX "ProvisionRecord_recipientOrganisationId_providedAt_idx" ON "ProvisionRecord"("recipientOrganisationId", "providedAt");

-- CreateIndex
CREATE INDEX "ProvisionRecord_firmId_idx" ON "ProvisionRecord"("firmId");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_number_key" ON "Referral"("number");

-- CreateIndex
CREATE INDEX "Referral_recipientOrganisationId_status_sentAt_idx" ON "Referral"("recipientOrganisationId", "status", "sentAt");

-- CreateIndex
CREATE INDEX "Referral_senderOrganisationId_createdAt_idx" ON "Referral"("senderOrganisationId", "createdAt");

-- CreateIndex
CREATE INDEX "Referral_firmId_idx" ON "Referral"("firmId");

-- CreateIndex
CREATE INDEX "Referral_consentId_idx" ON "Referral"("consentId");

-- CreateIndex
CREATE INDEX "ReferralEvent_referralId_id_idx" ON "ReferralEvent"("referralId", "id");

-- CreateIndex
CREATE INDEX "ReferralAttachment_referralId_idx" ON "ReferralAttachment"("referralId");

-- AddForeignKey
ALTER TABLE "FirmHolding" ADD CONSTRAINT "FirmHolding_firmId_fkey" FOREIGN KEY ("firmId") REFERENCES "Firm"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FirmConsent" ADD CONSTRAINT "FirmConsent_firmId_fkey" FOREIGN KEY ("firmId") REFERENCES "Firm"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_firmId_fkey" FOREIGN KEY ("firmId") REFERENCES "Firm"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_consentId_fkey" FOREIGN KEY ("consentId") REFERENCES "FirmConsent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReferralEvent" ADD CONSTRAINT "ReferralEvent_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReferralAttachment" ADD CONSTRAINT "ReferralAttachment_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- 第三者提供記録 are kept: the database refuses to change them, and to delete one before its
-- retention ends (three years). (E-string with octal 073 for the semicolon: the migration runner
-- splits scripts at semicolons.)
CREATE FUNCTION provision_record_is_kept() RETURNS trigger LANGUAGE plpgsql
  AS E'BEGIN IF TG_OP = ''DELETE'' AND OLD."retainUntil" < now() THEN RETURN OLD\073 END IF\073 RAISE EXCEPTION ''ProvisionRecord is kept until its retention ends (%)'', TG_OP\073 END';

CREATE TRIGGER provision_record_kept
  BEFORE UPDATE OR DELETE ON "ProvisionRecord"
  FOR EACH ROW EXECUTE FUNCTION provision_record_is_kept();

CREATE FUNCTION provision_record_no_truncate() RETURNS trigger LANGUAGE plpgsql
  AS E'BEGIN RAISE EXCEPTION ''ProvisionRecord cannot be truncated''\073 END';

CREATE TRIGGER provision_record_no_truncate
  BEFORE TRUNCATE ON "ProvisionRecord"
  FOR EACH STATEMENT EXECUTE FUNCTION provision_record_no_truncate();
