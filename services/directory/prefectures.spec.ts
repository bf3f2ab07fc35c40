import { isPrefectureCode, prefectureByCode, PREFECTURES } from './prefectures';

test('the 47 prefectures carry their JIS X 0401 codes in order', () => {
  expect(PREFECTURES).toHaveLength(47);
  expect(PREFECTURES[0]).toEqual({ code: '01', nameJa: '北海道', nameEn: 'Hokkaido' });
  expect(prefectureByCode('13')?.nameJa).toBe('東京都');
  expect(prefectureByCode('15')?.nameJa).toBe('新潟県');
  expect(prefectureByCode('47')?.nameJa).toBe('沖縄県');
});

test('codes outside 01–47 are not prefectures', () => {
  for (const code of ['00', '48', '1', '15 ', '']) expect(isPrefectureCode(code)).toBe(false);
  expect(prefectureByCode(null)).toBeNull();
});
