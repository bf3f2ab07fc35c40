import type { CouncilRole, OrganisationCategory } from '@/gql/graphql';

/** Categories in the order the council lists its members (and the directory groups them). */
export const CATEGORY_ORDER: readonly OrganisationCategory[] = [
  'COMMERCE_AND_INDUSTRY',
  'PROFESSIONAL',
  'FINANCIAL',
  'ADMINISTRATIVE_AGENCY',
  'OBSERVER',
  'PUBLIC_BODY',
];

/** Narrows an untrusted string (e.g. from the URL) to a category. */
export function isCategory(value: unknown): value is OrganisationCategory {
  return typeof value === 'string' && (CATEGORY_ORDER as readonly string[]).includes(value);
}

/** Roles that earn a badge in lists; NONE is the common case and stays quiet. */
export function hasCouncilBadge(role: CouncilRole): boolean {
  return role !== 'NONE';
}
