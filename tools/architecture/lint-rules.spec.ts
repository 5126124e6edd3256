import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// Lints fixture sources as if they lived at real paths in the workspace, so the test proves the
// architecture rules of eslint.config.mjs fire where they must and stay quiet elsewhere. The CLI
// runs in a child process because ESLint loads its config with import(), which Jest's VM lacks.
const root = join(__dirname, '../..');

async function ruleIdsFor(code: string, filePath: string): Promise<string[]> {
  const run = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/eslint/bin/eslint.js'),
      '--format',
      'json',
      '--stdin',
      '--stdin-filename',
      join(root, filePath),
    ],
    { cwd: root, input: code, encoding: 'utf8' },
  );
  const [result] = JSON.parse(run.stdout.slice(run.stdout.indexOf('[{'))) as {
    messages: { ruleId: string | null; message: string }[];
  }[];
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe('architecture lint rules', () => {
  // enforce-module-boundaries reads Nx's cached project graph; make sure it exists.
  beforeAll(() => {
    spawnSync('npx', ['nx', 'show', 'projects'], { cwd: root, env: { ...process.env, NX_DAEMON: 'false' } });
  });

  it.each([
    ["import { Injectable } from '@nestjs/common';", 'NestJS'],
    ["import { Repository } from 'typeorm';", 'TypeORM'],
    ["import { Kafka } from 'kafkajs';", 'kafkajs'],
    ["import { Pool } from 'pg';", 'pg'],
  ])('a domain folder may not import %s (%s)', async (importLine) => {
    const ids = await ruleIdsFor(
      `${importLine}\nexport const x = 1;\n`,
      'apps/after-sales-service/src/domain/fixture.ts',
    );
    expect(ids).toContain('no-restricted-imports');
  });

  it('the same import is fine outside the domain folder', async () => {
    const ids = await ruleIdsFor(
      "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
      'apps/after-sales-service/src/api/fixture.ts',
    );
    expect(ids).not.toContain('no-restricted-imports');
  });

  it('a service may not import another service', async () => {
    const ids = await ruleIdsFor(
      "import { OrderServiceModule } from '../../order-service/src/order-service.module';\nexport const x = OrderServiceModule;\n",
      'apps/after-sales-service/src/fixture.ts',
    );
    expect(ids).toContain('@nx/enforce-module-boundaries');
  });

  it('a service may not import another service by its package name', async () => {
    const ids = await ruleIdsFor(
      "import { OrderServiceModule } from '@aftersales/order-service';\nexport const x = OrderServiceModule;\n",
      'apps/after-sales-service/src/fixture.ts',
    );
    expect(ids).toContain('@nx/enforce-module-boundaries');
  });

  it('a service may import the shared libraries', async () => {
    const ids = await ruleIdsFor(
      "import { ManualClock } from '@aftersales/kernel';\nexport const x = new ManualClock();\n",
      'apps/after-sales-service/src/fixture.ts',
    );
    expect(ids).toEqual([]);
  });
});
