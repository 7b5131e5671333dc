import QRCode from 'qrcode';
import { h } from './dom.ts';

/** The link students open (or scan) to land on the join form with the code filled in. */
export function joinUrl(roomCode: string): string {
  return `${location.origin}/#/join/${roomCode}`;
}

/** A QR code as inline SVG: crisp on a projector at any size. */
export function qrCode(url: string, label: string): HTMLElement {
  const box = h('div', { class: 'qr', role: 'img', 'aria-label': label });
  void QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then((svg) => {
    box.innerHTML = svg;
  });
  return box;
}

/** A teacher on localhost would hand out a link nobody else can open: say so. */
export function localNetworkHint(): HTMLElement | null {
  const host = location.hostname;
  if (host !== 'localhost' && host !== '127.0.0.1' && host !== '::1' && host !== '[::1]') return null;
  return h(
    'p',
    { class: 'hint warn-hint' },
    '⚠️ This page is open as "localhost", which students cannot reach. Open it with this computer\'s network address (for example http://192.168.1.20:' +
      (location.port || '80') +
      ') so the link and QR code work on the class Wi-Fi.',
  );
}
