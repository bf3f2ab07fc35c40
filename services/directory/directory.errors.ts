import { DomainError } from '../shared/errors';

export const DirectoryErrorCode = {
  invalidPageSize: 'directory/invalid_page_size',
  invalidCursor: 'directory/invalid_cursor',
  invalidPrefecture: 'directory/invalid_prefecture',
  searchTooLong: 'directory/search_too_long',
} as const;
export type DirectoryErrorCode = (typeof DirectoryErrorCode)[keyof typeof DirectoryErrorCode];

export class DirectoryError extends DomainError<DirectoryErrorCode> {}

export const directoryErrors = {
  invalidPageSize: (max: number) =>
    new DirectoryError(DirectoryErrorCode.invalidPageSize, `件数 (first) は 1〜${max} で指定してください。`, `first must be between 1 and ${max}.`, 'first'),
  invalidCursor: () =>
    new DirectoryError(DirectoryErrorCode.invalidCursor, 'ページ位置 (after) が正しくありません。一覧を最初から読み込み直してください。', 'after is not a cursor this list issued.', 'after'),
  invalidPrefecture: (field: string) =>
    new DirectoryError(DirectoryErrorCode.invalidPrefecture, '都道府県コードは JIS X 0401 の 2 桁 (01〜47) で指定してください。', `${field} must be a JIS X 0401 prefecture code (01–47).`, field),
  searchTooLong: (max: number) =>
    new DirectoryError(DirectoryErrorCode.searchTooLong, `検索語は ${max} 文字以内で入力してください。`, `search must be at most ${max} characters.`, 'search'),
};
