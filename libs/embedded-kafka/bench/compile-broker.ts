import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const LIB_ROOT = path.join(__dirname, '..');

/**
 * Transpiles the broker sources (and the bench's broker entry point) to plain CommonJS in
 * `outDir`, so the measured broker process runs without a TypeScript loader, whose own
 * ~70 MB of resident memory would otherwise be counted as the broker's.
 */
export function compileBroker(outDir: string): string {
  const files = [path.join(LIB_ROOT, 'bench', 'broker-process.ts')];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) files.push(full);
    }
  };
  walk(path.join(LIB_ROOT, 'src'));
  for (const file of files) {
    const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
      fileName: file,
    });
    const out = path.join(outDir, path.relative(LIB_ROOT, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, outputText);
  }
  return path.join(outDir, 'bench', 'broker-process.js');
}
