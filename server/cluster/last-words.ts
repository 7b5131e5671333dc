/**
 * Why a cluster process ended, from what it said: `npm run cluster` names the cause when a process cannot
 * start or dies, instead of only its exit status.
 */
/** The last lines a process wrote on stderr, and its last fatal log line, to say why it ended. */
export class LastWords {
  private lines: string[] = [];
  private fatal: string | null = null;
  hear(line: string): void {
    this.lines.push(line);
    if (this.lines.length > 20) this.lines.shift();
  }
  /** A log line on stdout: a fatal one (the process guard giving up: pino level 60) is kept. */
  hearLog(line: string): void {
    if (!line.includes('"level":60')) return;
    try {
      const l = JSON.parse(line) as { msg?: string; err?: { message?: string } };
      this.fatal = [l.msg, l.err?.message].filter(Boolean).join(': ') || null;
    } catch {
      // not a log line after all
    }
  }
  /**
   * The server's own one-line reason (main.ts's "Lemonscale cannot start: …") when it gave one, else its
   * fatal log line, else a crash's error line ("TypeError: …", not the stack frames under it), else the
   * end of what it wrote on stderr, else null (killed by a signal, nothing said).
   */
  cause(): string | null {
    const own = this.lines.findLast((l) => l.startsWith('Lemonscale cannot start:'));
    if (own) return own;
    if (this.fatal) return this.fatal;
    const thrown = this.lines.findLast((l) => /^[A-Za-z]*Error\b/.test(l));
    if (thrown) return thrown;
    const said = this.lines.filter((l) => l.trim() !== '' && !/^Node\.js v\d/.test(l));
    return said.length > 0 ? said.slice(-3).join(' | ') : null;
  }
}

/** "status 1: <its last words>", "SIGKILL": how a process ended and, if it said, why. */
export function ending(code: number | null, signal: NodeJS.Signals | null, words: LastWords): string {
  const how = signal ?? `status ${code}`;
  const cause = words.cause();
  return cause ? `${how}: ${cause}` : how;
}
