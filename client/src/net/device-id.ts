const KEY = 'lemonscale.device';

let cached: string | null = null;

/**
 * A random id this browser makes once and keeps, sent in the Socket.IO handshake so that the server's
 * join limits count this device apart from the rest of the class behind the same school address. It is no
 * secret and no identity (the player token is); without storage it lives as long as the page.
 */
export function deviceId(): string {
  if (cached) return cached;
  try {
    const kept = localStorage.getItem(KEY);
    if (kept && /^[A-Za-z0-9_-]{16,64}$/.test(kept)) return (cached = kept);
  } catch {
    // No storage (private mode): a fresh id per page.
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  cached = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  try {
    localStorage.setItem(KEY, cached);
  } catch {
    // As above.
  }
  return cached;
}
