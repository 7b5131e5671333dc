/**
 * The banner at the top of every page when the connection drops. It says what is happening in words
 * (and an icon), and disappears when the socket is back.
 */
let lostSince = 0;
let timer: number | undefined;

export function showConnectionBanner(state: 'ok' | 'lost' | 'reconnecting'): void {
  const el = document.getElementById('connection-banner');
  if (!el) return;
  if (state === 'ok') {
    if (lostSince) {
      el.textContent = '✅ Reconnected';
      el.className = 'conn ok';
      window.clearTimeout(timer);
      timer = window.setTimeout(() => (el.hidden = true), 1500);
    }
    lostSince = 0;
    return;
  }
  if (!lostSince) lostSince = Date.now();
  window.clearTimeout(timer);
  el.hidden = false;
  el.className = 'conn lost';
  el.textContent =
    state === 'lost'
      ? '⚠️ Connection lost — reconnecting…'
      : '⚠️ Connection lost — trying to reconnect… your business is safe on the server.';
}
