import type { IncomingMessage } from 'node:http';

/**
 * Which pages may open a Socket.IO connection: a browser sends the page's Origin, and by default only the
 * server's own pages (Origin host = the Host the request came to) are let in, so a page elsewhere cannot
 * drive a student's or teacher's session from their browser. ALLOWED_ORIGINS adds others (e.g. a
 * reverse proxy's public address). A request without Origin is no browser page (the CLI, tests, bots)
 * and is let in: the origin check protects browsers, tokens protect everything else.
 */
export function originAllowed(req: IncomingMessage, allowList: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowList.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
