/**
 * Loads the directory's seed data through the directory store. Idempotent: organisations and people
 * are keyed by slug, memberships by (person, organisation); a second run changes nothing.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import { DirectoryStore } from '../../services/directory/directory.store';
import { COUNCIL_ORGANISATIONS, DEMO_PEOPLE, REGIONAL_ORGANISATIONS, type SeedOrganisation, type SeedPerson } from './directory.data';

export interface SeedCounts {
  organisations: number;
  people: number;
}

export async function seedDirectory(
  prisma: PrismaClient,
  data: { organisations: SeedOrganisation[]; people: SeedPerson[] } = {
    organisations: [...COUNCIL_ORGANISATIONS, ...REGIONAL_ORGANISATIONS],
    people: DEMO_PEOPLE,
  },
): Promise<SeedCounts> {
  const store = new DirectoryStore(prisma);
  const idBySlug = new Map<string, string>();
  // Parents first: national bodies carry no parentSlug.
  const ordered = [...data.organisations].sort((a, b) => Number(Boolean(a.parentSlug)) - Number(Boolean(b.parentSlug)));
  for (const org of ordered) {
    const parentId = org.parentSlug ? idBySlug.get(org.parentSlug) : null;
    if (parentId === undefined) throw new Error(`seed: parent "${org.parentSlug}" of "${org.slug}" is not in the seed`);
    const row = await store.upsertOrganisation({
      slug: org.slug,
      nameJa: org.nameJa,
      nameEn: org.nameEn,
      nameKana: org.nameKana,
      category: org.category,
      councilRole: org.councilRole,
      prefectureCode: org.prefectureCode ?? null,
      website: org.website ?? null,
      description: org.description ?? null,
      parentId,
    });
    idBySlug.set(org.slug, row.id);
  }
  for (const person of data.people) {
    const { affiliations, ...fields } = person;
    const row = await store.upsertPerson(fields);
    for (const a of affiliations) {
      const organisationId = idBySlug.get(a.organisationSlug);
      if (!organisationId) throw new Error(`seed: organisation "${a.organisationSlug}" of "${person.slug}" is not in the seed`);
      await store.upsertMembership({ personId: row.id, organisationId, title: a.title, primary: a.primary ?? false });
    }
  }
  return { organisations: data.organisations.length, people: data.people.length };
}
