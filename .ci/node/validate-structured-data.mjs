// Judge HTML pages' structured data with Adobe's validator and a schema.org vocabulary file.
//
//   node validate-structured-data.mjs VOCABULARY.jsonld PAGE.html [PAGE.html...]
//
// Prints one JSON object: for each page, the items found (by root type) and every issue the
// validator reports (unknown types or properties at any depth, Google's rules such as the
// image licence). Exit 0 whatever it found: the caller reads the counts and the issues.
import { readFile } from 'node:fs/promises';

import Validator from '@adobe/structured-data-validator';
import WebAutoExtractor from '@marbec/web-auto-extractor';

const [vocabularyPath, ...pages] = process.argv.slice(2);
if (!vocabularyPath || pages.length === 0) {
  console.error('usage: validate-structured-data.mjs VOCABULARY.jsonld PAGE.html...');
  process.exit(2);
}

const vocabulary = JSON.parse(await readFile(vocabularyPath, 'utf8'));
const report = { vocabularyTerms: (vocabulary['@graph'] || []).length, pages: {} };

for (const page of pages) {
  const html = await readFile(page, 'utf8');
  const extracted = new WebAutoExtractor({ addLocation: true, embedSource: false }).parse(html);
  const items = {};
  for (const [rootType, found] of Object.entries(extracted.jsonld || {})) {
    items[rootType] = found.length;
  }
  const issues = await new Validator(vocabulary).validate(extracted);
  report.pages[page] = {
    items,
    issues: issues.map(({ severity, issueMessage, path, fieldNames }) => ({
      severity,
      issueMessage,
      path,
      fieldNames,
    })),
  };
}

console.log(JSON.stringify(report, null, 2));
