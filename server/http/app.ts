import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import { builtInScenarios } from '../../shared/scenarios/index.ts';
import type { ServerConfig } from '../config.ts';
import type { Logger } from '../logging.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { GameStore, GameSummary } from '../storage/store.ts';

const GAME_ID = /^[0-9a-f]{16}$/;

/**
 * Pages and the small REST API. Room codes and tokens never appear here: the list of games is public to
 * anyone who can reach the server, and knowing a game id lets you read its log, not join it.
 */
export function createApp(deps: {
  config: ServerConfig;
  store: GameStore;
  registry: RoomRegistry;
  logger: Logger;
}): Express {
  const { store, registry } = deps;
  const app = express();
  app.disable('x-powered-by');

  app.get('/health', (_req, res) => {
    res.json({ ok: true, rooms: registry.size, uptimeSeconds: Math.round(process.uptime()) });
  });

  app.get('/api/scenarios', (_req, res) => {
    res.json(builtInScenarios());
  });

  const withLive = (g: GameSummary) => {
    const room = registry.byGameId(g.gameId);
    return {
      ...g,
      status: room ? room.status : g.ended ? 'ended' : 'closed',
      tick: room ? room.tick : g.tick,
      paused: room ? room.isPaused : false,
    };
  };

  app.get('/api/games', (_req, res) => {
    res.json(store.listGames(200).map(withLive));
  });

  app.get('/api/games/:id', (req, res) => {
    const id = req.params.id;
    const g = GAME_ID.test(id) ? store.getGame(id) : undefined;
    if (!g) {
      res.status(404).json({ error: 'no such game' });
      return;
    }
    res.json({ ...withLive(g.summary), settings: g.log.header.settings, scenario: g.log.header.scenario });
  });

  app.get('/api/games/:id/log', (req, res) => {
    const id = req.params.id;
    const g = GAME_ID.test(id) ? store.getGame(id) : undefined;
    if (!g) {
      res.status(404).json({ error: 'no such game' });
      return;
    }
    const name = `lemonscale-${g.summary.scenarioId}-${id}.json`;
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    res.type('application/json').send(JSON.stringify(g.log, null, 1));
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
