import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import { builtInScenarios } from '../../shared/scenarios/index.ts';
import type { ServerConfig } from '../config.ts';
import type { Logger } from '../logging.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { StreamMetrics } from '../rooms/stream-metrics.ts';
import type { GameHead, GameReads, GameSummary } from '../storage/store.ts';
import { hashToken } from '../rooms/tokens.ts';
import { studentUrls } from './student-urls.ts';
import { securityHeaders } from './security-headers.ts';
import { EndedLogCache } from './ended-log-cache.ts';
import { addressFrom } from '../sockets/release-request.ts';
import { takePoint, type LimiterFactory } from '../sockets/limits.ts';
import { deletedGameMessage } from '../storage/game-retention.ts';

const GAME_ID = /^[0-9a-f]{16}$/;
/** Characters of ended games' logs kept ready to send (two bytes each at most: up to 64 MB). */
export const ENDED_LOG_CACHE_CHARS = 32 * 1024 * 1024;

/**
 * Pages and the small REST API. Room codes and tokens never appear here: the list of games is public to
 * anyone who can reach the server, and knowing a game id lets you read its log, not join it.
 */
export function createApp(deps: {
  config: ServerConfig;
  /** The embedded store answers at once, the cluster's PostgreSQL later: every read is awaited. */
  store: GameReads;
  registry: RoomRegistry;
  logger: Logger;
  metrics: StreamMetrics;
  /** The embedded store's shared transactions (GroupCommitStore), counted since start; absent otherwise. */
  commits?: { readonly transactions: number; readonly writes: number } | null;
  /**
   * Where rate limits count: this process (`memoryLimiters`), or Redis in a cluster (shared-limiters.ts).
   * Required: a default would let a cluster quietly count log reads per process again.
   */
  limiters: LimiterFactory;
  /** Ended games' logs as sent; the retention sweep removes the games it deletes (server.ts). */
  endedLogs?: EndedLogCache;
}): Express {
  const { store, registry } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders({ dev: deps.config.dev }));

  app.get('/health', (_req, res) => {
    const m = deps.metrics;
    res.json({
      ok: true,
      rooms: registry.size,
      // Cluster mode: which process answered (the rooms are the ones it owns).
      ...(deps.config.cluster ? { node: deps.config.cluster.nodeId } : {}),
      uptimeSeconds: Math.round(process.uptime()),
      // The tick stream: browsers that had to be resynchronised (should stay at zero) and snapshots cut.
      stream: { resyncs: m.resyncs, resyncReasons: m.resyncReasons, snapshots: m.snapshots },
      // The store's transactions and the rooms' writes they held since start: an operator (and the load
      // test) reads how many rooms share each disk sync, writes / transactions.
      ...(deps.commits
        ? { store: { transactions: deps.commits.transactions, writes: deps.commits.writes } }
        : {}),
    });
  });

  /**
   * Where students can reach this server: a teacher's browser on "localhost" cannot tell, so the join
   * link and QR code ask here for the machine's network addresses. Behind a balancer (cluster mode) that
   * is where the balancer listens, not this process's 127.0.0.1 and port; otherwise this request's port.
   */
  app.get('/api/info', (req, res) => {
    const at = deps.config.balancer ?? { host: deps.config.host, port: req.socket.localPort ?? 0 };
    res.json({ lanUrls: studentUrls(at) });
  });

  app.get('/api/scenarios', (_req, res) => {
    res.json(builtInScenarios());
  });

  const withLive = (g: GameSummary) => {
    const room = registry.byGameId(g.gameId);
    // In a cluster an open room may run on another process: its stored snapshot says how far it is.
    const elsewhere = deps.config.cluster && g.live && !g.ended ? (g.tick > 0 ? 'running' : 'lobby') : null;
    return {
      ...g,
      status: room ? room.status : g.ended ? 'ended' : (elsewhere ?? 'closed'),
      tick: room ? room.tick : g.tick,
      paused: room ? room.isPaused : false,
    };
  };

  const scenarioParam = (q: unknown): string | undefined | null => {
    if (q === undefined) return undefined;
    return typeof q === 'string' && /^[a-z0-9-]{1,40}$/.test(q) ? q : null;
  };

  app.get('/api/games', async (req, res) => {
    const scenario = scenarioParam(req.query.scenario);
    if (scenario === null) {
      res.status(400).json({ error: 'scenario must be a scenario id (lowercase letters, digits, dashes)' });
      return;
    }
    res.json((await store.listGames(200, scenario)).map(withLive));
  });

  /**
   * The same scenario across classes: every finished game of it with what it came to (players, median
   * profit, the strategy comparison, the top five), newest first.
   */
  app.get('/api/scenarios/:id/history', async (req, res) => {
    const scenario = scenarioParam(req.params.id);
    if (!scenario) {
      res.status(400).json({ error: 'not a scenario id' });
      return;
    }
    const games = (await store.listGames(200, scenario))
      // A game ended early says little about its strategies: it is not one of the finished games compared.
      .filter((g) => g.ended && !g.endedEarly && g.outcome)
      .map((g) => ({
        gameId: g.gameId,
        className: g.className,
        createdAt: g.createdAt,
        endedAt: g.endedAt,
        outcome: g.outcome,
      }));
    // How long the server keeps games: the panel says so, so a class missing from it is no surprise.
    res.json({ scenarioId: scenario, games, retentionDays: deps.config.gameRetentionDays });
  });

  /**
   * A game that is not there: 410 in words when the retention sweep deleted it (a replay link in an old
   * message, a list page left open, or deleted while its log was being read), with how long this server
   * keeps games; 404 otherwise.
   */
  const answerGone = async (res: express.Response, gameId: string): Promise<void> => {
    const deletedAt = await store.deletedAt(gameId);
    if (deletedAt !== undefined)
      res.status(410).json({
        error: deletedGameMessage(deletedAt, deps.config.gameRetentionDays),
        deleted: true,
      });
    else res.status(404).json({ error: 'no such game' });
  };
  /**
   * A running game's log would show every business (and the scores a teacher may be hiding): until the
   * game ends, only its teacher gets it, with the teacher token in the X-Teacher-Token header. Decided
   * from the game's head (its row, its log's last position, its players): reading its whole log to refuse
   * it would let anyone stall the server.
   */
  const readable = async (req: express.Request, res: express.Response) => {
    const id = req.params.id as string;
    const head = GAME_ID.test(id) ? await store.gameHead(id) : undefined;
    if (!head) {
      if (GAME_ID.test(id)) await answerGone(res, id);
      else res.status(404).json({ error: 'no such game' });
      return undefined;
    }
    const token = req.get('x-teacher-token');
    if (!head.summary.ended && !(token && hashToken(token) === head.teacherTokenHash)) {
      res.status(403).json({
        error: 'This game is still running: its log is for its teacher until it ends (send X-Teacher-Token).',
      });
      return undefined;
    }
    return head;
  };

  app.get('/api/games/:id', async (req, res) => {
    const head = await readable(req, res);
    if (!head) return;
    res.json({ ...withLive(head.summary), settings: head.header.settings, scenario: head.header.scenario });
  });

  const endedLogs = deps.endedLogs ?? new EndedLogCache(ENDED_LOG_CACHE_CHARS);
  /** Ended games' logs being read now: requests that come meanwhile share the read (and its JSON.stringify). */
  const endedReads = new Map<string, Promise<string | undefined>>();
  /**
   * Logs read from the store per address (in a cluster counted across its processes: behind a round-robin
   * balancer N processes would otherwise allow N times as many): each costs a whole log's read and
   * JSON.stringify (~0.4 s of the event loop for a 100,000-command game), and a loop over a few big ended
   * games beats the cache (two fill it). Downloads the cache or a read under way answer are not counted:
   * a class opening the same replay costs one.
   */
  const logReads = deps.limiters({
    keyPrefix: 'log-read',
    points: deps.config.logReadsPerMinute,
    duration: 60,
  });
  /** Whether `req`'s address may read one more log from the store now. */
  const mayRead = (req: express.Request): Promise<boolean> =>
    takePoint(logReads, addressFrom(req, req.socket.remoteAddress ?? '', deps.config.trustProxy));
  const readLog = async (gameId: string): Promise<string | undefined> => {
    const g = await store.getGame(gameId);
    if (!g) return undefined;
    const text = JSON.stringify(g.log, null, 1);
    if (g.summary.ended) endedLogs.set(gameId, text);
    return text;
  };
  /**
   * The log as sent: an ended game's from the cache once read (it no longer changes), or from its read
   * under way; a running one's as it is now. 'refused' when it needs a read past the address's budget.
   */
  const logText = async (req: express.Request, head: GameHead): Promise<string | undefined | 'refused'> => {
    const { gameId, ended } = head.summary;
    if (ended) {
      const kept = endedLogs.get(gameId) ?? (await endedReads.get(gameId));
      if (kept !== undefined) return kept;
    }
    if (!(await mayRead(req))) return 'refused';
    if (!ended) return readLog(gameId);
    // Another request may have started the read while this one was counted.
    let reading = endedReads.get(gameId);
    if (!reading) {
      reading = readLog(gameId).finally(() => endedReads.delete(gameId));
      endedReads.set(gameId, reading);
    }
    return reading;
  };

  app.get('/api/games/:id/log', async (req, res) => {
    const head = await readable(req, res);
    if (!head) return;
    const text = await logText(req, head);
    if (text === 'refused') {
      res
        .status(429)
        .set('Retry-After', '60')
        .json({ error: 'Too many game logs downloaded from this address; try again in a minute.' });
      return;
    }
    if (text === undefined) {
      // Gone between its row's read and its log's: deleted by the sweep (410) or never complete (404).
      await answerGone(res, head.summary.gameId);
      return;
    }
    const name = `lemonscale-${head.summary.scenarioId}-${head.summary.gameId}.json`;
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    res.type('application/json').send(text);
  });

  app.use('/api', (_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  return app;
}

/** The client build, with every other path answered by index.html (the client routes). */
export function serveClient(app: Express, clientDir: string, logger: Logger): void {
  const index = path.join(clientDir, 'index.html');
  if (!fs.existsSync(index)) {
    logger.warn(
      { clientDir },
      'no client build found: run `npm run build` (the API and sockets work without it)',
    );
  }
  app.use(express.static(clientDir, { index: false, maxAge: '1h' }));
  app.get('/{*splat}', (_req, res) => {
    if (fs.existsSync(index)) res.sendFile(index, { maxAge: 0 });
    else res.status(503).type('text').send('The Lemonscale client is not built: run `npm run build`.');
  });
}
