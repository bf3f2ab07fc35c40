/**
 * Demo accounts, one per role, for the embedded demo mode (`npm start` without DATABASE_URL) and the
 * tests. Never created against a configured database: the password below is public.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import type { Role } from '../../generated/prisma/enums';
import { hashPassword } from '../../services/accounts/credentials';

export const DEMO_PASSWORD = 'banso-demo-2024!';

export interface DemoAccount {
  email: string;
  displayName: string;
  /** Directory person slug, when the account is a supporter in the directory. */
  personSlug?: string;
  memberships: Array<{ organisationSlug: string; roles: Role[] }>;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: 'hub-admin@banso.example.jp', displayName: 'ハブ管理者 (デモ)', memberships: [{ organisationSlug: 'sme-agency-banso', roles: ['HUB_ADMIN'] }] },
  { email: 'secretariat@banso.example.jp', displayName: '木村 大輔', personSlug: 'demo-kimura', memberships: [{ organisationSlug: 'sme-agency-banso', roles: ['SECRETARIAT'] }] },
  { email: 'observer@fsa.example.jp', displayName: '金融庁 オブザーバー (デモ)', memberships: [{ organisationSlug: 'fsa-banks-2', roles: ['OBSERVER'] }] },
  {
    email: 'admin@yorozu-niigata.example.jp',
    displayName: '高橋 美咲',
    personSlug: 'demo-takahashi',
    memberships: [
      { organisationSlug: 'niigata-yorozu', roles: ['ORG_ADMIN', 'SUPPORTER'] },
      { organisationSlug: 'niigata-smeca', roles: ['SUPPORTER'] },
    ],
  },
  { email: 'staff@yorozu-niigata.example.jp', displayName: '石川 健一', personSlug: 'demo-ishikawa', memberships: [{ organisationSlug: 'niigata-yorozu', roles: ['SUPPORTER'] }] },
  { email: 'lead@smrj-kanto.example.jp', displayName: '渡辺 誠', personSlug: 'demo-watanabe', memberships: [{ organisationSlug: 'smrj-kanto', roles: ['TEAM_LEAD', 'SUPPORTER'] }] },
  { email: 'admin@echigo-shinkin.example.jp', displayName: '越後中央信用金庫 管理者 (デモ)', memberships: [{ organisationSlug: 'niigata-shinkin-demo', roles: ['ORG_ADMIN'] }] },
  { email: 'staff@echigo-shinkin.example.jp', displayName: '小林 由紀', personSlug: 'demo-kobayashi', memberships: [{ organisationSlug: 'niigata-shinkin-demo', roles: ['SUPPORTER'] }] },
];

/** Creates the demo accounts that do not exist yet (idempotent by email). */
export async function seedDemoAccounts(prisma: PrismaClient): Promise<number> {
  const orgs = new Map((await prisma.organisation.findMany({ select: { id: true, slug: true } })).map((o) => [o.slug, o.id]));
  const people = new Map((await prisma.person.findMany({ select: { id: true, slug: true } })).map((p) => [p.slug, p.id]));
  let passwordHash: string | undefined;
  let created = 0;
  for (const demo of DEMO_ACCOUNTS) {
    let account = await prisma.account.findUnique({ where: { email: demo.email } });
    if (!account) {
      passwordHash ??= await hashPassword(DEMO_PASSWORD);
      account = await prisma.account.create({
        data: { email: demo.email, displayName: demo.displayName, passwordHash, demo: true, personId: demo.personSlug ? (people.get(demo.personSlug) ?? null) : null },
      });
      created += 1;
    }
    for (const m of demo.memberships) {
      const organisationId = orgs.get(m.organisationSlug);
      if (!organisationId) throw new Error(`demo account ${demo.email}: organisation "${m.organisationSlug}" is not seeded`);
      await prisma.accountMembership.upsert({
        where: { accountId_organisationId: { accountId: account.id, organisationId } },
        create: { accountId: account.id, organisationId, roles: m.roles },
        update: {},
      });
    }
  }
  return created;
}
