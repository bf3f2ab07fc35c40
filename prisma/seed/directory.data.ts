/**
 * The council's member bodies, observer and secretariat exactly as in shared/DOMAIN.md (from the SME
 * Agency's June 2024 briefing), plus regional bodies in Niigata (the guideline's case example) and
 * demo supporters. Supporters' names and addresses are fictional.
 */
import type { CouncilRole, OrganisationCategory, Qualification, Speciality } from '../../generated/prisma/enums';

export interface SeedOrganisation {
  slug: string;
  nameJa: string;
  nameKana: string;
  nameEn: string;
  category: OrganisationCategory;
  councilRole: CouncilRole;
  prefectureCode?: string;
  website?: string;
  description?: string;
  parentSlug?: string;
}

export interface SeedPerson {
  slug: string;
  nameJa: string;
  nameKana: string;
  nameEn: string;
  email: string;
  qualifications: Qualification[];
  specialities: Speciality[];
  regionCodes: string[];
  capacity: number;
  affiliations: Array<{ organisationSlug: string; title: string; primary?: boolean }>;
}

const M = 'MEMBER' as const;

export const COUNCIL_ORGANISATIONS: SeedOrganisation[] = [
  // 商工団体
  { slug: 'jcci', nameJa: '日本商工会議所', nameKana: 'ニッポンショウコウカイギショ', nameEn: 'The Japan Chamber of Commerce and Industry', category: 'COMMERCE_AND_INDUSTRY', councilRole: M, prefectureCode: '13', website: 'https://www.jcci.or.jp/', description: '全国の商工会議所の総合調整機関。経営指導員による小規模事業者の経営支援を担う。' },
  { slug: 'shokokai', nameJa: '全国商工会連合会', nameKana: 'ゼンコクショウコウカイレンゴウカイ', nameEn: 'Central Federation of Societies of Commerce and Industry, Japan', category: 'COMMERCE_AND_INDUSTRY', councilRole: M, prefectureCode: '13', website: 'https://www.shokokai.or.jp/', description: '町村部を中心とする全国の商工会の連合会。' },
  { slug: 'chuokai', nameJa: '全国中小企業団体中央会', nameKana: 'ゼンコクチュウショウキギョウダンタイチュウオウカイ', nameEn: 'National Federation of Small Business Associations', category: 'COMMERCE_AND_INDUSTRY', councilRole: M, prefectureCode: '13', website: 'https://www.chuokai.or.jp/', description: '事業協同組合などの中小企業組合の連携組織。' },
  // 士業団体
  { slug: 'nichizeiren', nameJa: '日本税理士会連合会', nameKana: 'ニホンゼイリシカイレンゴウカイ', nameEn: "Japan Federation of Certified Public Tax Accountants' Associations", category: 'PROFESSIONAL', councilRole: M, prefectureCode: '13', website: 'https://www.nichizeiren.or.jp/' },
  { slug: 'jicpa', nameJa: '日本公認会計士協会', nameKana: 'ニホンコウニンカイケイシキョウカイ', nameEn: 'The Japanese Institute of Certified Public Accountants', category: 'PROFESSIONAL', councilRole: M, prefectureCode: '13', website: 'https://jicpa.or.jp/' },
  { slug: 'j-smeca', nameJa: '中小企業診断協会', nameKana: 'チュウショウキギョウシンダンキョウカイ', nameEn: 'Japan Small and Medium Enterprise Management Consultants Association', category: 'PROFESSIONAL', councilRole: M, prefectureCode: '13', website: 'https://www.j-smeca.jp/' },
  { slug: 'nichibenren', nameJa: '日本弁護士連合会', nameKana: 'ニホンベンゴシレンゴウカイ', nameEn: 'Japan Federation of Bar Associations', category: 'PROFESSIONAL', councilRole: M, prefectureCode: '13', website: 'https://www.nichibenren.or.jp/' },
  { slug: 'shakaihokenroumushi', nameJa: '全国社会保険労務士会連合会', nameKana: 'ゼンコクシャカイホケンロウムシカイレンゴウカイ', nameEn: "Japan Federation of Labor and Social Security Attorney's Associations", category: 'PROFESSIONAL', councilRole: M, prefectureCode: '13', website: 'https://www.shakaihokenroumushi.jp/' },
  // 金融機関等
  { slug: 'chiginkyo', nameJa: '全国地方銀行協会', nameKana: 'ゼンコクチホウギンコウキョウカイ', nameEn: 'Regional Banks Association of Japan', category: 'FINANCIAL', councilRole: M, prefectureCode: '13', website: 'https://www.chiginkyo.or.jp/' },
  { slug: 'dainichiginkyo', nameJa: '第二地方銀行協会', nameKana: 'ダイニチホウギンコウキョウカイ', nameEn: 'The Second Association of Regional Banks', category: 'FINANCIAL', councilRole: M, prefectureCode: '13', website: 'https://www.dainichiginkyo.or.jp/' },
  { slug: 'shinkin', nameJa: '全国信用金庫協会', nameKana: 'ゼンコクシンヨウキンコキョウカイ', nameEn: 'National Association of Shinkin Banks', category: 'FINANCIAL', councilRole: M, prefectureCode: '13', website: 'https://www.shinkin.org/' },
  { slug: 'shinyokumiai', nameJa: '全国信用組合中央協会', nameKana: 'ゼンコクシンヨウクミアイチュウオウキョウカイ', nameEn: 'National Central Society of Credit Cooperatives', category: 'FINANCIAL', councilRole: M, prefectureCode: '13', website: 'https://www.shinyokumiai.or.jp/' },
  { slug: 'jfc', nameJa: '日本政策金融公庫', nameKana: 'ニッポンセイサクキンユウコウコ', nameEn: 'Japan Finance Corporation', category: 'FINANCIAL', councilRole: M, prefectureCode: '13', website: 'https://www.jfc.go.jp/' },
  { slug: 'shokochukin', nameJa: '商工組合中央金庫', nameKana: 'ショウコウクミアイチュウオウキンコ', nameEn: 'The Shoko Chukin Bank', category: 'FINANCIAL', councilRole: M, prefectureCode: '13', website: 'https://www.shokochukin.co.jp/' },
  { slug: 'zenshinhoren', nameJa: '全国信用保証協会連合会', nameKana: 'ゼンコクシンヨウホショウキョウカイレンゴウカイ', nameEn: 'Japan Federation of Credit Guarantee Corporations', category: 'FINANCIAL', councilRole: M, prefectureCode: '13', website: 'https://www.zenshinhoren.or.jp/' },
  // 独立行政法人
  { slug: 'smrj', nameJa: '中小企業基盤整備機構', nameKana: 'チュウショウキギョウキバンセイビキコウ', nameEn: 'Organization for Small & Medium Enterprises and Regional Innovation, JAPAN (SMRJ)', category: 'ADMINISTRATIVE_AGENCY', councilRole: M, prefectureCode: '13', website: 'https://www.smrj.go.jp/', description: '中小機構。地域本部と約3,000人の登録専門家によるハンズオン支援を行う。' },
  // オブザーバー
  { slug: 'fsa-banks-2', nameJa: '金融庁 監督局 銀行第二課', nameKana: 'キンユウチョウ カントクキョク ギンコウダイニカ', nameEn: 'Financial Services Agency, Supervisory Bureau, Banks Division II', category: 'OBSERVER', councilRole: 'OBSERVER', prefectureCode: '13', website: 'https://www.fsa.go.jp/' },
  // 事務局
  { slug: 'sme-agency-banso', nameJa: '中小企業庁 経営支援部 経営支援課 経営力再構築伴走支援推進室', nameKana: 'チュウショウキギョウチョウ ケイエイリョクサイコウチクバンソウシエンスイシンシツ', nameEn: 'SME Agency, Office for the Promotion of Accompaniment Support for Rebuilding Management Capability', category: 'PUBLIC_BODY', councilRole: 'SECRETARIAT', prefectureCode: '13', website: 'https://www.chusho.meti.go.jp/', description: '経営力再構築伴走支援推進協議会の事務局。' },
];

/** Regional bodies in Niigata and the regional offices that serve it. */
export const REGIONAL_ORGANISATIONS: SeedOrganisation[] = [
  { slug: 'kanto-meti', nameJa: '関東経済産業局', nameKana: 'カントウケイザイサンギョウキョク', nameEn: 'Kanto Bureau of Economy, Trade and Industry', category: 'PUBLIC_BODY', councilRole: 'NONE', prefectureCode: '11', description: '官民合同チームによる伴走支援を行う経済産業局の一つ (新潟県を含む1都10県を所管)。' },
  { slug: 'niigata-yorozu', nameJa: '新潟県よろず支援拠点', nameKana: 'ニイガタケンヨロズシエンキョテン', nameEn: 'Niigata Yorozu Support Center', category: 'PUBLIC_BODY', councilRole: 'NONE', prefectureCode: '15', description: '国が各都道府県に設置する無料の経営相談所。課題設定型・課題解決型の伴走支援を行う。' },
  { slug: 'smrj-kanto', nameJa: '中小企業基盤整備機構 関東本部', nameKana: 'チュウショウキギョウキバンセイビキコウ カントウホンブ', nameEn: 'SMRJ Kanto Regional Headquarters', category: 'ADMINISTRATIVE_AGENCY', councilRole: 'NONE', prefectureCode: '13', parentSlug: 'smrj', description: '新潟県を含む関東地域の中小機構の地域本部。' },
  { slug: 'niigata-cci', nameJa: '新潟商工会議所', nameKana: 'ニイガタショウコウカイギショ', nameEn: 'Niigata Chamber of Commerce and Industry', category: 'COMMERCE_AND_INDUSTRY', councilRole: 'NONE', prefectureCode: '15', parentSlug: 'jcci' },
  { slug: 'niigata-shinkin-demo', nameJa: '越後中央信用金庫', nameKana: 'エチゴチュウオウシンヨウキンコ', nameEn: 'Echigo Chuo Shinkin Bank (demo)', category: 'FINANCIAL', councilRole: 'NONE', prefectureCode: '15', parentSlug: 'shinkin', description: 'デモ用の架空の信用金庫。' },
  { slug: 'jfc-niigata', nameJa: '日本政策金融公庫 新潟支店', nameKana: 'ニッポンセイサクキンユウコウコ ニイガタシテン', nameEn: 'Japan Finance Corporation, Niigata Branch', category: 'FINANCIAL', councilRole: 'NONE', prefectureCode: '15', parentSlug: 'jfc' },
  { slug: 'niigata-smeca', nameJa: '新潟県中小企業診断士協会', nameKana: 'ニイガタケンチュウショウキギョウシンダンシキョウカイ', nameEn: 'Niigata SME Management Consultants Association', category: 'PROFESSIONAL', councilRole: 'NONE', prefectureCode: '15', parentSlug: 'j-smeca' },
];

export const DEMO_PEOPLE: SeedPerson[] = [
  { slug: 'demo-takahashi', nameJa: '高橋 美咲', nameKana: 'タカハシ ミサキ', nameEn: 'Misaki Takahashi', email: 'takahashi@yorozu.example.jp', qualifications: ['SME_CONSULTANT'], specialities: ['STRATEGY', 'MARKETING'], regionCodes: ['15'], capacity: 6, affiliations: [{ organisationSlug: 'niigata-yorozu', title: 'チーフコーディネーター', primary: true }, { organisationSlug: 'niigata-smeca', title: '会員' }] },
  { slug: 'demo-ishikawa', nameJa: '石川 健一', nameKana: 'イシカワ ケンイチ', nameEn: 'Ken-ichi Ishikawa', email: 'ishikawa@yorozu.example.jp', qualifications: ['SME_CONSULTANT', 'IT_COORDINATOR'], specialities: ['DIGITAL', 'PRODUCTION'], regionCodes: ['15'], capacity: 5, affiliations: [{ organisationSlug: 'niigata-yorozu', title: 'コーディネーター', primary: true }] },
  { slug: 'demo-sato', nameJa: '佐藤 浩二', nameKana: 'サトウ コウジ', nameEn: 'Koji Sato', email: 'sato@cci.example.jp', qualifications: ['BUSINESS_ADVISOR'], specialities: ['FINANCE', 'SUCCESSION'], regionCodes: ['15'], capacity: 8, affiliations: [{ organisationSlug: 'niigata-cci', title: '経営指導員', primary: true }] },
  { slug: 'demo-kobayashi', nameJa: '小林 由紀', nameKana: 'コバヤシ ユキ', nameEn: 'Yuki Kobayashi', email: 'kobayashi@shinkin.example.jp', qualifications: [], specialities: ['FINANCE', 'TURNAROUND'], regionCodes: ['15'], capacity: 10, affiliations: [{ organisationSlug: 'niigata-shinkin-demo', title: '融資部 企業支援課長', primary: true }] },
  { slug: 'demo-watanabe', nameJa: '渡辺 誠', nameKana: 'ワタナベ マコト', nameEn: 'Makoto Watanabe', email: 'watanabe@smrj.example.jp', qualifications: ['SME_CONSULTANT', 'PROFESSIONAL_ENGINEER'], specialities: ['PRODUCTION', 'STRATEGY', 'OVERSEAS'], regionCodes: ['13', '15', '20'], capacity: 4, affiliations: [{ organisationSlug: 'smrj-kanto', title: '経営支援部 プロジェクトマネージャー', primary: true }] },
  { slug: 'demo-yamamoto', nameJa: '山本 直子', nameKana: 'ヤマモト ナオコ', nameEn: 'Naoko Yamamoto', email: 'yamamoto@tax.example.jp', qualifications: ['TAX_ACCOUNTANT'], specialities: ['FINANCE', 'SUCCESSION'], regionCodes: ['15'], capacity: 5, affiliations: [{ organisationSlug: 'nichizeiren', title: '関東信越税理士会 会員', primary: true }] },
  { slug: 'demo-nakamura', nameJa: '中村 拓也', nameKana: 'ナカムラ タクヤ', nameEn: 'Takuya Nakamura', email: 'nakamura@cpa.example.jp', qualifications: ['CPA', 'TAX_ACCOUNTANT'], specialities: ['FINANCE', 'TURNAROUND'], regionCodes: ['13', '15'], capacity: 3, affiliations: [{ organisationSlug: 'jicpa', title: '中小企業支援専門委員', primary: true }] },
  { slug: 'demo-kato', nameJa: '加藤 恵', nameKana: 'カトウ メグミ', nameEn: 'Megumi Kato', email: 'kato@sr.example.jp', qualifications: ['LABOUR_AND_SOCIAL_SECURITY_ATTORNEY'], specialities: ['HUMAN_RESOURCES', 'LEGAL_AND_LABOUR'], regionCodes: ['15'], capacity: 6, affiliations: [{ organisationSlug: 'shakaihokenroumushi', title: '新潟県社会保険労務士会 会員', primary: true }] },
  { slug: 'demo-yoshida', nameJa: '吉田 修', nameKana: 'ヨシダ オサム', nameEn: 'Osamu Yoshida', email: 'yoshida@jfc.example.jp', qualifications: [], specialities: ['FINANCE'], regionCodes: ['15'], capacity: 12, affiliations: [{ organisationSlug: 'jfc-niigata', title: '中小企業事業 融資課長', primary: true }] },
  { slug: 'demo-matsumoto', nameJa: '松本 亜希子', nameKana: 'マツモト アキコ', nameEn: 'Akiko Matsumoto', email: 'matsumoto@meti.example.jp', qualifications: ['SME_CONSULTANT'], specialities: ['STRATEGY', 'HUMAN_RESOURCES'], regionCodes: ['08', '09', '10', '11', '12', '13', '14', '15', '19', '20', '22'], capacity: 4, affiliations: [{ organisationSlug: 'kanto-meti', title: '官民合同チーム 伴走支援担当', primary: true }] },
  { slug: 'demo-inoue', nameJa: '井上 隆', nameKana: 'イノウエ タカシ', nameEn: 'Takashi Inoue', email: 'inoue@lawyer.example.jp', qualifications: ['LAWYER'], specialities: ['LEGAL_AND_LABOUR', 'SUCCESSION', 'TURNAROUND'], regionCodes: ['15'], capacity: 3, affiliations: [{ organisationSlug: 'nichibenren', title: '新潟県弁護士会 会員', primary: true }] },
  { slug: 'demo-kimura', nameJa: '木村 大輔', nameKana: 'キムラ ダイスケ', nameEn: 'Daisuke Kimura', email: 'kimura@secretariat.example.jp', qualifications: [], specialities: ['STRATEGY'], regionCodes: [], capacity: 0, affiliations: [{ organisationSlug: 'sme-agency-banso', title: '推進室 係長', primary: true }] },
];
