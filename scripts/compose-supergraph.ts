/**
 * Composes the supergraph from every subgraph's SDL (services/registry.ts) with
 * @theguild/federation-composition and writes schema/supergraph.graphql (what the gateway runs)
 * and schema/api.graphql (the public API the web app generates its types from).
 *
 *   npm run compose          write both files
 *   npm run compose -- --check  fail when the checked-in files are stale (CI)
 */
import fs from 'node:fs';
import path from 'node:path';
import { composeSupergraph } from '../gateway/composition';
import { REPO_ROOT } from '../services/registry';

const check = process.argv.includes('--check');
const result = composeSupergraph();
const outputs: Array<[string, string]> = [
  [path.join(REPO_ROOT, 'schema/supergraph.graphql'), result.supergraphSdl],
  [path.join(REPO_ROOT, 'schema/api.graphql'), result.publicSdl],
];

let stale = false;
for (const [file, content] of outputs) {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current === content) continue;
  if (check) {
    stale = true;
    console.error(`${path.relative(REPO_ROOT, file)} is stale: run \`npm run compose\` and commit the result.`);
  } else {
    fs.writeFileSync(file, content);
    console.log(`wrote ${path.relative(REPO_ROOT, file)}`);
  }
}
if (stale) process.exit(1);
if (check) console.log('supergraph is up to date');
