import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../logging.ts';

/**
 * The last handler: every error a route or middleware raises ends here. The answer names what went wrong
 * in words and never carries a stack trace or a path of this machine (express's default page shows both
 * unless NODE_ENV=production, e.g. for a URL with a bad %-encoding). Server faults are logged in full.
 */
export function errorPage(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const e = (err ?? {}) as { status?: unknown; statusCode?: unknown; expose?: unknown };
    const raw =
      typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 500;
    const status = raw >= 400 && raw <= 599 ? raw : 500;
    if (status >= 500) logger.error({ err, url: req.originalUrl }, 'request failed');
    if (res.headersSent) {
      // Too late for a page: end what was started rather than write a second answer.
      res.destroy();
      return;
    }
    const message =
      status === 400
        ? 'Bad request: the address or its data could not be read.'
        : status < 500
          ? `The request was refused (${status}).`
          : 'Something went wrong on the server.';
    res.status(status);
    if (req.path.startsWith('/api/')) res.json({ error: message });
    else res.type('text/plain').send(message);
  };
}
