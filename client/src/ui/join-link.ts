import QRCode from 'qrcode';
import { h } from './dom.ts';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** The link students open (or scan) to land on the join form with the code filled in. */
export function joinUrl(roomCode: string, origin = location.origin): string {
  return `${origin}/#/join/${roomCode}`;
}

function drawQr(box: HTMLElement, url: string): void {
  void QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then((svg) => {
    box.innerHTML = svg;
  });
}

/** A QR code as inline SVG: crisp on a projector at any size. */
export function qrCode(url: string, label: string): HTMLElement {
  const box = h('div', { class: 'qr', role: 'img', 'aria-label': label });
  drawQr(box, url);
  return box;
}

/**
 * Where students should go. A page opened as "localhost" cannot hand that out (nobody else can open it),
 * so then the server is asked for this machine's network address (GET /api/info).
 */
export async function studentOrigin(): Promise<string> {
  if (!LOOPBACK.has(location.hostname)) return location.origin;
  try {
    const info = (await (await fetch('/api/info')).json()) as { lanUrls?: string[] };
    return info.lanUrls?.[0] ?? location.origin;
  } catch {
    return location.origin;
  }
}

/**
 * The join link, its QR code and (on localhost) a note, for the teacher's console and the projector.
 * They show this page's address at once and switch to the network address when the server names it.
 */
export function joinLinkParts(roomCode: string): {
  link: HTMLAnchorElement;
  qr: HTMLElement;
  note: HTMLElement | null;
} {
  const first = joinUrl(roomCode);
  const link = h('a', { href: first, class: 'join-url' }, first) as HTMLAnchorElement;
  const qr = qrCode(first, `QR code to join room ${roomCode}`);
  const loopback = LOOPBACK.has(location.hostname);
  const note = loopback
    ? h(
        'p',
        { class: 'hint warn-hint' },
        '⚠️ This page is open as "localhost", which students cannot reach. Looking up this computer\'s network address…',
      )
    : null;
  if (loopback) {
    void studentOrigin().then((origin) => {
      if (origin === location.origin) {
        note!.textContent =
          '⚠️ This page is open as "localhost", which students cannot reach, and the server found no network address. Open it with this computer\'s address on the class Wi-Fi (for example http://192.168.1.20:' +
          (location.port || '80') +
          ').';
        return;
      }
      const url = joinUrl(roomCode, origin);
      link.href = url;
      link.textContent = url;
      drawQr(qr, url);
      note!.textContent = `ℹ️ Students join at ${origin} (this computer's network address); the link and QR code use it.`;
      note!.classList.remove('warn-hint');
    });
  }
  return { link, qr, note };
}
