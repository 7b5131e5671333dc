import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's build of the server (test/integration/child-server.ts's serverArgs runs it). */
    builtServer: string;
  }
}

const root = path.resolve(import.meta.dirname, '..');

/**
 * vitest's global setup: builds the server once per run, as `npm start` does (scripts/build-server.mjs),
 * before any test file starts, so the tests' server processes run what production runs and files
 * running in parallel never see a half-written build. The build goes to a folder of this run's own
 * under dist/ (not dist/server, which `npm start` or the browser tests' build may be writing at the same
 * time), two levels deep as dist/server is: the bundle finds node_modules and deploy/ from there the
 * same way. Removed when the run ends.
 */
export default function setup(project: TestProject): () => void {
  const dist = path.join(root, 'dist');
  fs.mkdirSync(dist, { recursive: true });
  // A run that was killed left its build behind; one older than a day is nobody's (a run takes minutes).
  for (const name of fs.readdirSync(dist))
    if (name.startsWith('test-server-')) {
      const old = path.join(dist, name);
      if (Date.now() - fs.statSync(old).mtimeMs > 24 * 3600 * 1000)
        fs.rmSync(old, { recursive: true, force: true });
    }
  const dir = fs.mkdtempSync(path.join(dist, 'test-server-'));
  const build = (): void =>
    void execFileSync(process.execPath, ['scripts/build-server.mjs', '--outdir', dir], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  build();
  project.provide('builtServer', path.join(dir, 'main.js'));
  // Watch mode: a rerun may follow an edit of the server.
  project.onTestsRerun(build);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
