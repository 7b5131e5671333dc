import { performance } from 'node:perf_hooks';
import {
  joinSchema,
  leaveSchema,
  playerActionSchema,
  playerResumeSchema,
} from '../../shared/protocol/payloads.ts';
import { resyncRequestSchema } from '../../shared/protocol/tick-stream.ts';
import { isRudeNickname } from '../../shared/protocol/nickname-filter.ts';
import type { RoomRuntime } from '../rooms/room-runtime.ts';
import { fail, onEvent, type AnyEventSpec } from './edge.ts';
import { attemptWasRight, commandAllowed, roomForAttempt, type SocketContext } from './context.ts';
import type { IoSocket } from './types.ts';
import { looksLikeABot } from '../../shared/views/player-label.ts';

/** Binds this connection to a player (leaving any business it drove before). */
function becomePlayer(ctx: SocketContext, socket: IoSocket, room: RoomRuntime, playerId: string): void {
  detachPlayer(ctx, socket);
  socket.data.player = { roomCode: room.roomCode, playerId };
  ctx.transport(room.roomCode)?.attachPlayer(playerId, socket);
  room.markBack(playerId);
  room.touch();
  sendSnapshot(ctx, socket, room, playerId);
  const results = room.finalResults(playerId);
  if (results) socket.emit('game:ended', results);
}

/** This connection's business alone, to follow the tick stream from (join, resume, resync). */
function sendSnapshot(ctx: SocketContext, socket: IoSocket, room: RoomRuntime, playerId: string): boolean {
  const snap = room.businessSnapshot(playerId);
  if (!snap) return false;
  ctx.metrics.snapshots++;
  socket.emit('stream:snapshot', snap);
  return true;
}

export function detachPlayer(ctx: SocketContext, socket: IoSocket): void {
  const was = socket.data.player;
  if (!was) return;
  delete socket.data.player;
  const transport = ctx.transport(was.roomCode);
  transport?.detachPlayer(was.playerId, socket);
  const room = ctx.registry.get(was.roomCode);
  room?.touch();
  // The business keeps running; remember where it was to tell the student what happened meanwhile.
  if (room && transport && !transport.isConnected(was.playerId)) room.markAway(was.playerId);
}

const join = onEvent('player:join', joinSchema, async (ctx, socket, p) => {
  if (isRudeNickname(p.nickname))
    return fail('nickname-not-allowed', 'That nickname is not allowed in class. Pick another one.');
  if (looksLikeABot(p.nickname))
    return fail(
      'nickname-not-allowed',
      'Only the teacher’s bots are marked 🤖 or "Bot:". Pick another nickname.',
    );
  const found = await roomForAttempt(ctx, socket, p.roomCode);
  if (!found.ok) return found;
  const o = await found.room.join(p.nickname);
  if (!o.ok) return o;
  becomePlayer(ctx, socket, found.room, o.playerId);
  return {
    ok: true,
    playerId: o.playerId,
    playerToken: o.playerToken,
    roomCode: found.room.roomCode,
    returned: o.returned,
    hideSchedule: found.room.isScheduleHidden,
  };
});

const leave = onEvent('player:leave', leaveSchema, (ctx, socket) => {
  const me = socket.data.player;
  if (!me) return fail('not-player', 'Join a room first.');
  detachPlayer(ctx, socket);
  const room = ctx.registry.get(me.roomCode);
  if (room && !ctx.transport(me.roomCode)?.isConnected(me.playerId)) room.markLeft(me.playerId);
  return { ok: true };
});

const resume = onEvent('player:resume', playerResumeSchema, async (ctx, socket, p) => {
  const asked = performance.now();
  // The token this device kept, or the rejoin code typed on another one (the same secret): a wrong one
  // is a failed join attempt, counted like a wrong room code.
  const found = await roomForAttempt(ctx, socket, p.roomCode, { withToken: true });
  if (!found.ok) return found;
  const who = found.room.playerByToken(p.playerToken);
  // A wrong token keeps the miss reserved for it; a kicked player's token was right (no guess).
  if (!who.ok && who.error.code === 'bad-token') return who;
  await attemptWasRight(ctx, socket);
  if (!who.ok) return who;
  const away = found.room.takeAwaySummary(who.playerId);
  becomePlayer(ctx, socket, found.room, who.playerId);
  // The browser tests keep this log (LOG_FILE): how long a returning student waited on this process.
  ctx.logger.debug(
    {
      room: found.room.roomCode,
      player: who.playerId,
      ms: Math.round(performance.now() - asked),
      away: !!away,
    },
    'player resumed',
  );
  return {
    ok: true,
    playerId: who.playerId,
    roomCode: found.room.roomCode,
    name: who.name,
    away,
    playerToken: p.playerToken,
    hideSchedule: found.room.isScheduleHidden,
  };
});

const resync = onEvent('stream:resync', resyncRequestSchema, async (ctx, socket, r) => {
  const me = socket.data.player;
  if (!me) return fail('not-player', 'Join a room first.');
  const room = ctx.registry.get(me.roomCode);
  if (!room) return fail('unknown-room', 'This room has closed.');
  if (r.tick > room.tick)
    return fail('future-tick', `Tick ${r.tick} has not happened yet; the game is at tick ${room.tick}.`);
  if (!(await ctx.limits.resync(socket.id)))
    return fail('rate-limited', 'Too many snapshots asked for; wait a little.');
  const snap = room.businessSnapshot(me.playerId);
  if (!snap) return fail('kicked', 'You are no longer in this game.');
  ctx.metrics.resynced(r.reason);
  ctx.metrics.snapshots++;
  socket.emit('stream:snapshot', snap);
  return { ok: true, tick: snap.tick, seq: snap.seq };
});

const action = onEvent('player:action', playerActionSchema, async (ctx, socket, a) => {
  if (!(await commandAllowed(ctx, socket))) return fail('rate-limited', 'Slow down: too many actions.');
  const me = socket.data.player;
  if (!me) return fail('not-player', 'Join a room first.');
  const room = ctx.registry.get(me.roomCode);
  if (!room) return fail('unknown-room', 'This room has closed.');
  const o = await room.playerAction(me.playerId, a);
  return o.ok ? { ok: true, tick: o.tick } : o;
});

/** A student's events: join with a nickname, come back with the token, run the business. */
export const studentEvents: readonly AnyEventSpec[] = [join, leave, resume, resync, action];
