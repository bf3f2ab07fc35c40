/**
 * The public version of minutes: firm names masked. Names come from three places: the hub's own firm
 * register (full names, and names without the legal form when at least three characters long), the
 * words the secretariat adds for the meeting, and anything written in the shape of a company name
 * (株式会社〇〇 / 〇〇株式会社 …). Names of the directory's bodies (日本政策金融公庫, 商工組合中央金庫 …)
 * are never masked, and 13-digit 法人番号 always are.
 */
export const FIRM_MASK = '〇〇社';
export const TERM_MASK = '〇〇';
export const NUMBER_MASK = '（法人番号非公開）';

const LEGAL_FORM = '(?:株式会社|有限会社|合同会社|合名会社|合資会社|（株）|\\(株\\)|㈱|（有）|\\(有\\)|㈲)';
/** For PostgreSQL's regexp_replace: the legal form anywhere in a registered name. */
export const LEGAL_FORM_SQL = '(株式会社|有限会社|合同会社|合名会社|合資会社|（株）|\\(株\\)|㈱|（有）|\\(有\\)|㈲)';
// A name runs until a space, hiragana (particles) or punctuation.
const NAME_CHAR = '[^\\u0000\\s\\u3041-\\u309f、。，．,.・「」『』（）()【】［］\\[\\]:：;；!！?？〇]';
const SHAPED = new RegExp(`${LEGAL_FORM}${NAME_CHAR}{1,30}|${NAME_CHAR}{1,30}${LEGAL_FORM}`, 'g');
const CORPORATE_NUMBER = /(?<![0-9０-９])[0-9０-９]{13}(?![0-9０-９])/g;

export interface MaskWords {
  /** Firm names to mask (from the hub's register). */
  firms: string[];
  /** Further words the secretariat listed. */
  terms: string[];
  /** Names that must stay (the directory's bodies). */
  keep: string[];
}

const longestFirst = (words: string[]) => [...new Set(words.map((w) => w.trim()).filter((w) => w.length > 0))].sort((a, b) => b.length - a.length);

export function maskText(text: string, words: MaskWords): string {
  const kept: string[] = [];
  const hold = (value: string) => {
    kept.push(value);
    return `\u0000${kept.length - 1}\u0000`;
  };
  let out = text;
  for (const name of longestFirst(words.keep)) out = out.split(name).join(hold(name));
  for (const name of longestFirst(words.firms)) out = out.split(name).join(hold(FIRM_MASK));
  for (const term of longestFirst(words.terms)) out = out.split(term).join(hold(TERM_MASK));
  out = out.replace(SHAPED, FIRM_MASK).replace(CORPORATE_NUMBER, NUMBER_MASK);
  // eslint-disable-next-line no-control-regex
  return out.replace(/\u0000(\d+)\u0000/g, (_, i: string) => kept[Number(i)]!);
}
