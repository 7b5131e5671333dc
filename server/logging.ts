import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stdout (pipe through `pino-pretty` to read them as text), or in `file` (emptied
 * first; written synchronously, so a process that is killed leaves its last lines there): the browser
 * tests keep the server's log this way and attach it to a test that fails (test/e2e/server-log.ts).
 */
export function createLogger(level: string, file: string | null = null): Logger {
  const options = { level, base: { app: 'lemonscale' } };
  if (file === null) return pino(options);
  return pino(options, pino.destination({ dest: file, mkdir: true, append: false, sync: true }));
}
