import type { ListenAddress } from '../config.ts';
import { lanAddresses } from './lan-addresses.ts';

const WILDCARD = new Set(['0.0.0.0', '::']);
const LOOPBACK = /^(localhost|127(\.\d+){3}|::1|\[::1\])$/i;

/**
 * The addresses students on the class network can open, for a server (or the balancer in front of it)
 * listening at `at`: every interface (`0.0.0.0`, `::`) is this machine's network addresses; one loopback
 * address is none (only this machine reaches it); any other host is itself. One rule for the join link
 * and QR code (GET /api/info), the server's start-up lines and `npm run cluster`'s.
 */
export function studentUrls(at: ListenAddress, lan: () => string[] = lanAddresses): string[] {
  if (WILDCARD.has(at.host)) return lan().map((ip) => origin(ip, at.port));
  if (LOOPBACK.test(at.host)) return [];
  return [origin(at.host, at.port)];
}

/** `http://host:port`, an IPv6 address in brackets, port 80 left out (as a browser shows it). */
function origin(host: string, port: number): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return new URL(`http://${h}:${port}`).origin;
}
