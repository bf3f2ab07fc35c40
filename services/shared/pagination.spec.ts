import { decodeCursor, encodeCursor, isUuid } from './pagination';

const ID = '3f1c2a4e-8b7d-4c1e-9a2b-0d4e5f6a7b8c';

test('a cursor decodes to the id it was made from', () => {
  expect(decodeCursor('org', encodeCursor('org', ID))).toBe(ID);
});

test('a cursor from another list is refused', () => {
  expect(decodeCursor('person', encodeCursor('org', ID))).toBeNull();
});

test('text that is not a cursor we issued is refused', () => {
  expect(decodeCursor('org', 'not a cursor!')).toBeNull();
  expect(decodeCursor('org', Buffer.from('org:1 OR 1=1').toString('base64url'))).toBeNull();
  expect(decodeCursor('org', '')).toBeNull();
});

test('isUuid accepts UUIDs only', () => {
  expect(isUuid(ID)).toBe(true);
  expect(isUuid(ID.toUpperCase())).toBe(true);
  expect(isUuid('123')).toBe(false);
});
