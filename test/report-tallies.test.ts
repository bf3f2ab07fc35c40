/**
 * What the database keeps for the reports, in a PostgreSQL database of this file's own (its rebuild
 * locks tables other files write): the referral tallies by fiscal year (ReferralPairTally,
 * ReferralAnswerTally) and the engagement's furthest stage and number of team bodies. Every kind of
 * write is made — single and multi-row inserts, updates and deletes, drafts sent later, concurrent
 * answers — and after each the tallies must equal the referrals counted here in TypeScript (fiscal
 * year in Japan time, "accepted" as the reports define it), independently of the database's functions.
 * A damaged tally is repaired by report_tallies_rebuild().
 */
import { DirectoryStore } from '../services/directory/directory.store';
import { fiscalYearOf } from '../services/reports/fiscal-years';
import type { PrismaClient } from '../services/shared/database';
import { privateDatabase, type PrivateDatabase } from './support/private-database';

let privateDb: PrivateDatabase;
let prisma: PrismaClient;
const ACCOUNT = '00000000-0000-4000-8000-0000000000a1';
const org: Record<'bank' | 'yorozu' | 'tax', string> = { bank: '', yorozu: '', tax: '' };
let firmId = '';

const jst = (day: string, time = '10:00') => new Date(`${day}T${time}:00+09:00`);

beforeAll(async () => {
  privateDb = await privateDatabase('tallies');
  prisma = privateDb.db.prisma;
  const directory = new DirectoryStore(prisma);
  for (const [key, category] of [['bank', 'FINANCIAL'], ['yorozu', 'PUBLIC_BODY'], ['tax', 'PROFESSIONAL']] as const) {
    const row = await directory.upsertOrganisation({ slug: `tally-${key}`, nameJa: `集計テスト${key}`, nameEn: `Tally ${key}`, nameKana: 'シュウケイ', category, councilRole: 'NONE', prefectureCode: '15', website: null, description: null, parentId: null });
    org[key] = row.id;
  }
  const firm = await prisma.firm.create({ data: { nameJa: '株式会社集計テスト', nameKana: 'シュウケイテスト', prefectureCode: '15', industryDivision: 'E', matchKey: 'tally-firm', createdByOrganisationId: org.bank, createdByAccountId: ACCOUNT } });
  firmId = firm.id;
});
afterAll(async () => {
  await privateDb?.drop();
});

type Status = 'DRAFT' | 'SENT' | 'ACCEPTED' | 'DECLINED' | 'FORWARDED' | 'IN_PROGRESS' | 'ON_HOLD' | 'COMPLETED' | 'CANCELLED';
const referral = (from: string, to: string, sentAt: Date | null, status: Status = sentAt ? 'SENT' : 'DRAFT') => ({
  firmId,
  senderOrganisationId: from,
  senderAccountId: ACCOUNT,
  recipientOrganisationId: to,
  supportType: 'ISSUE_SETTING' as const,
  reason: '集計テスト',
  summary: '集計テスト',
  status,
  sentAt,
});

/** The tallies' rows that count something, as sorted lines. */
async function tallied(): Promise<{ pairs: string[]; answers: string[] }> {
  const pairs = await prisma.referralPairTally.findMany({ where: { OR: [{ sent: { not: 0 } }, { accepted: { not: 0 } }] } });
  const answers = await prisma.referralAnswerTally.findMany({ where: { count: { not: 0 } } });
  return {
    pairs: pairs.map((p) => `${p.fiscalYear} ${p.senderOrganisationId}→${p.recipientOrganisationId} sent ${p.sent} accepted ${p.accepted}`).sort(),
    answers: answers.map((a) => `${a.fiscalYear} ${a.recipientOrganisationId} ${a.status} ${a.declineReason || '-'} ${a.respondedBusinessDays} ${a.answered ? 'answered' : 'open'} × ${a.count}`).sort(),
  };
}

/** The same counted here from the referrals. */
async function counted(): Promise<{ pairs: string[]; answers: string[] }> {
  const rows = await prisma.referral.findMany({ where: { sentAt: { not: null } } });
  const pairs = new Map<string, { sent: number; accepted: number }>();
  const answers = new Map<string, number>();
  for (const r of rows) {
    const fy = fiscalYearOf(r.sentAt!);
    const accepted = ['ACCEPTED', 'IN_PROGRESS', 'ON_HOLD', 'COMPLETED'].includes(r.status) || (r.status === 'CANCELLED' && r.respondedAt !== null);
    const pk = `${fy} ${r.senderOrganisationId}→${r.recipientOrganisationId}`;
    const p = pairs.get(pk) ?? { sent: 0, accepted: 0 };
    p.sent += 1;
    p.accepted += accepted ? 1 : 0;
    pairs.set(pk, p);
    const ak = `${fy} ${r.recipientOrganisationId} ${r.status} ${r.declineReason ?? '-'} ${r.respondedBusinessDays ?? -1} ${r.respondedAt ? 'answered' : 'open'}`;
    answers.set(ak, (answers.get(ak) ?? 0) + 1);
  }
  return {
    pairs: [...pairs].map(([k, p]) => `${k} sent ${p.sent} accepted ${p.accepted}`).sort(),
    answers: [...answers].map(([k, c]) => `${k} × ${c}`).sort(),
  };
}

async function expectTalliesToMatch(): Promise<void> {
  expect(await tallied()).toEqual(await counted());
}

describe('the referral tallies follow every write', () => {
  test('inserts one at a time and many at once, drafts not counted, 31 March and 1 April in their own years', async () => {
    await prisma.referral.create({ data: referral(org.bank, org.yorozu, jst('2026-03-31', '23:59')) });
    await prisma.referral.create({ data: referral(org.bank, org.yorozu, jst('2026-04-01', '00:00')) });
    await prisma.referral.create({ data: referral(org.bank, org.yorozu, null) });
    await prisma.referral.createMany({
      data: [
        referral(org.bank, org.yorozu, jst('2025-06-02')),
        referral(org.bank, org.yorozu, jst('2025-07-01')),
        referral(org.tax, org.yorozu, jst('2025-12-01')),
        referral(org.yorozu, org.bank, jst('2025-03-31', '23:30')),
        referral(org.tax, org.bank, null),
      ],
    });
    await expectTalliesToMatch();
    const { pairs } = await tallied();
    expect(pairs).toEqual(
      [
        `2024 ${org.yorozu}→${org.bank} sent 1 accepted 0`,
        `2025 ${org.bank}→${org.yorozu} sent 3 accepted 0`,
        `2025 ${org.tax}→${org.yorozu} sent 1 accepted 0`,
        `2026 ${org.bank}→${org.yorozu} sent 1 accepted 0`,
      ].sort(),
    );
  });

  test('answers, a draft sent later, a status change over many rows and a cancellation after acceptance', async () => {
    const [first, second] = await prisma.referral.findMany({ where: { senderOrganisationId: org.bank, sentAt: { gte: jst('2025-04-01', '00:00'), lt: jst('2025-08-01') } }, orderBy: { sentAt: 'asc' } });
    await prisma.referral.update({ where: { id: first!.id }, data: { status: 'ACCEPTED', respondedAt: jst('2025-06-04'), respondedBusinessDays: 2 } });
    await prisma.referral.update({ where: { id: second!.id }, data: { status: 'DECLINED', declineReason: 'NO_CAPACITY', respondedAt: jst('2025-07-01', '15:00'), respondedBusinessDays: 0 } });
    await expectTalliesToMatch();

    const draft = await prisma.referral.findFirstOrThrow({ where: { senderOrganisationId: org.bank, status: 'DRAFT' } });
    await prisma.referral.update({ where: { id: draft.id }, data: { status: 'SENT', sentAt: jst('2025-11-04') } });
    await expectTalliesToMatch();

    // Everything the tax accountants sent is accepted, then one is cancelled (still counted as accepted).
    await prisma.referral.updateMany({ where: { senderOrganisationId: org.tax, status: 'SENT' }, data: { status: 'IN_PROGRESS', respondedAt: jst('2025-12-02'), respondedBusinessDays: 1 } });
    const taxOne = await prisma.referral.findFirstOrThrow({ where: { senderOrganisationId: org.tax, status: 'IN_PROGRESS' } });
    await prisma.referral.update({ where: { id: taxOne.id }, data: { status: 'CANCELLED' } });
    await expectTalliesToMatch();
    const { pairs } = await tallied();
    expect(pairs).toContain(`2025 ${org.tax}→${org.yorozu} sent 1 accepted 1`);
    expect(pairs).toContain(`2025 ${org.bank}→${org.yorozu} sent 4 accepted 1`);

    // A change that touches nothing counted (the summary) leaves the tallies as they are.
    await prisma.referral.updateMany({ where: { firmId }, data: { summary: '集計テスト(更新)' } });
    await expectTalliesToMatch();
  });

  test('concurrent answers to the same body lose nothing', async () => {
    await prisma.referral.createMany({ data: Array.from({ length: 24 }, (_, i) => referral(i % 2 ? org.bank : org.tax, org.yorozu, jst('2025-09-01', `1${i % 10}:00`))) });
    const open = await prisma.referral.findMany({ where: { recipientOrganisationId: org.yorozu, status: 'SENT', sentAt: { gte: jst('2025-09-01', '00:00'), lt: jst('2025-09-02', '00:00') } } });
    expect(open).toHaveLength(24);
    await Promise.all(
      open.map((r, i) =>
        prisma.$transaction(async (tx) => {
          await tx.referral.update({ where: { id: r.id }, data: i % 3 === 0 ? { status: 'DECLINED', declineReason: 'OUT_OF_AREA', respondedAt: jst('2025-09-02'), respondedBusinessDays: 1 } : { status: 'ACCEPTED', respondedAt: jst('2025-09-03'), respondedBusinessDays: 2 } });
        }),
      ),
    );
    await expectTalliesToMatch();
  });

  test('deletes, one and many', async () => {
    const one = await prisma.referral.findFirstOrThrow({ where: { recipientOrganisationId: org.bank, sentAt: { not: null } } });
    await prisma.referral.delete({ where: { id: one.id } });
    await prisma.referral.deleteMany({ where: { recipientOrganisationId: org.yorozu, status: 'DECLINED', declineReason: 'OUT_OF_AREA' } });
    await expectTalliesToMatch();
    expect((await tallied()).pairs.some((p) => p.startsWith(`2024 ${org.yorozu}→${org.bank}`))).toBe(false);
  });

  test('report_tallies_rebuild() repairs a damaged tally from the referrals', async () => {
    const before = await tallied();
    await prisma.$executeRaw`UPDATE "ReferralPairTally" SET sent = sent + 5`;
    await prisma.$executeRaw`DELETE FROM "ReferralAnswerTally" WHERE status = 'ACCEPTED'`;
    await prisma.$executeRaw`INSERT INTO "ReferralAnswerTally" ("fiscalYear", "recipientOrganisationId", status, answered, count) VALUES (2019, ${org.tax}::uuid, 'SENT', false, 3)`;
    expect(await tallied()).not.toEqual(before);
    await prisma.$executeRaw`SELECT report_tallies_rebuild()`;
    expect(await tallied()).toEqual(before);
    await expectTalliesToMatch();
  });
});

describe('an engagement’s furthest stage and team bodies follow its changes', () => {
  const engagementOf = (id: string) => prisma.engagement.findUniqueOrThrow({ where: { id }, select: { stage: true, furthestStage: true, teamBodies: true } });
  const member = (engagementId: string, organisationId: string, status: 'INVITED' | 'ACCEPTED') => ({ engagementId, personId: ACCOUNT, organisationId, slot: 'SPECIALIST' as const, status, invitedById: ACCOUNT });

  test('the furthest stage is the furthest the engagement or its history reached, also after a step back', async () => {
    const e = await prisma.engagement.create({ data: { firmId, ownerOrganisationId: org.yorozu, leadAccountId: ACCOUNT, supportType: 'ISSUE_SETTING', stage: 'TRUST_BUILDING' } });
    expect(await engagementOf(e.id)).toMatchObject({ stage: 'TRUST_BUILDING', furthestStage: 'TRUST_BUILDING', teamBodies: 1 });
    await prisma.engagement.update({ where: { id: e.id }, data: { stage: 'AWARENESS' } });
    await prisma.engagement.update({ where: { id: e.id }, data: { stage: 'MUTUAL_UNDERSTANDING' } });
    expect(await engagementOf(e.id)).toMatchObject({ stage: 'MUTUAL_UNDERSTANDING', furthestStage: 'AWARENESS' });
    // History recorded without moving the engagement (as imports do) counts too.
    await prisma.engagementStageChange.createMany({
      data: [
        { engagementId: e.id, fromStage: 'AWARENESS', toStage: 'PROBLEM_SOLVING', actorAccountId: ACCOUNT },
        { engagementId: e.id, fromStage: 'PROBLEM_SOLVING', toStage: 'INTRINSIC_MOTIVATION', actorAccountId: ACCOUNT },
      ],
    });
    expect(await engagementOf(e.id)).toMatchObject({ stage: 'MUTUAL_UNDERSTANDING', furthestStage: 'PROBLEM_SOLVING' });
  });

  test('team bodies: the owner and each other body with a member who accepted, also after leaving', async () => {
    const e = await prisma.engagement.create({ data: { firmId, ownerOrganisationId: org.yorozu, leadAccountId: ACCOUNT, supportType: 'ISSUE_SETTING' } });
    await prisma.teamMember.create({ data: member(e.id, org.yorozu, 'ACCEPTED') }); // the owner's own supporter
    const bankInvite = await prisma.teamMember.create({ data: member(e.id, org.bank, 'INVITED') });
    expect((await engagementOf(e.id)).teamBodies).toBe(1);
    await prisma.teamMember.update({ where: { id: bankInvite.id }, data: { status: 'ACCEPTED' } });
    await prisma.teamMember.createMany({ data: [member(e.id, org.bank, 'ACCEPTED'), member(e.id, org.tax, 'ACCEPTED')] });
    expect((await engagementOf(e.id)).teamBodies).toBe(3);
    await prisma.teamMember.updateMany({ where: { engagementId: e.id, organisationId: org.tax }, data: { status: 'LEFT' } });
    expect((await engagementOf(e.id)).teamBodies).toBe(3);
    await prisma.teamMember.updateMany({ where: { engagementId: e.id, organisationId: org.tax }, data: { status: 'REMOVED' } });
    expect((await engagementOf(e.id)).teamBodies).toBe(2);
    await prisma.teamMember.deleteMany({ where: { engagementId: e.id, organisationId: org.bank } });
    expect((await engagementOf(e.id)).teamBodies).toBe(1);

    await prisma.teamMember.create({ data: member(e.id, org.tax, 'ACCEPTED') });
    await prisma.$executeRaw`UPDATE "Engagement" SET "teamBodies" = 9, "furthestStage" = 'FOLLOW_UP' WHERE id = ${e.id}::uuid`;
    await prisma.$executeRaw`SELECT report_tallies_rebuild()`;
    expect(await engagementOf(e.id)).toMatchObject({ stage: 'TARGETING', furthestStage: 'TARGETING', teamBodies: 2 });
  });
});
