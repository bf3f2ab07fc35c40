/**
 * The only module that touches Prisma for the directory. No rules here: it stores and fetches.
 */
import type { Prisma, PrismaClient, Organisation, Person, Membership } from '../../generated/prisma/client';
import type { CouncilRole, OrganisationCategory, Qualification, Speciality } from '../../generated/prisma/enums';
import { searchTextOf } from './search-text';

export type OrganisationRow = Organisation;
export type PersonRow = Person;
export type MembershipRow = Membership;

export interface CandidateRow {
  id: string;
  prefectureCode: string | null;
  supportersInRegion: number;
  matchedSpecialities: Speciality[];
}

export interface Page {
  /** Rows to return. */
  take: number;
  /** Id of the last row of the previous page. */
  afterId?: string;
}

export interface PageResult<T> {
  rows: T[];
  hasNextPage: boolean;
  totalCount: number;
}

export interface OrganisationQuery {
  categories?: OrganisationCategory[];
  councilRole?: CouncilRole;
  prefectureCode?: string;
  /** Already normalised with normaliseForSearch. */
  searchText?: string;
}

export interface PersonQuery {
  organisationId?: string;
  qualifications?: Qualification[];
  specialities?: Speciality[];
  regionCode?: string;
  searchText?: string;
}

export interface OrganisationInput {
  slug: string;
  nameJa: string;
  nameEn: string;
  nameKana: string;
  category: OrganisationCategory;
  councilRole: CouncilRole;
  prefectureCode: string | null;
  website: string | null;
  description: string | null;
  parentId: string | null;
}

export interface PersonInput {
  slug: string;
  nameJa: string;
  nameKana: string;
  nameEn: string | null;
  email: string | null;
  qualifications: Qualification[];
  specialities: Speciality[];
  regionCodes: string[];
  capacity: number;
}

const ORGANISATION_ORDER: Prisma.OrganisationOrderByWithRelationInput[] = [
  { category: 'asc' },
  { nameKana: 'asc' },
  { id: 'asc' },
];
const PERSON_ORDER: Prisma.PersonOrderByWithRelationInput[] = [{ nameKana: 'asc' }, { id: 'asc' }];

export class DirectoryStore {
  constructor(private readonly prisma: PrismaClient) {}

  private organisationWhere(q: OrganisationQuery): Prisma.OrganisationWhereInput {
    return {
      ...(q.categories?.length ? { category: { in: q.categories } } : {}),
      ...(q.councilRole ? { councilRole: q.councilRole } : {}),
      ...(q.prefectureCode ? { prefectureCode: q.prefectureCode } : {}),
      ...(q.searchText ? { searchText: { contains: q.searchText } } : {}),
    };
  }

  async findOrganisations(q: OrganisationQuery, page: Page): Promise<PageResult<OrganisationRow>> {
    const where = this.organisationWhere(q);
    const [rows, totalCount] = await Promise.all([
      this.prisma.organisation.findMany({
        where,
        orderBy: ORGANISATION_ORDER,
        take: page.take + 1,
        ...(page.afterId ? { cursor: { id: page.afterId }, skip: 1 } : {}),
      }),
      this.prisma.organisation.count({ where }),
    ]);
    return { rows: rows.slice(0, page.take), hasNextPage: rows.length > page.take, totalCount };
  }

  /**
   * Bodies in the prefecture, national ones (no prefecture) and those with supporters covering the
   * prefecture, except the excluded one, observers and the secretariat,
   * with their supporters covering the prefecture and the wanted specialities those supporters have.
   */
  async referralCandidates(prefectureCode: string, specialities: Speciality[], excludeIds: string[]): Promise<CandidateRow[]> {
    const rows = await this.prisma.$queryRaw<Array<{ id: string; prefectureCode: string | null; supporters: bigint; matched: string[] | null }>>`
      SELECT o.id, o."prefectureCode",
             count(DISTINCT p.id) FILTER (WHERE ${prefectureCode} = ANY(p."regionCodes")) AS supporters,
             array_agg(DISTINCT s.speciality) FILTER (WHERE s.speciality IS NOT NULL) AS matched
        FROM "Organisation" o
        LEFT JOIN "Membership" m ON m."organisationId" = o.id
        LEFT JOIN "Person" p ON p.id = m."personId"
        LEFT JOIN LATERAL (
          SELECT unnest(p.specialities)::text AS speciality
        ) s ON s.speciality = ANY(string_to_array(${specialities.join(',')}, ',')) AND ${prefectureCode} = ANY(p."regionCodes")
       WHERE (o."prefectureCode" = ${prefectureCode} OR o."prefectureCode" IS NULL
              OR EXISTS (SELECT 1 FROM "Membership" m2 JOIN "Person" p2 ON p2.id = m2."personId"
                          WHERE m2."organisationId" = o.id AND ${prefectureCode} = ANY(p2."regionCodes")))
         AND o.category <> 'OBSERVER'
         AND o."councilRole" <> 'SECRETARIAT'
         AND NOT (o.id = ANY(string_to_array(${excludeIds.join(',')}, ',')::uuid[]))
       GROUP BY o.id, o."prefectureCode"`;
    return rows.map((r) => ({ id: r.id, prefectureCode: r.prefectureCode, supportersInRegion: Number(r.supporters), matchedSpecialities: (r.matched ?? []) as Speciality[] }));
  }

  organisationsByIds(ids: readonly string[]): Promise<OrganisationRow[]> {
    return this.prisma.organisation.findMany({ where: { id: { in: [...ids] } } });
  }

  organisationExists(id: string): Promise<boolean> {
    return this.prisma.organisation.count({ where: { id } }).then((n) => n > 0);
  }

  childrenOf(parentIds: readonly string[]): Promise<OrganisationRow[]> {
    return this.prisma.organisation.findMany({
      where: { parentId: { in: [...parentIds] } },
      orderBy: ORGANISATION_ORDER,
    });
  }

  async categoryCounts(searchText: string | undefined): Promise<Array<{ category: OrganisationCategory; count: number }>> {
    const groups = await this.prisma.organisation.groupBy({
      by: ['category'],
      where: this.organisationWhere({ searchText }),
      _count: { _all: true },
    });
    return groups.map((g) => ({ category: g.category, count: g._count._all }));
  }

  private personWhere(q: PersonQuery): Prisma.PersonWhereInput {
    return {
      ...(q.organisationId ? { memberships: { some: { organisationId: q.organisationId } } } : {}),
      ...(q.qualifications?.length ? { qualifications: { hasSome: q.qualifications } } : {}),
      ...(q.specialities?.length ? { specialities: { hasSome: q.specialities } } : {}),
      ...(q.regionCode ? { regionCodes: { has: q.regionCode } } : {}),
      ...(q.searchText ? { searchText: { contains: q.searchText } } : {}),
    };
  }

  async findPeople(q: PersonQuery, page: Page): Promise<PageResult<PersonRow>> {
    const where = this.personWhere(q);
    const [rows, totalCount] = await Promise.all([
      this.prisma.person.findMany({
        where,
        orderBy: PERSON_ORDER,
        take: page.take + 1,
        ...(page.afterId ? { cursor: { id: page.afterId }, skip: 1 } : {}),
      }),
      this.prisma.person.count({ where }),
    ]);
    return { rows: rows.slice(0, page.take), hasNextPage: rows.length > page.take, totalCount };
  }

  peopleByIds(ids: readonly string[]): Promise<PersonRow[]> {
    return this.prisma.person.findMany({ where: { id: { in: [...ids] } } });
  }

  membershipsOfPeople(personIds: readonly string[]): Promise<MembershipRow[]> {
    return this.prisma.membership.findMany({
      where: { personId: { in: [...personIds] } },
      orderBy: [{ primary: 'desc' }, { createdAt: 'asc' }],
    });
  }

  /** Creates or updates an organisation by slug; used by the seed and by future admin screens. */
  upsertOrganisation(input: OrganisationInput): Promise<OrganisationRow> {
    const data = { ...input, searchText: searchTextOf(input.nameJa, input.nameKana, input.nameEn) };
    return this.prisma.organisation.upsert({ where: { slug: input.slug }, create: data, update: data });
  }

  upsertPerson(input: PersonInput): Promise<PersonRow> {
    const data = { ...input, searchText: searchTextOf(input.nameJa, input.nameKana, input.nameEn) };
    return this.prisma.person.upsert({ where: { slug: input.slug }, create: data, update: data });
  }

  upsertMembership(m: { personId: string; organisationId: string; title: string | null; primary: boolean }): Promise<MembershipRow> {
    return this.prisma.membership.upsert({
      where: { personId_organisationId: { personId: m.personId, organisationId: m.organisationId } },
      create: m,
      update: { title: m.title, primary: m.primary },
    });
  }
}
