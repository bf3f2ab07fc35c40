import { FIRM_MASK, maskText, NUMBER_MASK, TERM_MASK } from './masking';

const none = { firms: [], terms: [], keep: [] };

describe('maskText', () => {
  test('masks the hub’s firm names, the secretariat’s words and 13-digit 法人番号', () => {
    const text = '株式会社越後味噌醸造（法人番号 1234567890123）の事例と、越後味噌醸造の社長の話。再建計画Xについて。';
    expect(maskText(text, { firms: ['株式会社越後味噌醸造', '越後味噌醸造'], terms: ['再建計画X'], keep: [] })).toBe(`${FIRM_MASK}（法人番号 ${NUMBER_MASK}）の事例と、${FIRM_MASK}の社長の話。${TERM_MASK}について。`);
  });

  test('masks names in the shape of a company even when the hub does not know them', () => {
    expect(maskText('有限会社ABC商店と山田工業株式会社が参加した。', none)).toBe(`${FIRM_MASK}と${FIRM_MASK}が参加した。`);
    expect(maskText('㈱サンプルの例', none)).toBe(`${FIRM_MASK}の例`);
  });

  test('never masks the directory’s bodies, even those that are companies', () => {
    expect(maskText('株式会社商工組合中央金庫から報告。', { firms: [], terms: [], keep: ['株式会社商工組合中央金庫'] })).toBe('株式会社商工組合中央金庫から報告。');
  });

  test('leaves ordinary text, dates and shorter numbers alone', () => {
    const text = '令和6年9月27日、参加者は12名。電話 0312345678。';
    expect(maskText(text, none)).toBe(text);
  });

  test('the longest name wins when names overlap', () => {
    expect(maskText('越後テスト製作所の件', { firms: ['越後テスト', '越後テスト製作所'], terms: [], keep: [] })).toBe(`${FIRM_MASK}の件`);
  });
});
