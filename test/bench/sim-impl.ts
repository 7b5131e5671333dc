/**
 * The simulation's entry points the benchmark drives, loaded from a checkout's folder, so the same run
 * can measure this checkout and an older one (`npm run bench -- --baseline DIR`) side by side.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as BotGame from '../../shared/bots/bot-game.ts';
import type * as Hash from '../../shared/sim/hash.ts';
import type * as Recorded from '../../shared/sim/recorded-game.ts';
import type * as Fold from '../../shared/sim/log-fold.ts';
import type * as Checkpoints from '../../shared/sim/checkpoint.ts';
import type * as Session from '../../shared/replay/replay-session.ts';
import type * as Fork from '../../shared/replay/fork.ts';
import type * as Series from '../../shared/replay/series.ts';

export interface Simulation {
  dir: string;
  playBotGame: typeof BotGame.playBotGame;
  stateHash: typeof Hash.stateHash;
  replayLog: typeof Recorded.replayLog;
  LogFold: typeof Fold.LogFold;
  encodeCheckpoint: typeof Checkpoints.encodeCheckpoint;
  decodeCheckpoint: typeof Checkpoints.decodeCheckpoint;
  ReplaySession: typeof Session.ReplaySession;
  forkLog: typeof Fork.forkLog;
  collectSeries: typeof Series.collectSeries;
}

export async function loadSimulation(dir: string): Promise<Simulation> {
  const load = <T>(path: string): Promise<T> => import(pathToFileURL(join(dir, path)).href) as Promise<T>;
  const [botGame, hash, recorded, fold, checkpoints, session, fork, series] = await Promise.all([
    load<typeof BotGame>('shared/bots/bot-game.ts'),
    load<typeof Hash>('shared/sim/hash.ts'),
    load<typeof Recorded>('shared/sim/recorded-game.ts'),
    load<typeof Fold>('shared/sim/log-fold.ts'),
    load<typeof Checkpoints>('shared/sim/checkpoint.ts'),
    load<typeof Session>('shared/replay/replay-session.ts'),
    load<typeof Fork>('shared/replay/fork.ts'),
    load<typeof Series>('shared/replay/series.ts'),
  ]);
  return {
    dir,
    playBotGame: botGame.playBotGame,
    stateHash: hash.stateHash,
    replayLog: recorded.replayLog,
    LogFold: fold.LogFold,
    encodeCheckpoint: checkpoints.encodeCheckpoint,
    decodeCheckpoint: checkpoints.decodeCheckpoint,
    ReplaySession: session.ReplaySession,
    forkLog: fork.forkLog,
    collectSeries: series.collectSeries,
  };
}
