/**
 * How report figures read: counts with 「−（秘匿）」 for suppressed cells, shares and rates in per cent,
 * business days, yen and people as signed changes, and the names of the enum values the server sends
 * as strings (decline reasons, stages, categories, levels, survey answers, outcome buckets).
 */
import { useI18n } from 'vue-i18n';
import type { CountFieldsFragment } from '@/gql/graphql';

/** One bar, segment or row of a chart: its label, the number that sizes it and the text it shows. */
export interface ChartItem {
  key: string;
  label: string;
  /** null when suppressed or unknown: drawn as an empty, marked place. */
  value: number | null;
  display: string;
}

/** A count a chart can size: suppressed counts have no length. */
export function countValue(count: CountFieldsFragment): number | null {
  return count.suppressed ? null : (count.value ?? 0);
}

/**
 * The server names outcome buckets in Japanese only (they are also the CSV's words); English readers
 * get these. A bucket not listed here is shown as the server wrote it.
 */
const BUCKET_EN: Record<string, string> = {
  '−10%未満': 'below −10%',
  '−10%〜0%未満': '−10% to 0%',
  '0%〜10%未満': '0% to 10%',
  '10%〜20%未満': '10% to 20%',
  '20%以上': '20% or more',
  減少: 'decrease',
  変化なし: 'no change',
  増加: 'increase',
  '1〜4人増': '+1 to 4',
  '5人以上増': '+5 or more',
};

export function useReportFormat() {
  const { t, te, locale } = useI18n();
  const number = (value: number, digits = 0) =>
    new Intl.NumberFormat(locale.value === 'ja' ? 'ja-JP' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
  const signed = (value: number, digits = 0) => `${value > 0 ? '+' : value < 0 ? '−' : '±'}${number(Math.abs(value), digits)}`;
  /** The name of an enum value the server sends as a string; the value itself when there is none. */
  const label = (group: string, key: string) => (te(`reports.enum.${group}.${key}`) ? t(`reports.enum.${group}.${key}`) : key);

  return {
    number,
    count: (c: CountFieldsFragment, threshold: number) => (c.suppressed ? t('reports.suppressed', { n: threshold }) : number(c.value ?? 0)),
    /** 0.649 → 64.9%; null → 「—」. */
    percent: (share: number | null | undefined, digits = 1) => (share === null || share === undefined ? t('reports.noValue') : `${number(share * 100, digits)}%`),
    /** Per cent already in per cent, signed: +15.0%. */
    signedPercent: (value: number | null) => (value === null ? t('reports.noValue') : `${signed(value, 1)}%`),
    days: (value: number | null) => (value === null ? t('reports.noValue') : t('reports.businessDays', { n: number(value, 1) })),
    yen: (value: number | null) => (value === null ? t('reports.noValue') : t('reports.yen', { n: signed(Math.round(value)) })),
    people: (value: number | null) => (value === null ? t('reports.noValue') : t('reports.people', { n: signed(value, Number.isInteger(value) ? 0 : 1) })),
    reason: (key: string) => label('reason', key),
    stage: (key: string) => label('stage', key),
    category: (key: string) => label('category', key),
    level: (key: string) => label('level', key),
    answer: (question: 'overall' | 'awareness' | 'change', key: string) => label(question, key),
    metric: (key: string) => label('metric', key),
    bucket: (key: string) => (locale.value === 'en' ? (BUCKET_EN[key] ?? key) : key),
    bodies: (n: number) => (n >= 4 ? t('reports.engagements.bodiesOrMore', { n }) : t('reports.engagements.bodies', { n })),
    /** What a chart shows, read out in one line for its accessible label: 「紹介 13、受付 13、…」. */
    summary: (items: Array<{ label: string; display: string }>) => items.map((i) => `${i.label} ${i.display}`).join(t('common.listSeparator')),
  };
}
