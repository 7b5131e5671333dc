import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * Security headers on every answer (helmet). The Content-Security-Policy allows what the built client
 * uses and nothing else: its own scripts (pixi.js runs without eval: the client imports
 * `pixi.js/unsafe-eval`, which despite its name swaps pixi's generated functions for static ones),
 * inline styles (uPlot and the screens set style attributes), data:/blob: images (the QR code, pixi
 * textures), blob: workers (pixi's texture loading), the same origin for fetches and the websocket.
 * frame-ancestors 'none' (and X-Frame-Options) so the teacher console cannot be framed; nosniff; no
 * referrer. No upgrade-insecure-requests and no HSTS: a classroom server is reached over plain http on
 * the LAN, where those would break every page. In dev mode (Vite middleware, inline HMR scripts) the CSP
 * is left off.
 */
export function securityHeaders(opts: { dev: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: opts.dev
      ? false
      : {
          useDefaults: false,
          directives: {
            defaultSrc: ["'self'"],
            scriptSrc: ["'self'"],
            styleSrc: ["'self'", "'unsafe-inline'"],
            imgSrc: ["'self'", 'data:', 'blob:'],
            fontSrc: ["'self'", 'data:'],
            connectSrc: ["'self'"],
            workerSrc: ["'self'", 'blob:'],
            objectSrc: ["'none'"],
            baseUri: ["'self'"],
            formAction: ["'self'"],
            frameAncestors: ["'none'"],
          },
        },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  });
}
