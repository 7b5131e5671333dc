import { describe, expect, it } from 'vitest';
import { replayLog } from '../../shared/sim/recorded-game.ts';
import { call, client, closeAll, createRoom, joinStudents, ok, sleep, type ClientSocket } from './helpers.ts';
import { printed } from './child-server.ts';
import { clusterPerTest, killed, logOf, resumeAsAPage } from './cluster-nodes.ts';

// Safe retries in cluster mode: a command's id goes with it from the process the page is connected to
// (forwarded to the room's owner) into the log in PostgreSQL, and a process that takes the room over
// remembers it from there, the entries before the checkpoint it rebuilt from included. A command sent
// again after the owner was killed gets its first tick and is applied once.

const cluster = clusterPerTest();
const { nodes } = cluster;

/**
 * Sends an action as the page does (client/src/net/safe-command.ts): answered `owner-unavailable` (the
 * room between owners) or `not-player`/`not-teacher` (the connection's roles not yet back there), the
 * same payload with the same id again after a moment. Resolves with the tick it was answered.
 */
async function sendAsAPage(
  socket: ClientSocket,
  event: 'player:action' | 'teacher:action',
  payload: Record<string, unknown>,
  timeoutMs = 15_000,
): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await call(socket, event, payload);
    if (r.ok || !PASSING.includes(r.error.code) || Date.now() > until) return ok(r).tick;
    await sleep(100);
  }
}
const PASSING = ['owner-unavailable', 'not-player', 'not-teacher'];

describe('safe retries in cluster mode', () => {
  it('a purchase sent again after the owner is killed, to the new owner or through another process, gets its first tick and is applied once', async () => {
    const [a, b, c] = await Promise.all([nodes.start('a'), nodes.start('b'), nodes.start('c')]);
    const { teacher, roomCode, teacherToken, gameId } = await createRoom(a.url, {
      scenarioId: 'going-viral',
      seed: 11,
    });
    // One student on the owner, one on another process (its commands are forwarded to a).
    const [here] = await joinStudents(a.url, roomCode, 1);
    const [there] = await joinStudents(b.url, roomCode, 1, 'Elsewhere');
    const start = { type: 'start', commandId: 'start-the-game' };
    const started = ok(await call(teacher, 'teacher:action', start)).tick;

    // A stand costs 60 of the 400 a student starts with: a purchase applied twice would be accepted.
    const buys = [
      { student: here!, payload: { type: 'buy', item: 'stand', commandId: 'buy-on-the-owner' } },
      { student: there!, payload: { type: 'buy', item: 'stand', commandId: 'buy-forwarded-to-it' } },
    ];
    const first = new Map<string, number>();
    for (const { student, payload } of buys)
      first.set(payload.commandId, ok(await call(student.socket, 'player:action', payload)).tick);
    // Sent again before any failover, each through the process it came through: the first tick.
    for (const { student, payload } of buys)
      expect(ok(await call(student.socket, 'player:action', payload)).tick).toBe(
        first.get(payload.commandId),
      );

    // The ids reached the log in PostgreSQL with their entries.
    const logged = await cluster.services.pool.query<{ id: string }>(
      `SELECT entry->>'id' AS id FROM game_commands WHERE game_id = $1 AND entry->'cmd'->>'type' = 'buy'`,
      [gameId],
    );
    expect(logged.rows.map((r) => r.id).sort()).toEqual(['buy-forwarded-to-it', 'buy-on-the-owner']);

    // A checkpoint past both purchases: the new owner rebuilds from it and folds only the log after it,
    // yet must remember the ids before it.
    const bought = Math.max(...first.values());
    await expect
      .poll(
        async () =>
          (
            await cluster.services.pool.query<{ tick: number }>(
              'SELECT tick FROM game_checkpoints WHERE game_id = $1',
              [gameId],
            )
          ).rows[0]?.tick ?? -1,
        { timeout: 20_000, interval: 50 },
      )
      .toBeGreaterThan(bought);
    await killed(a.child);
    closeAll([here!, there!], [teacher]);

    const owner = await nodes.ownerOf(cluster.services.redis, cluster.services.prefix, gameId, [b, c]);
    const out = await printed(owner, new RegExp(`Took over room ${roomCode} `), 20_000);
    const from = new RegExp(`Took over room ${roomCode} .*? from the checkpoint at tick (\\d+)`).exec(out);
    expect(Number(from?.[1] ?? -1)).toBeGreaterThan(bought);
    const other = owner === b ? c : b;

    // Each page comes back (on the new owner, and on the process that forwards to it) and sends its
    // purchase again, same id and payload: answered with the first tick, not applied again.
    const again: ClientSocket[] = [];
    for (const node of [owner, other])
      for (const { student, payload } of buys) {
        const socket = await client(node.url);
        again.push(socket);
        await resumeAsAPage(socket, 'player:resume', { roomCode, playerToken: student.playerToken });
        expect(await sendAsAPage(socket, 'player:action', payload)).toBe(first.get(payload.commandId));
      }

    // The teacher comes back through the process that forwards to the owner; the game ends (its log is
    // downloadable then).
    const t2 = await client(other.url);
    again.push(t2);
    await resumeAsAPage(t2, 'teacher:resume', { roomCode, teacherToken });
    // The teacher's start, sent again with its id: its first tick (a start not remembered is refused).
    expect(await sendAsAPage(t2, 'teacher:action', start)).toBe(started);
    await sendAsAPage(t2, 'teacher:action', { type: 'end', commandId: 'end-the-game' });

    // The log shows one purchase each, under its id, and the businesses one stand bought each.
    const log = await logOf(owner.url, gameId);
    const buysLogged = log.commands.filter((e) => e.cmd.type === 'buy');
    expect(buysLogged.map((e) => e.id).sort()).toEqual(['buy-forwarded-to-it', 'buy-on-the-owner']);
    for (const e of buysLogged) expect(e.tick).toBe(first.get(e.id!));
    const state = replayLog(log);
    for (const { student } of buys) {
      const p = state.players.find((x) => x.id === student.playerId)!;
      expect(p.purchases.stands).toBe(1);
      expect(p.stands.length).toBe(state.scenario.start.stands + 1);
    }
    closeAll(again);
  }, 90_000);
});
