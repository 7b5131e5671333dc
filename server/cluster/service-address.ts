/**
 * A shared service's URL as people may see it, in start-up lines and errors: where it is (host, port,
 * database, user), never its password. A URL that does not parse is shown as such, not echoed (it may
 * hold a password in a form we do not recognise).
 */
export function serviceAddress(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '(an address that is not a URL)';
  }
  const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
  const db = u.pathname.length > 1 ? u.pathname : '';
  return `${u.protocol}//${user}${u.host}${db}`;
}
