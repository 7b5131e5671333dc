// Builds the server to plain JavaScript for `npm start` (and the load test, the browser tests and
// `npm run cluster`): one ES module, dist/server/main.js, with a source map. The project's own code
// (server/, shared/) is bundled; packages stay imports of node_modules. Unlike running through tsx, the
// output keeps no function names by wrapping (esbuild's keepNames: an Object.defineProperty each time a
// named closure is made) and needs no loader hook. `npm run dev` still runs the sources through tsx.
//   node scripts/build-server.mjs [--outdir DIR]
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist/server' } } });
const outdir = path.resolve(root, values.outdir);

const result = await build({
  absWorkingDir: root,
  entryPoints: ['server/main.ts'],
  outdir,
  bundle: true,
  // Packages are imported from node_modules at run time, as under tsx (native modules, vite in dev mode).
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // Run with `node --enable-source-maps`: stack traces name server/*.ts lines.
  sourcesContent: false,
  keepNames: false,
  minify: false,
  logLevel: 'warning',
  metafile: true,
});
const out = Object.entries(result.metafile.outputs).find(([f]) => f.endsWith('.js'));
console.log(
  `server built: ${path.relative(root, path.resolve(root, out[0]))} (${Object.keys(out[1].inputs).length} modules, ${(out[1].bytes / 1024).toFixed(0)} KB)`,
);
