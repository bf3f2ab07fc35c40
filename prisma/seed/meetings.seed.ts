/**
 * The council's meeting history from DOMAIN.md: the 経営力再構築伴走支援推進協議会 (第1回 2022-06-17,
 * 第2回 2023-02-24, 第3回 2023-06-19, 第4回 planned for late September 2024 (令和6年9月下旬)) and its
 * 実務者会議 with its main themes. Members and the observer come from the directory's council roles.
 * Idempotent: series by slug, meetings by (series, number); a second run changes nothing. The working
 * group's eight meetings since June 2023 have no dates in the source, so the secretariat records them.
 */
import type { PrismaClient } from '../../generated/prisma/client';

interface SeedMeeting {
  number: number;
  date?: string;
  tentative?: { year: number; month: number; part: 'EARLY' | 'MID' | 'LATE' };
}

const COUNCIL_MEETINGS: SeedMeeting[] = [
  { number: 1, date: '2022-06-17' },
  { number: 2, date: '2023-02-24' },
  { number: 3, date: '2023-06-19' },
  { number: 4, tentative: { year: 2024, month: 9, part: 'LATE' } },
];

const WORKING_GROUP_THEMES = ['各支援機関の取組・事例の共有', '伴走支援の全国への普及', '支援ノウハウの共有', '支援機関連携の在り方'];

export async function seedMeetings(prisma: PrismaClient): Promise<{ series: number; meetings: number }> {
  const orgs = await prisma.organisation.findMany({ where: { councilRole: { in: ['MEMBER', 'OBSERVER'] } }, select: { id: true, councilRole: true } });
  const bodies = orgs.map((o) => ({ organisationId: o.id, role: o.councilRole === 'OBSERVER' ? ('OBSERVER' as const) : ('MEMBER' as const) }));
  let seriesCount = 0;
  let meetingCount = 0;
  const upsertSeries = async (data: { slug: string; kind: 'COUNCIL' | 'WORKING_GROUP'; nameJa: string; nameEn: string; description: string; themes: string[]; parentSeriesId: string | null }) => {
    const existing = await prisma.meetingSeries.findUnique({ where: { slug: data.slug } });
    if (existing) return existing;
    seriesCount += 1;
    return prisma.meetingSeries.create({ data: { ...data, bodies: { create: bodies } } });
  };
  const council = await upsertSeries({
    slug: 'council',
    kind: 'COUNCIL',
    nameJa: '経営力再構築伴走支援推進協議会',
    nameEn: 'Council for the Promotion of Accompaniment Support for Rebuilding Management Capability',
    description: '令和4年5月末に設置。経営力再構築伴走支援を全国に普及するため、商工団体・士業団体・金融機関等・中小機構が参加する。事務局は中小企業庁 経営力再構築伴走支援推進室。',
    themes: [],
    parentSeriesId: null,
  });
  await upsertSeries({
    slug: 'working-group',
    kind: 'WORKING_GROUP',
    nameJa: '経営力再構築伴走支援推進協議会 実務者会議',
    nameEn: 'Working group of the council',
    description: '協議会の下に置かれた実務者会議（令和5年6月から開催）。',
    themes: WORKING_GROUP_THEMES,
    parentSeriesId: council.id,
  });
  for (const m of COUNCIL_MEETINGS) {
    if (await prisma.meeting.findUnique({ where: { seriesId_number: { seriesId: council.id, number: m.number } } })) continue;
    const first = m.tentative ? `${m.tentative.year}-${String(m.tentative.month).padStart(2, '0')}-${{ EARLY: '01', MID: '11', LATE: '21' }[m.tentative.part]}` : m.date!;
    await prisma.meeting.create({
      data: {
        seriesId: council.id,
        number: m.number,
        status: m.date ? 'HELD' : 'SCHEDULED',
        date: m.date ? new Date(`${m.date}T00:00:00.000Z`) : null,
        tentativeYear: m.tentative?.year ?? null,
        tentativeMonth: m.tentative?.month ?? null,
        tentativePart: m.tentative?.part ?? null,
        sortDate: new Date(`${first}T00:00:00.000Z`),
        invitations: { create: bodies },
      },
    });
    meetingCount += 1;
  }
  return { series: seriesCount, meetings: meetingCount };
}
