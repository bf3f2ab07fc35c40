import {
  FirmIdentityError,
  JSIC_DIVISIONS,
  corporateNumberCheckDigit,
  firmMatchKey,
  isJsicDivision,
  isKana,
  normaliseCorporateNumber,
  normaliseKana,
  validateCorporateNumber,
  validateKana,
} from './firm-identity';
import { DomainError, toGraphQLError } from '../shared/errors';

/**
 * Published 法人番号 (国税庁法人番号公表サイト). Each check digit is also worked by hand below:
 * Pₙ is the n-th digit of the 12-digit base counted from the right, Qₙ = 1 (odd n) or 2 (even n).
 */
const REAL_NUMBERS = {
  // 国税庁: base 000012050002. Non-zero terms: n1 2·1, n5 5·1, n7 2·1, n8 1·2 → 11; 11 mod 9 = 2; 9 − 2 = 7.
  国税庁: '7000012050002',
  // 東京都: base 000020130001. n1 1·1, n5 3·1, n6 1·2, n8 2·2 → 10; 10 mod 9 = 1; 9 − 1 = 8.
  東京都: '8000020130001',
  // 日本税理士会連合会: base 010705000725. n1 5·1, n2 2·2, n3 7·1, n7 5·1, n9 7·1, n11 1·1 → 29; 29 mod 9 = 2; 9 − 2 = 7.
  日本税理士会連合会: '7010705000725',
  // トヨタ自動車: base 180301018771. 1 + 7·2 + 7 + 8·2 + 1 + 0 + 1 + 0 + 3 + 0 + 8 + 1·2 = 53; 53 mod 9 = 8; 9 − 8 = 1.
  トヨタ自動車: '1180301018771',
};

describe('法人番号', () => {
  test('the check digit matches hand-worked examples, including a sum divisible by 9 giving 9', () => {
    expect(corporateNumberCheckDigit('000012050002')).toBe(7);
    expect(corporateNumberCheckDigit('000020130001')).toBe(8);
    expect(corporateNumberCheckDigit('010705000725')).toBe(7);
    expect(corporateNumberCheckDigit('180301018771')).toBe(1);
    // 123456789012: 2·1 + 1·2 + 0·1 + 9·2 + 8·1 + 7·2 + 6·1 + 5·2 + 4·1 + 3·2 + 2·1 + 1·2 = 74; 74 mod 9 = 2; 9 − 2 = 7.
    expect(corporateNumberCheckDigit('123456789012')).toBe(7);
    // Weights depend on position from the right: a 1 in n1 adds 1 (→ 8), in n2 adds 2 (→ 7).
    expect(corporateNumberCheckDigit('000000000001')).toBe(8);
    expect(corporateNumberCheckDigit('000000000010')).toBe(7);
    // Sums of 0, 9 and 18 are ≡ 0 (mod 9), so the digit is 9, never 0.
    expect(corporateNumberCheckDigit('000000000000')).toBe(9);
    expect(corporateNumberCheckDigit('000000000009')).toBe(9);
    expect(corporateNumberCheckDigit('000000000090')).toBe(9);
  });

  test('the check digit function refuses anything but 12 ASCII digits', () => {
    for (const bad of ['', '00001205000', '0000120500021', '００００１２０５０００２', '00001205000x']) {
      expect(() => corporateNumberCheckDigit(bad)).toThrow(RangeError);
    }
  });

  test.each(Object.entries(REAL_NUMBERS))('the published number of %s is accepted', (_name, number) => {
    expect(validateCorporateNumber(number)).toEqual({ ok: true, value: number });
  });

  test('every single-digit typo in a real number is rejected, except the undetectable 0↔9 swap in the base', () => {
    let rejected = 0;
    const undetected: string[] = [];
    for (const number of Object.values(REAL_NUMBERS)) {
      for (let i = 0; i < 13; i++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === number[i]) continue;
          const typo = number.slice(0, i) + d + number.slice(i + 1);
          const result = validateCorporateNumber(typo);
          if (result.ok) {
            undetected.push(typo);
            continue;
          }
          expect(result.error.code).toBe('firms/corporate_number_check_digit');
          rejected++;
        }
      }
    }
    // A 0↔9 swap at base position n changes the sum by 9·Qₙ ≡ 0 (mod 9): the scheme cannot see it
    // (国税庁 documents this). Every undetected typo must be exactly that, and nothing else slips through.
    for (const typo of undetected) {
      const original = Object.values(REAL_NUMBERS).find((n) => [...n].filter((c, i) => c !== typo[i]).length === 1)!;
      const i = [...original].findIndex((c, j) => c !== typo[j]);
      expect(i).toBeGreaterThan(0);
      expect(new Set([original[i], typo[i]])).toEqual(new Set(['0', '9']));
    }
    const zeroOrNineInBase = Object.values(REAL_NUMBERS).reduce((acc, n) => acc + [...n.slice(1)].filter((c) => c === '0' || c === '9').length, 0);
    expect(undetected).toHaveLength(zeroOrNineInBase);
    expect(rejected + undetected.length).toBe(Object.keys(REAL_NUMBERS).length * 13 * 9);
  });

  test('a leading 0 is always rejected, since a check digit is 1–9', () => {
    expect(validateCorporateNumber('0000012050002')).toMatchObject({ ok: false, error: { code: 'firms/corporate_number_check_digit' } });
  });

  test('full-width digits, spaces and hyphens are accepted and normalised to 13 ASCII digits', () => {
    for (const typed of ['７００００１２０５０００２', '7-0000-1205-0002', '7 0000 1205 0002', '７　００００　１２０５　０００２', '7－0000－1205－0002', '7ー0000ー1205ー0002', ' 7000012050002 ']) {
      expect(normaliseCorporateNumber(typed)).toBe('7000012050002');
      expect(validateCorporateNumber(typed)).toEqual({ ok: true, value: '7000012050002' });
    }
  });

  test('12 or 14 digits, letters and digit look-alikes are a format error, not a check-digit error', () => {
    for (const typed of ['000012050002', '70000120500020', '７００００１２０５０００', '', '   ', 'T7000012050002', '700001205000O', '①000012050002']) {
      expect(normaliseCorporateNumber(typed)).toBeNull();
      expect(validateCorporateNumber(typed)).toMatchObject({ ok: false, error: { code: 'firms/corporate_number_format' } });
    }
  });

  test('the errors are typed domain errors with a Japanese message the UI can show', () => {
    const format = validateCorporateNumber('123');
    const check = validateCorporateNumber('1000012050002');
    if (format.ok || check.ok) throw new Error('expected both to fail');
    expect(format.error).toBeInstanceOf(FirmIdentityError);
    expect(format.error).toBeInstanceOf(DomainError);
    expect(format.error).toMatchObject({
      code: 'firms/corporate_number_format',
      messageJa: '法人番号は13桁の数字で入力してください。',
      field: 'corporateNumber',
    });
    expect(format.error.messageEn).toMatch(/13 digits/);
    expect(check.error).toMatchObject({
      code: 'firms/corporate_number_check_digit',
      messageJa: '法人番号の検査用数字が一致しません。番号をご確認ください。',
      field: 'corporateNumber',
    });
    expect(validateCorporateNumber('123', 'input.corporateNumber')).toMatchObject({ error: { field: 'input.corporateNumber' } });
    expect(toGraphQLError(check.error)).toMatchObject({
      message: '法人番号の検査用数字が一致しません。番号をご確認ください。',
      extensions: { code: 'BAD_USER_INPUT', domainCode: 'firms/corporate_number_check_digit', field: 'corporateNumber' },
    });
  });
});

describe('フリガナ', () => {
  test('half-width katakana and hiragana become full-width katakana', () => {
    expect(normaliseKana('ﾔﾏﾀﾞ')).toBe('ヤマダ');
    expect(normaliseKana('やまだ')).toBe('ヤマダ');
    expect(normaliseKana('ｳﾞｧｲｵﾘﾝ')).toBe('ヴァイオリン');
    expect(normaliseKana('ゔぁいおりん')).toBe('ヴァイオリン');
    expect(normaliseKana('ｻｰﾋﾞｽ･ｾﾝﾀｰ')).toBe('サービス・センター');
    expect(normaliseKana('いすゞ')).toBe('イスヾ');
  });

  test('spaces are trimmed and collapsed to one', () => {
    expect(normaliseKana('  ﾔﾏﾀﾞ　　 ｾｲｻｸｼｮ ')).toBe('ヤマダ セイサクショ');
  });

  test('a reading of katakana, long vowel marks, middle dots and spaces is kana', () => {
    for (const ok of ['ヤマダ', 'ﾔﾏﾀﾞ', 'やまだ', 'ヤマダ セイサクショ', 'サービス・センター', 'ヴァイオリン', 'ヶ']) {
      expect(isKana(ok)).toBe(true);
    }
  });

  test('kanji, Latin letters, digits, ASCII hyphens and empty input are not kana', () => {
    for (const bad of ['山田', 'ヤマダ製作所', 'やまだ製作所', 'yamada', 'ヤマダ1', 'ヤマダ-テック', '', '   ', 'ヤマダ（カ）']) {
      expect(isKana(bad)).toBe(false);
    }
  });

  test('validateKana returns the normalised reading or a typed error', () => {
    expect(validateKana(' ﾔﾏﾀﾞ ')).toEqual({ ok: true, value: 'ヤマダ' });
    const result = validateKana('ヤマダ製作所');
    expect(result).toMatchObject({ ok: false, error: { code: 'firms/kana_invalid', messageJa: 'フリガナはカタカナで入力してください。', field: 'nameKana' } });
    if (!result.ok) expect(result.error).toBeInstanceOf(FirmIdentityError);
    expect(validateKana('山田', 'input.nameKana')).toMatchObject({ ok: false, error: { field: 'input.nameKana' } });
  });
});

describe('firmMatchKey', () => {
  test('the same firm written with and without its legal form matches within a prefecture', () => {
    const key = firmMatchKey('株式会社 山田製作所', '15');
    expect(key).toBe('15:山田製作所');
    for (const spelling of ['㈱山田製作所', '（株）山田製作所', '(株) 山田製作所', '山田製作所株式会社', '㍿山田製作所', '㊑山田製作所', '山田製作所', ' 山田 製作所 ']) {
      expect(firmMatchKey(spelling, '15')).toBe(key);
    }
  });

  test('the same name in another prefecture does not match', () => {
    expect(firmMatchKey('㈱山田製作所', '16')).not.toBe(firmMatchKey('株式会社 山田製作所', '15'));
    expect(firmMatchKey('㈱山田製作所', '16')).toBe('16:山田製作所');
  });

  test('other legal forms and their abbreviations are stripped', () => {
    const cases: Array<[string, string]> = [
      ['有限会社 田中商店', '田中商店'],
      ['㈲田中商店', '田中商店'],
      ['(有)田中商店', '田中商店'],
      ['合同会社ミドリ', 'ミドリ'],
      ['合資会社ミドリ', 'ミドリ'],
      ['合名会社ミドリ', 'ミドリ'],
      ['一般社団法人 地域振興会', '地域振興会'],
      ['公益財団法人 地域振興会', '地域振興会'],
      ['(一社)地域振興会', '地域振興会'],
      ['特定非営利活動法人 まちづくり', 'まちづくり'],
      ['NPO法人まちづくり', 'まちづくり'],
      ['医療法人社団 さくら会', 'さくら会'],
      ['税理士法人 みらい', 'みらい'],
    ];
    for (const [name, body] of cases) expect(firmMatchKey(name, '13')).toBe(`13:${body}`);
  });

  test('spaces and punctuation are ignored and Latin letters are folded to lower case', () => {
    expect(firmMatchKey('ヤマダ・テック', '13')).toBe(firmMatchKey('ヤマダテック', '13'));
    expect(firmMatchKey('ＡＢＣ　Ｔｅｃｈ．', '13')).toBe('13:abctech');
    expect(firmMatchKey('Yamada Co., Ltd.', '13')).toBe('13:yamada');
    expect(firmMatchKey('ＹＡＭＡＤＡ　ＣＯ．，ＬＴＤ．', '13')).toBe('13:yamada');
    expect(firmMatchKey('Yamada Inc.', '13')).toBe('13:yamada');
  });

  test('English suffixes are stripped only as whole trailing words', () => {
    expect(firmMatchKey('Zinc', '13')).toBe('13:zinc');
    expect(firmMatchKey('Blinc Corp', '13')).toBe('13:blinc');
  });

  test('different firms keep different keys', () => {
    expect(firmMatchKey('株式会社山田製作所', '15')).not.toBe(firmMatchKey('株式会社山田製作', '15'));
    expect(firmMatchKey('株式会社山田製作所', '15')).not.toBe(firmMatchKey('株式会社山口製作所', '15'));
    // Long vowel marks are part of the name, not punctuation.
    expect(firmMatchKey('ヤマダー', '15')).not.toBe(firmMatchKey('ヤマダ', '15'));
  });

  test('a name that is only a legal form keeps it rather than collapsing to an empty key', () => {
    expect(firmMatchKey('株式会社', '13')).toBe('13:株式会社');
  });

  test('a prefecture code outside 01–47 is a programming error', () => {
    for (const bad of ['1', '00', '48', '15 ', '１５', '']) {
      expect(() => firmMatchKey('山田製作所', bad)).toThrow(RangeError);
    }
    expect(firmMatchKey('山田製作所', '01')).toBe('01:山田製作所');
    expect(firmMatchKey('山田製作所', '47')).toBe('47:山田製作所');
  });
});

describe('JSIC 2023 major divisions', () => {
  test('there are 20 divisions with unique codes A to T in order', () => {
    expect(JSIC_DIVISIONS).toHaveLength(20);
    expect(JSIC_DIVISIONS.map((d) => d.code).join('')).toBe('ABCDEFGHIJKLMNOPQRST');
    expect(new Set(JSIC_DIVISIONS.map((d) => d.code)).size).toBe(20);
    for (const d of JSIC_DIVISIONS) {
      expect(d.nameJa).not.toBe('');
      expect(d.nameEn).not.toBe('');
    }
    expect(new Set(JSIC_DIVISIONS.map((d) => d.nameJa)).size).toBe(20);
  });

  test('names follow the 令和5年 classification', () => {
    const byCode = Object.fromEntries(JSIC_DIVISIONS.map((d) => [d.code, d.nameJa]));
    expect(byCode).toMatchObject({
      A: '農業，林業',
      E: '製造業',
      I: '卸売業，小売業',
      L: '学術研究，専門・技術サービス業',
      R: 'サービス業（他に分類されないもの）',
      S: '公務（他に分類されるものを除く）',
      T: '分類不能の産業',
    });
  });

  test('only the 20 upper-case letters are divisions', () => {
    for (const code of 'ABCDEFGHIJKLMNOPQRST') expect(isJsicDivision(code)).toBe(true);
    for (const code of ['U', 'a', '', 'AB', 'Ａ', '01']) expect(isJsicDivision(code)).toBe(false);
  });

  test('the list cannot be changed at run time', () => {
    expect(Object.isFrozen(JSIC_DIVISIONS)).toBe(true);
    expect(Object.isFrozen(JSIC_DIVISIONS[0])).toBe(true);
  });
});
