import fs from 'node:fs';
import path from 'node:path';

/** The template kept in the repo; `npm run cluster` fills it in. */
export const HAPROXY_TEMPLATE = path.resolve(import.meta.dirname, '../../deploy/haproxy.cfg');

/** One Lemonscale process behind the balancer. */
export interface Backend {
  name: string;
  host: string;
  port: number;
}

/** The template with its listening address and one `server` line per process filled in. */
export function haproxyConfig(
  bind: { host: string; port: number },
  backends: Backend[],
  template = fs.readFileSync(HAPROXY_TEMPLATE, 'utf8'),
): string {
  if (backends.length === 0) throw new Error('a balancer needs at least one process behind it');
  for (const b of backends)
    if (!/^[A-Za-z0-9_-]+$/.test(b.name)) throw new Error(`not a server name HAProxy takes: "${b.name}"`);
  const servers = backends.map((b) => `  server ${b.name} ${b.host}:${b.port} check`).join('\n');
  const filled = template.replace('{{BIND}}', `${bind.host}:${bind.port}`).replace('{{SERVERS}}', servers);
  if (/\{\{[A-Z]+\}\}/.test(filled))
    throw new Error('deploy/haproxy.cfg has a field the launcher does not know');
  return filled;
}
