-- AlterTable
ALTER TABLE "Engagement" ADD COLUMN     "furthestStage" "EngagementStage" NOT NULL DEFAULT 'TARGETING',
ADD COLUMN     "teamBodies" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "ReferralPairTally" (
    "fiscalYear" INTEGER NOT NULL,
    "senderOrganisationId" UUID NOT NULL,
    "recipientOrganisationId" UUID NOT NULL,
    "sent" INTEGER NOT NULL DEFAULT 0,
    "accepted" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ReferralPairTally_pkey" PRIMARY KEY ("fiscalYear","senderOrganisationId","recipientOrganisationId")
);

-- CreateTable
CREATE TABLE "ReferralAnswerTally" (
    "fiscalYear" INTEGER NOT NULL,
    "recipientOrganisationId" UUID NOT NULL,
    "status" "ReferralStatus" NOT NULL,
    "declineReason" TEXT NOT NULL DEFAULT '',
    "respondedBusinessDays" INTEGER NOT NULL DEFAULT -1,
    "answered" BOOLEAN NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ReferralAnswerTally_pkey" PRIMARY KEY ("fiscalYear","recipientOrganisationId","status","declineReason","respondedBusinessDays","answered")
);

-- DropIndex
DROP INDEX "Engagement_createdAt_idx";

-- CreateIndex
CREATE INDEX "Engagement_report_idx" ON "Engagement"("createdAt", "closedAt", "ownerOrganisationId", "firmId", "furthestStage", "teamBodies", "selfReliance", "id");

-- CreateIndex
CREATE INDEX "ReferralPairTally_fiscalYear_recipientOrganisationId_idx" ON "ReferralPairTally"("fiscalYear", "recipientOrganisationId");

-- ── Report tallies ─────────────────────────────────────────────────────────────────────────────
-- Function bodies are E-strings with octal 073 for the semicolon: the migration runner splits scripts
-- at semicolons.

-- The fiscal year (年度, April–March in Japan time) of an instant stored as UTC.
CREATE FUNCTION report_fiscal_year(at timestamp) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS E'SELECT extract(year FROM at + interval ''9 hours'' - interval ''3 months'')::integer';

-- A referral the receiver took on (cancelled after an answer means it had been accepted).
CREATE FUNCTION report_referral_accepted(status "ReferralStatus", answered boolean) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS E'SELECT status IN (''ACCEPTED'', ''IN_PROGRESS'', ''ON_HOLD'', ''COMPLETED'') OR (status = ''CANCELLED'' AND answered)';

-- The referral tallies follow every statement that writes referrals, set-based: one grouped upsert per
-- tally and statement, in key order (concurrent writers lock tally rows in the same order), nothing
-- written where the statement changed nothing the tallies count. Rows that stop counting keep zeros.
CREATE FUNCTION report_referral_tallies_follow() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''INSERT'' THEN
    INSERT INTO "ReferralPairTally" AS t ("fiscalYear", "senderOrganisationId", "recipientOrganisationId", sent, accepted)
    SELECT report_fiscal_year("sentAt"), "senderOrganisationId", "recipientOrganisationId", count(*), count(*) FILTER (WHERE report_referral_accepted(status, "respondedAt" IS NOT NULL))
      FROM new_rows WHERE "sentAt" IS NOT NULL
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT ("fiscalYear", "senderOrganisationId", "recipientOrganisationId") DO UPDATE SET sent = t.sent + EXCLUDED.sent, accepted = t.accepted + EXCLUDED.accepted\073
    INSERT INTO "ReferralAnswerTally" AS t ("fiscalYear", "recipientOrganisationId", status, "declineReason", "respondedBusinessDays", answered, count)
    SELECT report_fiscal_year("sentAt"), "recipientOrganisationId", status, coalesce("declineReason"::text, ''''), coalesce("respondedBusinessDays", -1), "respondedAt" IS NOT NULL, count(*)
      FROM new_rows WHERE "sentAt" IS NOT NULL
     GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ("fiscalYear", "recipientOrganisationId", status, "declineReason", "respondedBusinessDays", answered) DO UPDATE SET count = t.count + EXCLUDED.count\073
  ELSIF TG_OP = ''DELETE'' THEN
    INSERT INTO "ReferralPairTally" AS t ("fiscalYear", "senderOrganisationId", "recipientOrganisationId", sent, accepted)
    SELECT report_fiscal_year("sentAt"), "senderOrganisationId", "recipientOrganisationId", -count(*), -count(*) FILTER (WHERE report_referral_accepted(status, "respondedAt" IS NOT NULL))
      FROM old_rows WHERE "sentAt" IS NOT NULL
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT ("fiscalYear", "senderOrganisationId", "recipientOrganisationId") DO UPDATE SET sent = t.sent + EXCLUDED.sent, accepted = t.accepted + EXCLUDED.accepted\073
    INSERT INTO "ReferralAnswerTally" AS t ("fiscalYear", "recipientOrganisationId", status, "declineReason", "respondedBusinessDays", answered, count)
    SELECT report_fiscal_year("sentAt"), "recipientOrganisationId", status, coalesce("declineReason"::text, ''''), coalesce("respondedBusinessDays", -1), "respondedAt" IS NOT NULL, -count(*)
      FROM old_rows WHERE "sentAt" IS NOT NULL
     GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ("fiscalYear", "recipientOrganisationId", status, "declineReason", "respondedBusinessDays", answered) DO UPDATE SET count = t.count + EXCLUDED.count\073
  ELSE
    INSERT INTO "ReferralPairTally" AS t ("fiscalYear", "senderOrganisationId", "recipientOrganisationId", sent, accepted)
    SELECT fy, s, r, sum(sent), sum(accepted) FROM (
      SELECT report_fiscal_year("sentAt") AS fy, "senderOrganisationId" AS s, "recipientOrganisationId" AS r, 1 AS sent, report_referral_accepted(status, "respondedAt" IS NOT NULL)::int AS accepted
        FROM new_rows WHERE "sentAt" IS NOT NULL
      UNION ALL
      SELECT report_fiscal_year("sentAt"), "senderOrganisationId", "recipientOrganisationId", -1, -report_referral_accepted(status, "respondedAt" IS NOT NULL)::int
        FROM old_rows WHERE "sentAt" IS NOT NULL
    ) d GROUP BY 1, 2, 3 HAVING sum(sent) <> 0 OR sum(accepted) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT ("fiscalYear", "senderOrganisationId", "recipientOrganisationId") DO UPDATE SET sent = t.sent + EXCLUDED.sent, accepted = t.accepted + EXCLUDED.accepted\073
    INSERT INTO "ReferralAnswerTally" AS t ("fiscalYear", "recipientOrganisationId", status, "declineReason", "respondedBusinessDays", answered, count)
    SELECT fy, r, st, reason, days, answered, sum(delta) FROM (
      SELECT report_fiscal_year("sentAt") AS fy, "recipientOrganisationId" AS r, status AS st, coalesce("declineReason"::text, '''') AS reason, coalesce("respondedBusinessDays", -1) AS days, "respondedAt" IS NOT NULL AS answered, 1 AS delta
        FROM new_rows WHERE "sentAt" IS NOT NULL
      UNION ALL
      SELECT report_fiscal_year("sentAt"), "recipientOrganisationId", status, coalesce("declineReason"::text, ''''), coalesce("respondedBusinessDays", -1), "respondedAt" IS NOT NULL, -1
        FROM old_rows WHERE "sentAt" IS NOT NULL
    ) d GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ("fiscalYear", "recipientOrganisationId", status, "declineReason", "respondedBusinessDays", answered) DO UPDATE SET count = t.count + EXCLUDED.count\073
  END IF\073
  RETURN NULL\073
END
';

CREATE TRIGGER referral_tallies_insert AFTER INSERT ON "Referral" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_referral_tallies_follow();
CREATE TRIGGER referral_tallies_update AFTER UPDATE ON "Referral" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_referral_tallies_follow();
CREATE TRIGGER referral_tallies_delete AFTER DELETE ON "Referral" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_referral_tallies_follow();

-- The furthest stage: the stage an engagement is put in, and any stage its history records.
CREATE FUNCTION engagement_furthest_stage_keep() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  NEW."furthestStage" := greatest(NEW."furthestStage", NEW.stage)\073
  RETURN NEW\073
END
';

CREATE TRIGGER engagement_furthest_stage BEFORE INSERT OR UPDATE OF stage, "furthestStage" ON "Engagement"
  FOR EACH ROW EXECUTE FUNCTION engagement_furthest_stage_keep();

CREATE FUNCTION engagement_furthest_stage_follow() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  UPDATE "Engagement" e SET "furthestStage" = c.furthest
    FROM (SELECT "engagementId", max("toStage") AS furthest FROM new_rows GROUP BY 1 ORDER BY 1) c
   WHERE e.id = c."engagementId" AND e."furthestStage" < c.furthest\073
  RETURN NULL\073
END
';

CREATE TRIGGER engagement_stage_change_furthest AFTER INSERT ON "EngagementStageChange" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION engagement_furthest_stage_follow();

-- The bodies on a team: recounted for the engagements a statement on TeamMember touched.
CREATE FUNCTION engagement_team_bodies_count(ids uuid[]) RETURNS void LANGUAGE sql AS E'
  UPDATE "Engagement" e SET "teamBodies" = s.bodies
    FROM (
      SELECT x.id, 1 + count(DISTINCT m."organisationId") FILTER (WHERE m."organisationId" <> x."ownerOrganisationId") AS bodies
        FROM "Engagement" x LEFT JOIN "TeamMember" m ON m."engagementId" = x.id AND m.status IN (''ACCEPTED'', ''LEFT'')
       WHERE x.id = ANY (ids)
       GROUP BY x.id
    ) s
   WHERE e.id = s.id AND e."teamBodies" <> s.bodies
';

CREATE FUNCTION engagement_team_bodies_follow() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''DELETE'' THEN
    PERFORM engagement_team_bodies_count(ARRAY(SELECT DISTINCT "engagementId" FROM old_rows ORDER BY 1))\073
  ELSE
    PERFORM engagement_team_bodies_count(ARRAY(SELECT DISTINCT "engagementId" FROM new_rows ORDER BY 1))\073
  END IF\073
  RETURN NULL\073
END
';

-- A member's engagement never changes, so the new rows name every engagement an insert or update touched.
CREATE TRIGGER team_member_bodies_insert AFTER INSERT ON "TeamMember" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION engagement_team_bodies_follow();
CREATE TRIGGER team_member_bodies_update AFTER UPDATE ON "TeamMember" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION engagement_team_bodies_follow();
CREATE TRIGGER team_member_bodies_delete AFTER DELETE ON "TeamMember" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION engagement_team_bodies_follow();

-- Everything above rebuilt from the rows themselves, with their writers held off meanwhile: after a
-- bulk load with triggers disabled, or to check the tallies. Also fills them for existing data here.
CREATE FUNCTION report_tallies_rebuild() RETURNS void LANGUAGE plpgsql AS E'
BEGIN
  LOCK TABLE "Referral", "EngagementStageChange", "TeamMember" IN SHARE MODE\073
  DELETE FROM "ReferralPairTally"\073
  DELETE FROM "ReferralAnswerTally"\073
  INSERT INTO "ReferralPairTally" ("fiscalYear", "senderOrganisationId", "recipientOrganisationId", sent, accepted)
  SELECT report_fiscal_year("sentAt"), "senderOrganisationId", "recipientOrganisationId", count(*), count(*) FILTER (WHERE report_referral_accepted(status, "respondedAt" IS NOT NULL))
    FROM "Referral" WHERE "sentAt" IS NOT NULL GROUP BY 1, 2, 3\073
  INSERT INTO "ReferralAnswerTally" ("fiscalYear", "recipientOrganisationId", status, "declineReason", "respondedBusinessDays", answered, count)
  SELECT report_fiscal_year("sentAt"), "recipientOrganisationId", status, coalesce("declineReason"::text, ''''), coalesce("respondedBusinessDays", -1), "respondedAt" IS NOT NULL, count(*)
    FROM "Referral" WHERE "sentAt" IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6\073
  UPDATE "Engagement" e SET "furthestStage" = s.furthest, "teamBodies" = s.bodies
    FROM (
      SELECT x.id,
             greatest(x.stage, (SELECT max(c."toStage") FROM "EngagementStageChange" c WHERE c."engagementId" = x.id)) AS furthest,
             1 + (SELECT count(DISTINCT m."organisationId") FROM "TeamMember" m WHERE m."engagementId" = x.id AND m.status IN (''ACCEPTED'', ''LEFT'') AND m."organisationId" <> x."ownerOrganisationId") AS bodies
        FROM "Engagement" x
    ) s
   WHERE e.id = s.id AND (e."furthestStage" IS DISTINCT FROM s.furthest OR e."teamBodies" <> s.bodies)\073
END
';

SELECT report_tallies_rebuild();
