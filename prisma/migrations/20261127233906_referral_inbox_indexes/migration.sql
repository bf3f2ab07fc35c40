-- DropIndex
DROP INDEX "Referral_recipientOrganisationId_status_sentAt_idx";

-- CreateIndex
CREATE INDEX "FirmConsent_withdrawnAt_id_idx" ON "FirmConsent"("withdrawnAt", "id");

-- CreateIndex
CREATE INDEX "Referral_inbox_due_idx" ON "Referral"("recipientOrganisationId", "status", "responseDueAt", "id", "consentId");

-- CreateIndex
CREATE INDEX "Referral_inbox_updated_idx" ON "Referral"("recipientOrganisationId", "updatedAt", "id", "status", "consentId");

-- CreateIndex
CREATE INDEX "Referral_senderOrganisationId_status_idx" ON "Referral"("senderOrganisationId", "status");
