import fs from 'node:fs';
import path from 'node:path';
import { composeSupergraph } from './composition';
import { REPO_ROOT } from '../services/registry';

test('the checked-in supergraph and API schema are what the subgraphs compose to', () => {
  const { supergraphSdl, publicSdl } = composeSupergraph();
  expect(fs.readFileSync(path.join(REPO_ROOT, 'schema/supergraph.graphql'), 'utf8')).toBe(supergraphSdl);
  expect(fs.readFileSync(path.join(REPO_ROOT, 'schema/api.graphql'), 'utf8')).toBe(publicSdl);
});

test('composition fails loudly when subgraphs disagree', () => {
  const a = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"]) type Query { a: Int } type Thing @key(fields: "id") { id: ID! name: String }';
  const b = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"]) type Query { b: Int } type Thing @key(fields: "id") { id: ID! name: Int }';
  expect(() => composeSupergraph([{ name: 'a', sdl: a, url: 'http://a' }, { name: 'b', sdl: b, url: 'http://b' }])).toThrow(/composition failed/);
});
