/**
 * The one way firm data is recorded as crossing bodies (APPI art. 29): the consent is marked shared
 * and a 第三者提供記録 is written, kept three years. Referrals and engagements both call this inside
 * the transaction that shares the data.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import type { ConsentCategory } from '../../generated/prisma/enums';

export const PROVISION_RETENTION_YEARS = 3;

export interface Provision {
  at: Date;
  providerOrganisationId: string;
  recipientOrganisationId: string;
  firm: { id: string; nameJa: string; corporateNumber: string | null; representativeName: string | null };
  consent: { id: string; givenBy: string };
  dataItems: ConsentCategory[];
  referralId: string | null;
  recordedByAccountId: string;
}

export async function recordProvision(db: Pick<PrismaClient, 'firmConsent' | 'provisionRecord'>, p: Provision): Promise<void> {
  await db.firmConsent.updateMany({ where: { id: p.consent.id, firstSharedAt: null }, data: { firstSharedAt: p.at } });
  const retainUntil = new Date(p.at);
  retainUntil.setUTCFullYear(retainUntil.getUTCFullYear() + PROVISION_RETENTION_YEARS);
  await db.provisionRecord.create({
    data: {
      providedAt: p.at,
      providerOrganisationId: p.providerOrganisationId,
      recipientOrganisationId: p.recipientOrganisationId,
      firmId: p.firm.id,
      firmName: p.firm.nameJa,
      corporateNumber: p.firm.corporateNumber,
      personsConcerned: [...new Set([p.firm.representativeName, p.consent.givenBy].filter((x): x is string => !!x))],
      dataItems: p.dataItems,
      consentId: p.consent.id,
      referralId: p.referralId,
      recordedByAccountId: p.recordedByAccountId,
      retainUntil,
    },
  });
}
