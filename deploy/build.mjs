// Compiles the workspace's TypeScript to CommonJS JavaScript for the container image, with the same
// SWC settings (.swcrc) that tests and `npm start` use, so decorators and their metadata behave
// identically. Only @swc/core (a devDependency) is needed: no @swc/cli, no tsc emit.
//
//   node deploy/build.mjs [outDir]          (default: dist/image)
//
// outDir gets two trees with the workspace layout, to be copied on top of each other:
//   manifests/  package.json, package-lock.json (unchanged) and apps/*/package.json,
//               libs/*/package.json with `main` rewritten from src/*.ts to src/*.js (and `types`
//               dropped), so the npm-workspace symlinks (@aftersales/*) resolve to compiled code
//               without @swc-node/register at runtime. Kept apart so that the image's
//               `npm ci --omit=dev` layer stays cached while only code changes.
//   app/        apps/*/src/**/*.js, libs/*/src/**/*.js (+ .js.map; run node with
//               --enable-source-maps for TypeScript stack traces), deploy/healthcheck.js (the
//               image's HEALTHCHECK) and deploy/migrate.js (the migration Job's command).
// Tests (*.spec.ts, __tests__/, test/) and benchmarks (bench/) are left out.
import { transformFile } from '@swc/core';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(root, process.argv[2] ?? 'dist/image');

const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name === '__tests__' || name === 'node_modules') continue;
      yield* sources(path);
    } else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !/\.(spec|test)\.ts$/.test(name)) {
      yield path;
    }
  }
}

function tsToJs(path) {
  return typeof path === 'string' ? path.replace(/\.ts$/, '.js') : path;
}

function writeOut(rel, content) {
  const target = join(outDir, rel);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
mkdirSync(join(outDir, 'manifests'), { recursive: true });
copyFileSync(join(root, 'package.json'), join(outDir, 'manifests/package.json'));
copyFileSync(join(root, 'package-lock.json'), join(outDir, 'manifests/package-lock.json'));

let files = 0;
for (const group of ['apps', 'libs']) {
  for (const pkg of readdirSync(join(root, group))) {
    const pkgDir = join(root, group, pkg);
    const manifestPath = join(pkgDir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.main = tsToJs(manifest.main);
    if (manifest.types) delete manifest.types;
    writeOut(join('manifests', group, pkg, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

    const srcDir = join(pkgDir, 'src');
    if (!existsSync(srcDir)) continue;
    for (const file of sources(srcDir)) {
      const rel = relative(root, file);
      const outRel = join('app', tsToJs(rel));
      const { code, map } = await transformFile(file, {
        ...swcrc,
        swcrc: false,
        filename: file,
        // The .ts sources are not in the image: name them as if they sat next to the .js, so a
        // stack trace reads /app/apps/<svc>/src/<file>.ts:<line>.
        sourceFileName: basename(file),
      });
      const mapName = `${basename(outRel)}.map`;
      writeOut(
        outRel,
        map && !code.includes('sourceMappingURL=') ? `${code}\n//# sourceMappingURL=${mapName}\n` : code,
      );
      if (map) writeOut(`${outRel}.map`, map);
      files++;
    }
  }
}

for (const script of ['healthcheck.js', 'migrate.js'])
  writeOut(join('app/deploy', script), readFileSync(join(root, 'deploy', script)));
process.stdout.write(`compiled ${files} files into ${relative(root, outDir) || '.'}\n`);
