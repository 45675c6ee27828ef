// Every doc of docs/ that is generated from code, with its renderer: `npm run docs` (cli/docs.ts)
// writes them and test/docs.test.ts fails when a file in the tree and its renderer part ways.
import { renderExtractsDoc } from './docs-extracts.ts';
import { renderKpisDoc } from './docs-kpis.ts';

export interface GeneratedDoc {
  /** From the repository's root. */
  path: string;
  render: () => string;
}

export const GENERATED_DOCS: readonly GeneratedDoc[] = [
  { path: 'docs/extracts.md', render: renderExtractsDoc },
  { path: 'docs/kpis.md', render: renderKpisDoc },
];
