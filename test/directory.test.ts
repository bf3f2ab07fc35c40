/**
 * The directory through the gateway, against the real PostgreSQL seeded with the council's bodies.
 */
import type { RunningHub } from '../gateway/hub';
import { graphql, signIn, startTestHub } from './support/hub';

let hub: RunningHub;
let supporter: { cookie: string };
beforeAll(async () => {
  hub = await startTestHub();
  supporter = await signIn(hub.url, 'staff@yorozu-niigata.example.jp');
});
afterAll(async () => {
  await hub?.stop();
});

interface OrgNode {
  id: string;
  nameJa: string;
  category: string;
  councilRole: string;
}
interface OrgsData {
  organisations: { totalCount: number; nodes: OrgNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

const LIST = /* GraphQL */ `
  query List($filter: OrganisationFilter, $first: Int, $after: String) {
    organisations(filter: $filter, first: $first, after: $after) {
      totalCount
      nodes { id nameJa category councilRole }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

// shared/DOMAIN.md, "Who takes part".
const COUNCIL: Record<string, string[]> = {
  COMMERCE_AND_INDUSTRY: ['日本商工会議所', '全国商工会連合会', '全国中小企業団体中央会'],
  PROFESSIONAL: ['日本税理士会連合会', '日本公認会計士協会', '中小企業診断協会', '日本弁護士連合会', '全国社会保険労務士会連合会'],
  FINANCIAL: ['全国地方銀行協会', '第二地方銀行協会', '全国信用金庫協会', '全国信用組合中央協会', '日本政策金融公庫', '商工組合中央金庫', '全国信用保証協会連合会'],
  ADMINISTRATIVE_AGENCY: ['中小企業基盤整備機構'],
};

describe('the council directory', () => {
  test('lists the 16 member bodies in their four categories, and the observer', async () => {
    const members = await graphql<OrgsData>(hub.url, LIST, { filter: { councilRole: 'MEMBER' }, first: 100 });
    expect(members.body.errors).toBeUndefined();
    const byCategory: Record<string, string[]> = {};
    for (const n of members.body.data!.organisations.nodes) (byCategory[n.category] ??= []).push(n.nameJa);
    for (const [category, names] of Object.entries(COUNCIL)) expect(byCategory[category]?.sort()).toEqual([...names].sort());
    expect(members.body.data!.organisations.totalCount).toBe(16);

    const observers = await graphql<OrgsData>(hub.url, LIST, { filter: { councilRole: 'OBSERVER' } });
    expect(observers.body.data!.organisations.nodes.map((n) => [n.nameJa, n.category])).toEqual([['金融庁 監督局 銀行第二課', 'OBSERVER']]);
  });

  test('filters by category and counts each category', async () => {
    const res = await graphql<OrgsData>(hub.url, LIST, { filter: { categories: ['PROFESSIONAL', 'ADMINISTRATIVE_AGENCY'] }, first: 100 });
    const categories = new Set(res.body.data!.organisations.nodes.map((n) => n.category));
    expect([...categories].sort()).toEqual(['ADMINISTRATIVE_AGENCY', 'PROFESSIONAL']);
    expect(res.body.data!.organisations.nodes.map((n) => n.nameJa)).toEqual(
      expect.arrayContaining([...COUNCIL.PROFESSIONAL, ...COUNCIL.ADMINISTRATIVE_AGENCY]),
    );

    const counts = await graphql<{ organisationCategoryCounts: Array<{ category: string; count: number }> }>(
      hub.url,
      '{ organisationCategoryCounts { category count } }',
    );
    const list = counts.body.data!.organisationCategoryCounts;
    // Directory order, as the filter chips show them.
    expect(list.map((c) => c.category)).toEqual(['COMMERCE_AND_INDUSTRY', 'PROFESSIONAL', 'FINANCIAL', 'ADMINISTRATIVE_AGENCY', 'OBSERVER', 'PUBLIC_BODY']);
    const all = await graphql<OrgsData>(hub.url, LIST, { first: 100 });
    expect(list.reduce((sum, c) => sum + c.count, 0)).toBe(all.body.data!.organisations.totalCount);
  });

  test.each([
    ['a Japanese name fragment', '信用金庫', ['全国信用金庫協会', '越後中央信用金庫']],
    ['the reading in hiragana', 'しょうこうかいぎしょ', ['日本商工会議所', '新潟商工会議所']],
    ['the reading in half-width katakana', 'ｼｮｳｺｳｶｲｷﾞｼｮ', ['日本商工会議所', '新潟商工会議所']],
    ['the English name, in any case', 'shoko CHUKIN', ['商工組合中央金庫']],
  ])('searches by %s', async (_label, search, expected) => {
    const res = await graphql<OrgsData>(hub.url, LIST, { filter: { search }, first: 100 });
    expect(res.body.data!.organisations.nodes.map((n) => n.nameJa).sort()).toEqual([...expected].sort());
  });

  test('pages through the whole directory with cursors, without gaps or repeats', async () => {
    const all = await graphql<OrgsData>(hub.url, LIST, { first: 100 });
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i += 1) {
      const page: Awaited<ReturnType<typeof graphql<OrgsData>>> = await graphql<OrgsData>(hub.url, LIST, { first: 4, after });
      const conn = page.body.data!.organisations;
      seen.push(...conn.nodes.map((n) => n.id));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.body.data!.organisations.nodes.map((n) => n.id));
    expect(new Set(seen).size).toBe(all.body.data!.organisations.totalCount);
  });

  test('an organisation page shows parent, branches and affiliated supporters', async () => {
    const list = await graphql<OrgsData>(hub.url, LIST, { filter: { search: '中小企業基盤整備機構' }, first: 10 });
    const smrj = list.body.data!.organisations.nodes.find((n) => n.nameJa === '中小企業基盤整備機構')!;
    const res = await graphql<{
      organisation: { nameEn: string; children: Array<{ nameJa: string; parent: { nameJa: string } }>; members: { totalCount: number } };
    }>(
      hub.url,
      `query($id: ID!) { organisation(id: $id) { nameEn children { nameJa parent { nameJa } } members { totalCount } } }`,
      { id: smrj.id },
      supporter,
    );
    expect(res.body.data!.organisation.nameEn).toContain('SMRJ');
    expect(res.body.data!.organisation.children).toEqual([{ nameJa: '中小企業基盤整備機構 関東本部', parent: { nameJa: '中小企業基盤整備機構' } }]);

    const branch = await graphql<{ organisations: { nodes: Array<{ members: { nodes: Array<{ nameJa: string; qualifications: string[]; regions: Array<{ code: string }>; affiliations: Array<{ title: string; primary: boolean }> }> } }> } }>(
      hub.url,
      `{ organisations(filter: { search: "関東本部" }, first: 5) { nodes { members(first: 10) { nodes { nameJa qualifications regions { code } affiliations { title primary } } } } } }`,
      {},
      supporter,
    );
    const [member] = branch.body.data!.organisations.nodes[0].members.nodes;
    expect(member.nameJa).toBe('渡辺 誠');
    expect(member.qualifications).toEqual(['SME_CONSULTANT', 'PROFESSIONAL_ENGINEER']);
    expect(member.regions.map((r) => r.code)).toEqual(['13', '15', '20']);
    expect(member.affiliations).toEqual([{ title: '経営支援部 プロジェクトマネージャー', primary: true }]);
  });

  test("an anonymous visitor sees the bodies but not their supporters", async () => {
    const res = await graphql<{ organisations: { nodes: Array<{ nameJa: string; members: unknown }> } }>(
      hub.url,
      '{ organisations(filter: { search: "関東本部" }) { nodes { nameJa members { totalCount } } } }',
    );
    expect(res.body.errors?.[0]).toMatchObject({ message: 'サインインが必要です。', extensions: { code: 'UNAUTHENTICATED' } });
    expect(res.body.data).toBeNull();
    const bodies = await graphql<{ organisations: { nodes: Array<{ nameJa: string }> } }>(hub.url, '{ organisations(filter: { search: "関東本部" }) { nodes { nameJa } } }');
    expect(bodies.body.data!.organisations.nodes).toEqual([{ nameJa: '中小企業基盤整備機構 関東本部' }]);
  });

  test.each([
    ['an unknown id', '00000000-0000-4000-8000-000000000000'],
    ['a malformed id', 'not-an-id'],
  ])('%s is a not-found result (null), not an error', async (_label, id) => {
    const res = await graphql(hub.url, 'query($id: ID!) { organisation(id: $id) { nameJa } person(id: $id) { nameJa } }', { id }, supporter);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { organisation: null, person: null } });
  });

  test('bad arguments get a clear Japanese message naming the field', async () => {
    const tooMany = await graphql(hub.url, LIST, { first: 1000 });
    expect(tooMany.body.errors?.[0]).toMatchObject({
      message: '件数 (first) は 1〜100 で指定してください。',
      extensions: { code: 'BAD_USER_INPUT', domainCode: 'directory/invalid_page_size', field: 'first' },
    });
    const badCursor = await graphql(hub.url, LIST, { after: 'bm90LWEtY3Vyc29y' });
    expect(badCursor.body.errors?.[0].extensions).toMatchObject({ domainCode: 'directory/invalid_cursor' });
    const badPrefecture = await graphql(hub.url, LIST, { filter: { prefectureCode: '48' } });
    expect(badPrefecture.body.errors?.[0].extensions).toMatchObject({ domainCode: 'directory/invalid_prefecture', field: 'filter.prefectureCode' });
    expect(JSON.stringify(badPrefecture.body)).not.toMatch(/stack|\.ts:\d+/);
  });

  test('filters by prefecture, and lists supporters by qualification and region', async () => {
    const niigata = await graphql<OrgsData>(hub.url, LIST, { filter: { prefectureCode: '15' }, first: 100 });
    expect(niigata.body.data!.organisations.nodes.map((n) => n.nameJa)).toEqual(
      expect.arrayContaining(['新潟県よろず支援拠点', '新潟商工会議所', '日本政策金融公庫 新潟支店']),
    );
    const consultants = await graphql<{ people: { nodes: Array<{ nameJa: string; qualifications: string[]; regions: Array<{ code: string }> }> } }>(
      hub.url,
      '{ people(filter: { qualifications: [SME_CONSULTANT], regionCode: "15" }, first: 100) { nodes { nameJa qualifications regions { code } } } }',
      {},
      supporter,
    );
    // The seeded consultants covering Niigata, and (other test files share the database) nobody else who is not one.
    const nodes = consultants.body.data!.people.nodes;
    expect(nodes.map((p) => p.nameJa)).toEqual(expect.arrayContaining(['松本 亜希子', '渡辺 誠', '石川 健一', '高橋 美咲']));
    for (const p of nodes) {
      expect(p.qualifications).toContain('SME_CONSULTANT');
      expect(p.regions.map((r) => r.code)).toContain('15');
    }
    expect(nodes.map((p) => p.nameJa)).not.toContain('小林 由紀');
  });
});
