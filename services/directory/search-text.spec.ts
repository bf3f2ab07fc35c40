import { normaliseForSearch, searchTextOf } from './search-text';

describe('normaliseForSearch', () => {
  test('folds katakana, half-width katakana and hiragana to the same text', () => {
    expect(normaliseForSearch('ショウコウ')).toBe('しょうこう');
    expect(normaliseForSearch('ｼｮｳｺｳ')).toBe('しょうこう');
    expect(normaliseForSearch('しょうこう')).toBe('しょうこう');
  });

  test('folds full-width Latin letters and case, and drops spaces of both widths', () => {
    expect(normaliseForSearch('ＳＭＲＪ　Japan')).toBe('smrjjapan');
  });

  test('leaves kanji alone', () => {
    expect(normaliseForSearch('日本商工会議所')).toBe('日本商工会議所');
  });
});

test('searchTextOf joins every present name so any of them can match', () => {
  expect(searchTextOf('日本商工会議所', 'ニッポンショウコウカイギショ', null, 'JCCI')).toBe('日本商工会議所 にっぽんしょうこうかいぎしょ jcci');
});
