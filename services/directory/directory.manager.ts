/**
 * The directory's rules: input validation, paging limits and batched look-ups. The directory is
 * readable by everyone who can reach the hub; write rules arrive with accounts and roles.
 */
import DataLoader from 'dataloader';
import { OrganisationCategory as OrganisationCategoryEnum, type CouncilRole, type OrganisationCategory, type Qualification, type Speciality } from '../../generated/prisma/enums';
import { unauthenticated } from '../shared/auth-errors';
import { can } from '../shared/permissions';
import type { Viewer } from '../shared/viewer';
import { decodeCursor, encodeCursor, isUuid, type Connection } from '../shared/pagination';
import { directoryErrors } from './directory.errors';
import type { CandidateRow, DirectoryStore, MembershipRow, OrganisationRow, PageResult, PersonRow } from './directory.store';
import { isPrefectureCode, PREFECTURES, type Prefecture } from './prefectures';
import { normaliseForSearch } from './search-text';

export const MAX_PAGE_SIZE = 100;
export const MAX_SEARCH_LENGTH = 100;

export interface OrganisationFilterInput {
  categories?: OrganisationCategory[] | null;
  councilRole?: CouncilRole | null;
  prefectureCode?: string | null;
  search?: string | null;
}

export interface PersonFilterInput {
  organisationId?: string | null;
  qualifications?: Qualification[] | null;
  specialities?: Speciality[] | null;
  regionCode?: string | null;
  search?: string | null;
}

export interface ReferralCandidateView {
  organisation: OrganisationRow;
  samePrefecture: boolean;
  national: boolean;
  supportersInRegion: number;
  matchedSpecialities: Speciality[];
}

export interface PageInput {
  first?: number | null;
  after?: string | null;
}

const ORG_CURSOR = 'org';
const PERSON_CURSOR = 'person';

/** One manager per request: its loaders batch every look-up made while resolving that request. */
export class DirectoryManager {
  private readonly organisationLoader: DataLoader<string, OrganisationRow | null>;
  private readonly personLoader: DataLoader<string, PersonRow | null>;
  private readonly childrenLoader: DataLoader<string, OrganisationRow[]>;
  private readonly membershipLoader: DataLoader<string, MembershipRow[]>;

  constructor(
    private readonly store: DirectoryStore,
    private readonly viewer: Viewer,
  ) {
    this.organisationLoader = new DataLoader(async (ids) => {
      const rows = await store.organisationsByIds(ids);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    this.personLoader = new DataLoader(async (ids) => {
      const rows = await store.peopleByIds(ids);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    this.childrenLoader = new DataLoader(async (parentIds) => groupBy(await store.childrenOf(parentIds), parentIds, (r) => r.parentId));
    this.membershipLoader = new DataLoader(async (personIds) =>
      groupBy(await store.membershipsOfPeople(personIds), personIds, (m) => m.personId),
    );
  }

  async listOrganisations(filter: OrganisationFilterInput | null | undefined, page: PageInput): Promise<Connection<OrganisationRow>> {
    const f = filter ?? {};
    if (f.prefectureCode && !isPrefectureCode(f.prefectureCode)) throw directoryErrors.invalidPrefecture('filter.prefectureCode');
    const result = await this.store.findOrganisations(
      {
        categories: f.categories ?? undefined,
        councilRole: f.councilRole ?? undefined,
        prefectureCode: f.prefectureCode ?? undefined,
        searchText: this.searchText(f.search),
      },
      this.page(page, ORG_CURSOR),
    );
    this.prime(this.organisationLoader, result.rows);
    return toConnection(result, ORG_CURSOR);
  }

  /** An organisation by id, or null for an unknown or malformed id (both are "not found"). */
  organisation(id: string): Promise<OrganisationRow | null> {
    return isUuid(id) ? this.organisationLoader.load(id.toLowerCase()) : Promise.resolve(null);
  }

  children(parentId: string): Promise<OrganisationRow[]> {
    return this.childrenLoader.load(parentId);
  }

  /** Counts per category in directory order; categories with no match are left out. */
  async categoryCounts(search: string | null | undefined): Promise<Array<{ category: OrganisationCategory; count: number }>> {
    const counts = await this.store.categoryCounts(this.searchText(search));
    const order = Object.values(OrganisationCategoryEnum);
    return counts.sort((a, b) => order.indexOf(a.category) - order.indexOf(b.category));
  }

  async listPeople(filter: PersonFilterInput | null | undefined, page: PageInput): Promise<Connection<PersonRow>> {
    this.requirePeopleAccess();
    const f = filter ?? {};
    if (f.regionCode && !isPrefectureCode(f.regionCode)) throw directoryErrors.invalidPrefecture('filter.regionCode');
    if (f.organisationId && !isUuid(f.organisationId)) {
      return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };
    }
    const result = await this.store.findPeople(
      {
        organisationId: f.organisationId?.toLowerCase() ?? undefined,
        qualifications: f.qualifications ?? undefined,
        specialities: f.specialities ?? undefined,
        regionCode: f.regionCode ?? undefined,
        searchText: this.searchText(f.search),
      },
      this.page(page, PERSON_CURSOR),
    );
    this.prime(this.personLoader, result.rows);
    return toConnection(result, PERSON_CURSOR);
  }

  person(id: string): Promise<PersonRow | null> {
    this.requirePeopleAccess();
    return isUuid(id) ? this.personLoader.load(id.toLowerCase()) : Promise.resolve(null);
  }

  /** Supporters are people: their details need a signed-in member of the network. */
  private requirePeopleAccess(): void {
    if (!can(this.viewer, 'directory.people.read')) throw unauthenticated();
  }

  affiliations(personId: string): Promise<MembershipRow[]> {
    return this.membershipLoader.load(personId);
  }

  /** Bodies to refer a firm in the prefecture to, best first (signed-in staff only). */
  async referralCandidates(args: { prefectureCode: string; specialities?: Speciality[] | null; excludeOrganisationId?: string | null; first?: number | null }): Promise<ReferralCandidateView[]> {
    if (!can(this.viewer, 'directory.people.read')) throw unauthenticated();
    if (!isPrefectureCode(args.prefectureCode)) throw directoryErrors.invalidPrefecture('prefectureCode');
    const first = args.first ?? 8;
    if (!Number.isInteger(first) || first < 1 || first > 50) throw directoryErrors.invalidPageSize(50);
    // Never the viewer's own body; also the one named (e.g. a referral's sender when forwarding).
    const exclude = [args.excludeOrganisationId, this.viewer.organisationId].filter((id): id is string => !!id && isUuid(id)).map((id) => id.toLowerCase());
    const rows = await this.store.referralCandidates(args.prefectureCode, args.specialities ?? [], exclude);
    const score = (r: CandidateRow) => r.matchedSpecialities.length * 100 + (r.prefectureCode === args.prefectureCode ? 50 : 0) + Math.min(r.supportersInRegion, 40);
    const ranked = rows.sort((a, b) => score(b) - score(a) || a.id.localeCompare(b.id)).slice(0, first);
    const orgs = await Promise.all(ranked.map((r) => this.organisation(r.id)));
    return ranked.flatMap((r, i) => {
      const organisation = orgs[i];
      if (!organisation) return [];
      return [{ organisation, samePrefecture: r.prefectureCode === args.prefectureCode, national: r.prefectureCode === null, supportersInRegion: r.supportersInRegion, matchedSpecialities: r.matchedSpecialities }];
    });
  }

  prefectures(): readonly Prefecture[] {
    return PREFECTURES;
  }

  private searchText(search: string | null | undefined): string | undefined {
    if (!search) return undefined;
    if (search.length > MAX_SEARCH_LENGTH) throw directoryErrors.searchTooLong(MAX_SEARCH_LENGTH);
    const normalised = normaliseForSearch(search);
    return normalised || undefined;
  }

  private page(input: PageInput, kind: string): { take: number; afterId?: string } {
    const take = input.first ?? 50;
    if (!Number.isInteger(take) || take < 1 || take > MAX_PAGE_SIZE) throw directoryErrors.invalidPageSize(MAX_PAGE_SIZE);
    if (input.after == null) return { take };
    const afterId = decodeCursor(kind, input.after);
    if (!afterId) throw directoryErrors.invalidCursor();
    return { take, afterId };
  }

  private prime<T extends { id: string }>(loader: DataLoader<string, T | null>, rows: T[]): void {
    for (const row of rows) loader.prime(row.id, row);
  }
}

function toConnection<T extends { id: string }>(result: PageResult<T>, kind: string): Connection<T> {
  const last = result.rows.at(-1);
  return {
    nodes: result.rows,
    pageInfo: { hasNextPage: result.hasNextPage, endCursor: last ? encodeCursor(kind, last.id) : null },
    totalCount: result.totalCount,
  };
}

function groupBy<T>(rows: T[], keys: readonly string[], keyOf: (row: T) => string | null): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) {
    const key = keyOf(row);
    if (key !== null) groups.get(key)?.push(row);
  }
  return keys.map((k) => groups.get(k) ?? []);
}
