import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');
const run = (script: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'cli', script), ...args], {
    cwd: root,
    encoding: 'utf8',
  });
const dir = mkdtempSync(join(tmpdir(), 'lemonscale-cli-'));

describe('npm run sim / npm run replay', () => {
  it('plays a scenario with bots, writes a log, and the replay reproduces its hash', () => {
    const logFile = join(dir, 'game.json');
    const sim = run('sim.ts', [
      'fail-whale',
      '--bots',
      'scale-up,hybrid',
      '--seed',
      '9',
      '--json',
      '--log',
      logFile,
    ]);
    expect(sim.status, sim.stderr).toBe(0);
    const out = JSON.parse(sim.stdout);
    expect(out.players).toHaveLength(2);
    expect(out.players[0]).toHaveProperty('p95Wait');
    // Per business, what anyone needs to compare with theory.
    for (const p of out.players) {
      expect(p.meanTimeInSystem).toBeGreaterThan(p.meanWait);
      expect(p.meanLine).toBeGreaterThan(0);
      expect(p.utilisation).toBeGreaterThan(0);
      expect(p.utilisation).toBeLessThanOrEqual(1);
      expect(p.lost).toHaveProperty('balked');
    }
    const replay = run('replay.ts', [logFile, '--verify', '--json']);
    expect(replay.status, replay.stderr).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ hash: out.hash, matches: true });

    const table = run('sim.ts', ['fail-whale', '--bots', 'hybrid']);
    expect(table.stdout).toMatch(/Fail Whale[\s\S]*Hybrid Hal[\s\S]*state hash [0-9a-f]{14}/);

    const log = JSON.parse(readFileSync(logFile, 'utf8'));
    log.end.hash = '00000000000000';
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(log));
    const bad = run('replay.ts', [join(dir, 'tampered.json'), '--verify']);
    expect(bad.status).toBe(3);
    expect(bad.stderr).toMatch(/does not reproduce/);
  });

  it('bad arguments and bad files exit non-zero with a message that says what to fix', () => {
    const cases: [string, string[], RegExp][] = [
      ['sim.ts', ['no-such-scenario'], /neither a built-in scenario/],
      ['sim.ts', ['lemonade-week', '--bots', 'robot'], /unknown bot "robot"/],
      ['sim.ts', ['lemonade-week', '--seed', 'x'], /--seed must be an integer/],
      ['sim.ts', [], /give exactly one scenario/],
      ['replay.ts', [join(dir, 'missing.json')], /cannot read/],
      ['balance.ts', ['fail-whale', '--seeds', '0'], /--seeds must be an integer from 1 to 500/],
      ['balance.ts', ['nowhere'], /neither a built-in scenario/],
    ];
    writeFileSync(join(dir, 'bad-scenario.json'), JSON.stringify({ id: 'Bad Id' }));
    cases.push(['sim.ts', [join(dir, 'bad-scenario.json')], /id: must be 1-40 lowercase/]);
    writeFileSync(join(dir, 'future.json'), JSON.stringify({ format: 'lemonscale-log', version: 42 }));
    cases.push(['replay.ts', [join(dir, 'future.json')], /version 42/]);
    for (const [script, args, message] of cases) {
      const r = run(script, args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    }
  });

  it('npm run balance prints every strategy with its mean profit, interval, rank and wins', () => {
    const r = run('balance.ts', ['going-viral', '--seeds', '2']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Going Viral \(going-viral\), seeds 1\.\.2/);
    for (const bot of ['scale-up', 'scale-out', 'stateless-redundant', 'hybrid', 'do-nothing'])
      expect(r.stdout).toMatch(new RegExp(`\\d  ${bot}( \\(taught\\))?\\s+-?\\d+\\s+± \\d+`));
    expect(r.stdout).toMatch(/taught strategy: scale-out, first in \d of 2 seeds/);
  });
});
