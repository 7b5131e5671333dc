import { describe, expect, it } from 'vitest';
import { ending, LastWords } from '../../server/cluster/last-words.ts';

function heard(stderr: string[], stdout: string[] = []): LastWords {
  const w = new LastWords();
  for (const l of stdout) w.hearLog(l);
  for (const l of stderr) w.hear(l);
  return w;
}

describe('why a cluster process ended, as npm run cluster says it (last-words.ts)', () => {
  it("names the server's own reason for not starting", () => {
    const w = heard([
      'Lemonscale cannot start: cannot listen on 127.0.0.1:3001: port 3001 is in use (EADDRINUSE)',
    ]);
    expect(ending(1, null, w)).toBe(
      'status 1: Lemonscale cannot start: cannot listen on 127.0.0.1:3001: port 3001 is in use (EADDRINUSE)',
    );
  });

  it("names a fatal log line (the process guard giving up), or a crash's error line rather than its stack", () => {
    const fatal = '{"level":60,"msg":"uncaught exceptions keep coming; exiting","err":{"message":"boom"}}';
    expect(ending(1, null, heard([], ['{"level":30,"msg":"listening"}', fatal]))).toBe(
      'status 1: uncaught exceptions keep coming; exiting: boom',
    );
    const crash = [
      'file:///srv/main.js:12',
      '  throw e',
      '  ^',
      '',
      'TypeError: x is not a function',
      '    at f (main.js:3:1)',
      '',
      'Node.js v22.1.0',
    ];
    expect(ending(1, null, heard(crash))).toBe('status 1: TypeError: x is not a function');
  });

  it('says only the signal of a process killed without a word', () => {
    expect(ending(null, 'SIGKILL', heard([], ['{"level":30,"msg":"listening"}']))).toBe('SIGKILL');
  });
});
