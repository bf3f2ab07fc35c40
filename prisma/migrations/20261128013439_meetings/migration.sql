-- CreateEnum
CREATE TYPE "MeetingSeriesKind" AS ENUM ('COUNCIL', 'WORKING_GROUP', 'OTHER');

-- CreateEnum
CREATE TYPE "MeetingRole" AS ENUM ('MEMBER', 'OBSERVER');

-- CreateEnum
CREATE TYPE "MeetingStatus" AS ENUM ('SCHEDULED', 'HELD', 'CANCELLED');

-- CreateEnum
CREATE TYPE "PeriodPart" AS ENUM ('EARLY', 'MID', 'LATE');

-- CreateEnum
CREATE TYPE "Rsvp" AS ENUM ('ATTENDING', 'NOT_ATTENDING', 'PROXY');

-- CreateEnum
CREATE TYPE "AttendanceStatus" AS ENUM ('PRESENT', 'ABSENT', 'PROXY');

-- CreateEnum
CREATE TYPE "MinutesStatus" AS ENUM ('DRAFT', 'CIRCULATED', 'APPROVED');

-- CreateEnum
CREATE TYPE "MaterialVisibility" AS ENUM ('MEMBERS', 'PUBLIC');

-- CreateEnum
CREATE TYPE "ActionItemStatus" AS ENUM ('OPEN', 'IN_PROGRESS', 'DONE', 'CANCELLED');

-- CreateEnum
CREATE TYPE "AgendaItemKind" AS ENUM ('REGULAR', 'ACTION_REVIEW');

-- CreateTable
CREATE TABLE "MeetingSeries" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "kind" "MeetingSeriesKind" NOT NULL,
    "nameJa" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "description" TEXT,
    "themes" TEXT[],
    "parentSeriesId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MeetingSeries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingSeriesBody" (
    "seriesId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "role" "MeetingRole" NOT NULL,

    CONSTRAINT "MeetingSeriesBody_pkey" PRIMARY KEY ("seriesId","organisationId")
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" UUID NOT NULL,
    "seriesId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "status" "MeetingStatus" NOT NULL DEFAULT 'SCHEDULED',
    "statusReason" TEXT,
    "date" DATE,
    "startTime" TEXT,
    "endTime" TEXT,
    "tentativeYear" INTEGER,
    "tentativeMonth" INTEGER,
    "tentativePart" "PeriodPart",
    "sortDate" DATE NOT NULL,
    "place" TEXT,
    "onlineUrl" TEXT,
    "agendaPublishedAt" TIMESTAMP(3),
    "maskTerms" TEXT[],
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdByAccountId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgendaItem" (
    "id" UUID NOT NULL,
    "meetingId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" "AgendaItemKind" NOT NULL DEFAULT 'REGULAR',
    "title" TEXT NOT NULL,
    "presenterOrganisationId" UUID,
    "presenterName" TEXT,
    "durationMinutes" INTEGER,
    "publicDescription" TEXT,
    "internalNotes" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AgendaItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingMaterial" (
    "id" UUID NOT NULL,
    "meetingId" UUID NOT NULL,
    "agendaItemId" UUID,
    "fileName" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "visibility" "MaterialVisibility" NOT NULL DEFAULT 'MEMBERS',
    "uploadedByAccountId" UUID NOT NULL,
    "uploadedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MeetingMaterial_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingInvitation" (
    "id" UUID NOT NULL,
    "meetingId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "role" "MeetingRole" NOT NULL,
    "attendeeAccountId" UUID,
    "rsvp" "Rsvp",
    "rsvpAt" TIMESTAMP(3),
    "rsvpByAccountId" UUID,
    "proxyName" TEXT,
    "rsvpNote" TEXT,
    "attendance" "AttendanceStatus",
    "attendeeName" TEXT,
    "attendanceNote" TEXT,
    "attendanceRecordedAt" TIMESTAMP(3),
    "attendanceRecordedByAccountId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MeetingInvitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MinutesVersion" (
    "id" UUID NOT NULL,
    "meetingId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "MinutesStatus" NOT NULL DEFAULT 'DRAFT',
    "reason" TEXT,
    "circulatedAt" TIMESTAMP(3),
    "commentsDueOn" DATE,
    "approvedAt" TIMESTAMP(3),
    "approvedByAccountId" UUID,
    "approvedAtMeetingId" UUID,
    "createdByAccountId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MinutesVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MinutesEntry" (
    "id" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "agendaItemId" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "internalNote" TEXT,
    "publicBody" TEXT,
    "publicTitle" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MinutesEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MinutesComment" (
    "id" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "agendaItemId" UUID,
    "accountId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MinutesComment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingDecision" (
    "id" UUID NOT NULL,
    "meetingId" UUID NOT NULL,
    "agendaItemId" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "createdByAccountId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MeetingDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActionItem" (
    "id" UUID NOT NULL,
    "seriesId" UUID NOT NULL,
    "meetingId" UUID NOT NULL,
    "agendaItemId" UUID,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "ownerOrganisationId" UUID,
    "ownerAccountId" UUID,
    "dueOn" DATE NOT NULL,
    "status" "ActionItemStatus" NOT NULL DEFAULT 'OPEN',
    "statusNote" TEXT,
    "doneAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdByAccountId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ActionItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalendarFeed" (
    "accountId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CalendarFeed_pkey" PRIMARY KEY ("accountId")
);

-- CreateIndex
CREATE UNIQUE INDEX "MeetingSeries_slug_key" ON "MeetingSeries"("slug");

-- CreateIndex
CREATE INDEX "MeetingSeriesBody_organisationId_idx" ON "MeetingSeriesBody"("organisationId");

-- CreateIndex
CREATE INDEX "Meeting_sortDate_idx" ON "Meeting"("sortDate");

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_seriesId_number_key" ON "Meeting"("seriesId", "number");

-- CreateIndex
CREATE INDEX "AgendaItem_meetingId_position_idx" ON "AgendaItem"("meetingId", "position");

-- CreateIndex
CREATE INDEX "MeetingMaterial_meetingId_idx" ON "MeetingMaterial"("meetingId");

-- CreateIndex
CREATE INDEX "MeetingInvitation_organisationId_idx" ON "MeetingInvitation"("organisationId");

-- CreateIndex
CREATE INDEX "MeetingInvitation_attendeeAccountId_idx" ON "MeetingInvitation"("attendeeAccountId");

-- CreateIndex
CREATE UNIQUE INDEX "MeetingInvitation_meetingId_organisationId_key" ON "MeetingInvitation"("meetingId", "organisationId");

-- CreateIndex
CREATE UNIQUE INDEX "MinutesVersion_meetingId_version_key" ON "MinutesVersion"("meetingId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "MinutesEntry_versionId_agendaItemId_key" ON "MinutesEntry"("versionId", "agendaItemId");

-- CreateIndex
CREATE INDEX "MinutesComment_versionId_idx" ON "MinutesComment"("versionId");

-- CreateIndex
CREATE INDEX "MeetingDecision_meetingId_idx" ON "MeetingDecision"("meetingId");

-- CreateIndex
CREATE INDEX "ActionItem_seriesId_status_idx" ON "ActionItem"("seriesId", "status");

-- CreateIndex
CREATE INDEX "ActionItem_ownerAccountId_status_idx" ON "ActionItem"("ownerAccountId", "status");

-- CreateIndex
CREATE INDEX "ActionItem_ownerOrganisationId_status_idx" ON "ActionItem"("ownerOrganisationId", "status");

-- CreateIndex
CREATE INDEX "ActionItem_meetingId_idx" ON "ActionItem"("meetingId");

-- CreateIndex
CREATE UNIQUE INDEX "CalendarFeed_tokenHash_key" ON "CalendarFeed"("tokenHash");

-- AddForeignKey
ALTER TABLE "MeetingSeries" ADD CONSTRAINT "MeetingSeries_parentSeriesId_fkey" FOREIGN KEY ("parentSeriesId") REFERENCES "MeetingSeries"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingSeriesBody" ADD CONSTRAINT "MeetingSeriesBody_seriesId_fkey" FOREIGN KEY ("seriesId") REFERENCES "MeetingSeries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_seriesId_fkey" FOREIGN KEY ("seriesId") REFERENCES "MeetingSeries"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgendaItem" ADD CONSTRAINT "AgendaItem_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingMaterial" ADD CONSTRAINT "MeetingMaterial_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingMaterial" ADD CONSTRAINT "MeetingMaterial_agendaItemId_fkey" FOREIGN KEY ("agendaItemId") REFERENCES "AgendaItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingInvitation" ADD CONSTRAINT "MeetingInvitation_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MinutesVersion" ADD CONSTRAINT "MinutesVersion_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MinutesVersion" ADD CONSTRAINT "MinutesVersion_approvedAtMeetingId_fkey" FOREIGN KEY ("approvedAtMeetingId") REFERENCES "Meeting"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MinutesEntry" ADD CONSTRAINT "MinutesEntry_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "MinutesVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MinutesEntry" ADD CONSTRAINT "MinutesEntry_agendaItemId_fkey" FOREIGN KEY ("agendaItemId") REFERENCES "AgendaItem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MinutesComment" ADD CONSTRAINT "MinutesComment_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "MinutesVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingDecision" ADD CONSTRAINT "MeetingDecision_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingDecision" ADD CONSTRAINT "MeetingDecision_agendaItemId_fkey" FOREIGN KEY ("agendaItemId") REFERENCES "AgendaItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_agendaItemId_fkey" FOREIGN KEY ("agendaItemId") REFERENCES "AgendaItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Approved minutes are frozen: neither the version nor its entries change or go away afterwards.
-- A correction is a new version (startMinutesRevision), with its reason.
CREATE FUNCTION minutes_version_is_frozen() RETURNS trigger LANGUAGE plpgsql
  AS E'BEGIN IF OLD."status" = ''APPROVED'' THEN RAISE EXCEPTION ''approved minutes are frozen (version %)'', OLD."version"\073 END IF\073 IF TG_OP = ''DELETE'' THEN RETURN OLD\073 END IF\073 RETURN NEW\073 END';

CREATE TRIGGER minutes_version_frozen
  BEFORE UPDATE OR DELETE ON "MinutesVersion"
  FOR EACH ROW EXECUTE FUNCTION minutes_version_is_frozen();

CREATE FUNCTION minutes_entry_is_frozen() RETURNS trigger LANGUAGE plpgsql
  AS E'DECLARE v uuid\073 BEGIN IF TG_OP = ''INSERT'' THEN v := NEW."versionId"\073 ELSE v := OLD."versionId"\073 END IF\073 IF EXISTS (SELECT 1 FROM "MinutesVersion" WHERE "id" = v AND "status" = ''APPROVED'') THEN RAISE EXCEPTION ''approved minutes are frozen''\073 END IF\073 IF TG_OP = ''DELETE'' THEN RETURN OLD\073 END IF\073 RETURN NEW\073 END';

CREATE TRIGGER minutes_entry_frozen
  BEFORE INSERT OR UPDATE OR DELETE ON "MinutesEntry"
  FOR EACH ROW EXECUTE FUNCTION minutes_entry_is_frozen();
