/**
 * Thin resolvers: unpack arguments, call the manager, map rows to the schema's shape.
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { DirectoryContext } from '../context';
import type { OrganisationFilterInput, PageInput, PersonFilterInput } from '../directory.manager';
import type { MembershipRow, OrganisationRow, PersonRow } from '../directory.store';
import { prefectureByCode } from '../prefectures';
import type { Speciality } from '../../../generated/prisma/enums';

type Args<T> = T;

export const resolvers: GraphQLResolverMap<DirectoryContext> = {
  Query: {
    organisations: (_: unknown, args: Args<{ filter?: OrganisationFilterInput } & PageInput>, ctx: DirectoryContext) =>
      ctx.directory.listOrganisations(args.filter, args),
    organisation: (_: unknown, args: Args<{ id: string }>, ctx: DirectoryContext) => ctx.directory.organisation(args.id),
    organisationCategoryCounts: (_: unknown, args: Args<{ search?: string | null }>, ctx: DirectoryContext) =>
      ctx.directory.categoryCounts(args.search),
    people: (_: unknown, args: Args<{ filter?: PersonFilterInput } & PageInput>, ctx: DirectoryContext) =>
      ctx.directory.listPeople(args.filter, args),
    person: (_: unknown, args: Args<{ id: string }>, ctx: DirectoryContext) => ctx.directory.person(args.id),
    prefectures: (_: unknown, __: unknown, ctx: DirectoryContext) => ctx.directory.prefectures(),
    referralCandidates: (_: unknown, args: Args<{ prefectureCode: string; specialities?: Speciality[] | null; excludeOrganisationId?: string | null; first?: number | null }>, ctx: DirectoryContext) =>
      ctx.directory.referralCandidates(args),
  },
  Organisation: {
    __resolveReference: (ref: { id: string }, ctx: DirectoryContext) => ctx.directory.organisation(ref.id),
    prefecture: (org: OrganisationRow) => prefectureByCode(org.prefectureCode),
    parent: (org: OrganisationRow, _: unknown, ctx: DirectoryContext) =>
      org.parentId ? ctx.directory.organisation(org.parentId) : null,
    children: (org: OrganisationRow, _: unknown, ctx: DirectoryContext) => ctx.directory.children(org.id),
    members: (org: OrganisationRow, args: Args<PageInput>, ctx: DirectoryContext) =>
      ctx.directory.listPeople({ organisationId: org.id }, args),
  },
  Person: {
    __resolveReference: (ref: { id: string }, ctx: DirectoryContext) => ctx.directory.person(ref.id),
    regions: (person: PersonRow) => person.regionCodes.map(prefectureByCode).filter((p) => p !== null),
    affiliations: (person: PersonRow, _: unknown, ctx: DirectoryContext) => ctx.directory.affiliations(person.id),
  },
  Affiliation: {
    organisation: (m: MembershipRow, _: unknown, ctx: DirectoryContext) => ctx.directory.organisation(m.organisationId),
  },
};
