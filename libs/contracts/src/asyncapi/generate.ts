import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildAsyncApiDocument } from './document';
import { toYaml } from './yaml';

export const ASYNCAPI_PATH = resolve(__dirname, '../../../../docs/asyncapi.yaml');

const HEADER = [
  '# Generated from libs/contracts by libs/contracts/src/asyncapi/generate.ts -- do not edit by hand.',
  '# Regenerate: npm run asyncapi -w @aftersales/contracts',
].join('\n');

export function renderAsyncApi(): string {
  return `${HEADER}\n${toYaml(buildAsyncApiDocument())}`;
}

function main(argv: string[]): number {
  const rendered = renderAsyncApi();
  if (argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(ASYNCAPI_PATH, 'utf8');
    } catch {
      // A missing file is simply out of date.
    }
    if (current === rendered) return 0;
    process.stderr.write(`${ASYNCAPI_PATH} is out of date; run without --check to regenerate it.\n`);
    return 1;
  }
  writeFileSync(ASYNCAPI_PATH, rendered);
  process.stdout.write(`wrote ${ASYNCAPI_PATH}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
