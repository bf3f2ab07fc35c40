/**
 * Normalises names for substring search: NFKC (full-width ASCII and half-width kana fold),
 * lower case, katakana folded to hiragana, and spaces removed — so "ﾆｯﾎﾟﾝ", "にっぽん" and
 * "ニッポン" all find 日本商工会議所 by its reading.
 */
export function normaliseForSearch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u30a1-\u30f6]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60))
    .replace(/[\s\u3000]+/g, '');
}

export function searchTextOf(...names: Array<string | null | undefined>): string {
  return names.filter((n): n is string => Boolean(n)).map(normaliseForSearch).join(' ');
}
