import os from 'node:os';
import type { ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, expect } from 'vitest';
import { parseLog, type GameLog } from '../../shared/sim/game-log.ts';
import { replayLog } from '../../shared/sim/recorded-game.ts';
import { stateHash } from '../../shared/sim/hash.ts';
import { call, client, ok, sleep, type ClientSocket, type Student } from './helpers.ts';
import { startChild, type ChildServer } from './child-server.ts';
import type { Redis } from 'ioredis';
import { RoomLeases } from '../../server/cluster/room-leases.ts';
import { takeoverPhases } from '../../server/cluster/cluster-rooms.ts';
import { TEST_REDIS_URL, testServices, type TestServices } from './cluster-services.ts';

/**
 * Cluster-mode server processes for the tests (cluster-rooms, cluster-faults): each the real server,
 * built as `npm start` runs it (test/build-server-once.ts), with REDIS_URL and DATABASE_URL, a node id,
 * the test's key prefix, a short lease.
 */

export const LEASE_MS = 500;

/**
 * A test file's cluster, fresh for every test: its own PostgreSQL schema and Redis key prefix
 * (testServices), the server processes its tests start on them (`nodes`), all killed and the services
 * closed after each test. Call at the top of the file; read `services` inside a test.
 */
export function clusterPerTest(): { readonly services: TestServices; readonly nodes: Nodes } {
  let services: TestServices | null = null;
  const now = (): TestServices => services ?? expect.unreachable('cluster services are made in beforeEach');
  const nodes = new Nodes(() => ({
    REDIS_URL: TEST_REDIS_URL,
    DATABASE_URL: now().databaseUrl,
    KEY_PREFIX: now().prefix,
  }));
  beforeEach(async () => {
    services = await testServices();
  });
  afterEach(async () => {
    nodes.killAll();
    await now().close();
    services = null;
  });
  return {
    get services() {
      return now();
    },
    nodes,
  };
}

export class Nodes {
  readonly children: ChildProcess[] = [];
  /** The processes by node id (the name their leases carry). */
  readonly byId = new Map<string, ChildServer>();

  constructor(private readonly env: () => Record<string, string>) {}

  async start(nodeId: string, env: Record<string, string> = {}): Promise<ChildServer> {
    const srv = await startChild(os.tmpdir(), {
      NODE_ID: nodeId,
      LEASE_MS: String(LEASE_MS),
      ...this.env(),
      ...env,
    }).catch((e: Error & { stderr?: string; stdout?: string }) => {
      throw new Error(`node ${nodeId} did not start: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    });
    this.children.push(srv.child);
    this.byId.set(nodeId, srv);
    return srv;
  }

  /**
   * The process that holds the room's lease now, once one of `among` does. On a busy machine an owner
   * may lose a 500 ms lease to a stall and another process take the room: the lease says who runs it.
   */
  async ownerOf(
    redis: Redis,
    prefix: string,
    gameId: string,
    among: ChildServer[],
    timeoutMs = 20_000,
  ): Promise<ChildServer> {
    const leases = new RoomLeases(redis, 'test-probe', LEASE_MS, prefix);
    const until = Date.now() + timeoutMs;
    for (;;) {
      const h = await leases.holder(gameId);
      const n = h ? this.byId.get(h.nodeId) : undefined;
      if (n && among.includes(n)) return n;
      if (Date.now() > until) throw new Error(`no process among those alive holds game ${gameId}`);
      await sleep(20);
    }
  }

  killAll(): void {
    for (const c of this.children.splice(0)) {
      if (c.signalCode === 'SIGSTOP') c.kill('SIGCONT');
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    }
  }
}

export function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

export async function logOf(url: string, gameId: string): Promise<GameLog> {
  const log = parseLog(await (await fetch(`${url}/api/games/${gameId}/log`)).json());
  if (!log.ok) throw new Error(log.errors.join('; '));
  return log.value;
}

export interface Play {
  /** Every acknowledged command, as `player@tick`. */
  acked: string[];
  /** Refusals by code (e.g. `cant-save` while storage is unreachable). */
  refused: Record<string, number>;
  stop(): Promise<void>;
}

/**
 * Students switch their load balancer's mode (buying one first) as fast as the per-connection limit
 * allows, until stopped or disconnected; what was acknowledged is kept as `player@tick`.
 */
export function play(students: Student[], into?: Play): Play {
  let stopped = false;
  const p: Play = into ?? { acked: [], refused: {}, stop: async () => undefined };
  const count = (code: string): void => void (p.refused[code] = (p.refused[code] ?? 0) + 1);
  const loops = students.map(async (st) => {
    let mode: 'active-active' | 'active-passive' = 'active-active';
    while (!stopped) {
      const r = await call(st.socket, 'player:action', { type: 'set-lb-mode', mode }).catch(() => null);
      if (!r) return;
      if (r.ok) p.acked.push(`${st.playerId}@${r.tick}`);
      else if (r.error.code !== 'needs-load-balancer') count(r.error.code);
      else {
        const b = await call(st.socket, 'player:action', { type: 'buy', item: 'load-balancer' }).catch(
          () => null,
        );
        if (!b) return;
        if (b.ok) p.acked.push(`${st.playerId}@${b.tick}`);
        else count(b.error.code);
      }
      mode = mode === 'active-active' ? 'active-passive' : 'active-active';
      // Two commands a round at most, under the per-connection limit (COMMANDS_PER_SECOND).
      await sleep(100);
    }
  });
  p.stop = async () => {
    stopped = true;
    await Promise.all(loops);
  };
  return p;
}

/** Waits (on the condition, not a fixed time) until `n` more commands than `from` were acknowledged. */
export async function acksPast(p: Play, from: number, n = 3, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (p.acked.length < from + n) {
    if (Date.now() > until) throw new Error(`only ${p.acked.length - from} of ${n} commands acknowledged`);
    await sleep(20);
  }
}

/**
 * A resume as a page sends it: answered `owner-unavailable` (the room is between owners: just taken
 * over, or its new owner's lease lapsed under a stall of this loaded machine and is being taken again),
 * it is sent again after a moment (client/src/net/resume-backoff.ts), for up to `timeoutMs`.
 */
export async function resumeAsAPage(
  socket: ClientSocket,
  event: 'player:resume' | 'teacher:resume',
  payload: { roomCode: string; playerToken: string } | { roomCode: string; teacherToken: string },
  timeoutMs = 15_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await call(socket, event, payload);
    if (r.ok || r.error.code !== 'owner-unavailable' || Date.now() > until) return void ok(r);
    await sleep(200);
  }
}

/** The students' pages come back on `url` with their tokens (as a page does after a reconnect). */
export async function resumeAll(url: string, roomCode: string, students: Student[]): Promise<Student[]> {
  const back: Student[] = [];
  for (const st of students) {
    const socket: ClientSocket = await client(url);
    await resumeAsAPage(socket, 'player:resume', { roomCode, playerToken: st.playerToken });
    back.push({ ...st, socket });
  }
  return back;
}

/** Every acknowledged command is in the log, and the log replays to the end it records. */
export function expectEveryAck(log: GameLog, acked: string[]): void {
  const inLog = new Set(log.commands.map((e) => `${'playerId' in e.cmd ? e.cmd.playerId : ''}@${e.tick}`));
  const missing = acked.filter((a) => !inLog.has(a));
  expect(missing).toEqual([]);
  expect(stateHash(replayLog(log))).toBe(log.end!.hash);
}

/** The line a process prints when it took a room over: its tick, and the wall time it was ticking again. */
export function takeoverLine(stdout: string, roomCode: string): { tick: number; at: number } | null {
  const p = takeoverPhases(stdout, roomCode);
  return p ? { tick: p.tick, at: p.restoredAt } : null;
}
