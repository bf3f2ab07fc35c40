import { DirectoryManager } from './directory.manager';
import type { DirectoryStore } from './directory.store';
import { encodeCursor } from '../shared/pagination';
import { ANONYMOUS, type Viewer } from '../shared/viewer';

const SIGNED_IN: Viewer = { ...ANONYMOUS('test'), accountId: '9f1c2a4e-8b7d-4c1e-9a2b-0d4e5f6a7b8c', organisationId: '8f1c2a4e-8b7d-4c1e-9a2b-0d4e5f6a7b8c', roles: ['SUPPORTER'] };

/** A store that records what the manager asks of it (no rules live in the store). */
function recordingStore() {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const empty = { rows: [], hasNextPage: false, totalCount: 0 };
  const store = {
    findOrganisations: async (...args: unknown[]) => (calls.push({ method: 'findOrganisations', args }), empty),
    findPeople: async (...args: unknown[]) => (calls.push({ method: 'findPeople', args }), empty),
    organisationsByIds: async (ids: string[]) => (calls.push({ method: 'organisationsByIds', args: [ids] }), []),
    categoryCounts: async () => [
      { category: 'PUBLIC_BODY', count: 3 },
      { category: 'COMMERCE_AND_INDUSTRY', count: 4 },
    ],
  } as unknown as DirectoryStore;
  return { store, calls };
}

test('search text is normalised before it reaches the store', async () => {
  const { store, calls } = recordingStore();
  await new DirectoryManager(store, SIGNED_IN).listOrganisations({ search: ' ｼﾝﾖｳ ' }, {});
  expect(calls[0].args[0]).toMatchObject({ searchText: 'しんよう' });
});

test('page sizes outside 1–100 and foreign cursors are refused before any query', async () => {
  const { store, calls } = recordingStore();
  const manager = new DirectoryManager(store, SIGNED_IN);
  await expect(manager.listOrganisations({}, { first: 0 })).rejects.toMatchObject({ code: 'directory/invalid_page_size' });
  await expect(manager.listOrganisations({}, { first: 101 })).rejects.toMatchObject({ code: 'directory/invalid_page_size' });
  await expect(manager.listOrganisations({}, { after: encodeCursor('person', '3f1c2a4e-8b7d-4c1e-9a2b-0d4e5f6a7b8c') })).rejects.toMatchObject({
    code: 'directory/invalid_cursor',
  });
  await expect(manager.listPeople({ regionCode: '99' }, {})).rejects.toMatchObject({ code: 'directory/invalid_prefecture', field: 'filter.regionCode' });
  await expect(manager.listOrganisations({ search: 'x'.repeat(101) }, {})).rejects.toMatchObject({ code: 'directory/search_too_long' });
  expect(calls).toEqual([]);
});

test('lookups by many ids in one tick become one store call', async () => {
  const { store, calls } = recordingStore();
  const manager = new DirectoryManager(store, SIGNED_IN);
  const ids = ['3f1c2a4e-8b7d-4c1e-9a2b-0d4e5f6a7b8c', '4f1c2a4e-8b7d-4c1e-9a2b-0d4e5f6a7b8c', '5f1c2a4e-8b7d-4c1e-9a2b-0d4e5f6a7b8c'];
  const results = await Promise.all([...ids.map((id) => manager.organisation(id)), manager.organisation('not-a-uuid')]);
  expect(results).toEqual([null, null, null, null]);
  expect(calls).toEqual([{ method: 'organisationsByIds', args: [ids] }]);
});

test('category counts come back in directory order', async () => {
  const { store } = recordingStore();
  const counts = await new DirectoryManager(store, SIGNED_IN).categoryCounts(undefined);
  expect(counts.map((c) => c.category)).toEqual(['COMMERCE_AND_INDUSTRY', 'PUBLIC_BODY']);
});

test("supporters' details need a signed-in viewer; the directory of bodies does not", async () => {
  const { store, calls } = recordingStore();
  const anonymous = new DirectoryManager(store, ANONYMOUS('test'));
  await expect(anonymous.listPeople({}, {})).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  expect(() => anonymous.person('3f1c2a4e-8b7d-4c1e-9a2b-0d4e5f6a7b8c')).toThrow('サインインが必要です。');
  await anonymous.listOrganisations({}, {});
  expect(calls.map((c) => c.method)).toEqual(['findOrganisations']);
});
