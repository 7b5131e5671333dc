/**
 * How result numbers read, wherever they are shown (the browser's screens and the terminal's tables):
 * money with a $ and a real minus sign, shares as %, waits in seconds, one decimal at most.
 */
export function money(x: number): string {
  const sign = x < 0 ? '−' : '';
  const a = Math.abs(x);
  if (a >= 10_000) return `${sign}$${Math.round(a).toLocaleString('en-US')}`;
  return `${sign}$${a.toFixed(a >= 100 ? 0 : 2).replace(/\.00$/, '')}`;
}

export function pct(share: number): string {
  return `${Math.round(share * 100)}%`;
}

export function secs(s: number): string {
  return s >= 10 ? `${Math.round(s)} s` : `${s.toFixed(1)} s`;
}
