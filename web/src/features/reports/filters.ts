/**
 * The report filter as the page keeps it in its address (?fy=2025&org=…&category=…&pref=…, or
 * ?from=…&to=… for a range), as the reportDashboard query takes it, and as the CSV export takes it.
 * Pure functions, so the dashboard, the print page and the export link always agree.
 */
import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import type { OrganisationCategoryFilter, ReportFilter } from '@/gql/graphql';
import { fiscalYearOf, isIsoDate } from '@/lib/dates';

export const CATEGORY_FILTERS: readonly OrganisationCategoryFilter[] = [
  'COMMERCE_AND_INDUSTRY',
  'PROFESSIONAL',
  'FINANCIAL',
  'ADMINISTRATIVE_AGENCY',
  'OBSERVER',
  'PUBLIC_BODY',
];

export interface ReportFilterState {
  /** A fiscal year (年度), or a range of days. */
  mode: 'year' | 'range';
  fiscalYear: number;
  from: string;
  to: string;
  organisationId: string;
  category: OrganisationCategoryFilter | '';
  prefectureCode: string;
}

/** The fiscal year (年度) today falls in, in Japan. */
export function currentFiscalYear(now: Date = new Date()): number {
  return fiscalYearOf(now);
}

/** Fiscal years the filter offers: next year down to 令和2年度 (the council's data starts later). */
export function fiscalYearChoices(now: Date = new Date()): number[] {
  const latest = currentFiscalYear(now) + 1;
  return Array.from({ length: latest - 2020 + 1 }, (_, i) => latest - i);
}

function one(query: LocationQuery, key: string): string {
  const value = query[key];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

function isCategoryFilter(value: string): value is OrganisationCategoryFilter {
  return (CATEGORY_FILTERS as readonly string[]).includes(value);
}

/** Reads the filter from the address; anything unreadable falls back to the current fiscal year. */
export function filterFromQuery(query: LocationQuery, now: Date = new Date()): ReportFilterState {
  const fy = Number(one(query, 'fy'));
  const from = one(query, 'from');
  const to = one(query, 'to');
  const category = one(query, 'category');
  const pref = one(query, 'pref');
  const range = !one(query, 'fy') && (from !== '' || to !== '');
  return {
    mode: range ? 'range' : 'year',
    fiscalYear: Number.isInteger(fy) && fy >= 2000 && fy <= 2100 ? fy : currentFiscalYear(now),
    from,
    to,
    organisationId: one(query, 'org'),
    category: isCategoryFilter(category) ? category : '',
    prefectureCode: /^\d{2}$/.test(pref) ? pref : '',
  };
}

/** The address's query for a filter (empty parts left out). */
export function filterToQuery(state: ReportFilterState): LocationQueryRaw {
  const query: LocationQueryRaw = {};
  if (state.mode === 'year') query.fy = String(state.fiscalYear);
  else {
    query.from = state.from;
    query.to = state.to;
  }
  if (state.organisationId) query.org = state.organisationId;
  if (state.category) query.category = state.category;
  if (state.prefectureCode) query.pref = state.prefectureCode;
  return query;
}

/** Whether the range is complete enough to ask the server (it checks the rest and says what is wrong). */
export function rangeReady(state: ReportFilterState): boolean {
  return state.mode === 'year' || (isIsoDate(state.from) && isIsoDate(state.to));
}

/** The reportDashboard filter. */
export function toApiFilter(state: ReportFilterState): ReportFilter {
  const filter: ReportFilter = state.mode === 'year' ? { fiscalYear: state.fiscalYear } : { from: state.from, to: state.to };
  if (state.organisationId) filter.organisationId = state.organisationId;
  if (state.category) filter.category = state.category;
  if (state.prefectureCode) filter.prefectureCode = state.prefectureCode;
  return filter;
}

/** The CSV export of the same figures (the session cookie goes with it: same origin). */
export function csvHref(state: ReportFilterState): string {
  const params = new URLSearchParams();
  if (state.mode === 'year') params.set('fiscalYear', String(state.fiscalYear));
  else {
    params.set('from', state.from);
    params.set('to', state.to);
  }
  if (state.organisationId) params.set('organisationId', state.organisationId);
  if (state.category) params.set('category', state.category);
  if (state.prefectureCode) params.set('prefectureCode', state.prefectureCode);
  return `/files/reports/dashboard.csv?${params.toString()}`;
}
