import { randomInt } from 'node:crypto';
import {
  createRoomSchema,
  projectorRemoveSchema,
  teacherActionSchema,
  teacherResumeSchema,
} from '../../shared/protocol/payloads.ts';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import type { RoomRuntime } from '../rooms/room-runtime.ts';
import { fail, onEvent, type AnyEventSpec } from './edge.ts';
import { attemptWasRight, commandAllowed, roomForAttempt, type SocketContext } from './context.ts';
import { teacherChannel } from './room-transport.ts';
import type { IoSocket } from './types.ts';

function becomeTeacher(ctx: SocketContext, socket: IoSocket, room: RoomRuntime): void {
  if (socket.data.teacherOf && socket.data.teacherOf !== room.roomCode)
    void socket.leave(teacherChannel(socket.data.teacherOf));
  socket.data.teacherOf = room.roomCode;
  void socket.join(teacherChannel(room.roomCode));
  room.touch();
  // A reloaded console redraws its charts from the start (before the live views carry them on).
  const history = room.classHistory();
  if (history) socket.emit('class:history', history);
  socket.emit('view:class', room.classView());
  const results = room.finalResults(null);
  if (results) socket.emit('game:ended', results);
}

const create = onEvent('room:create', createRoomSchema, async (ctx, socket, p) => {
  if (!(await ctx.limits.createRoom(socket.data.addr)))
    return fail('rate-limited', 'Too many rooms created from this address; wait a minute.');
  const slot = ctx.registry.mayCreate(socket.data.addr);
  if (!slot.ok)
    return slot.why === 'server-full'
      ? fail('rate-limited', 'This server is running as many rooms as it can; try again later.')
      : fail(
          'rate-limited',
          `This address already has ${ctx.config.roomsPerAddress} rooms open; close one (or wait for empty lobbies to close) first.`,
        );
  const scenario = builtInScenario(p.scenarioId);
  if (!scenario) return fail('unknown-scenario', `There is no scenario "${p.scenarioId}".`);
  const seed = p.seed ?? randomInt(0, 0xffffffff);
  const { room, teacherToken } = await ctx.registry.create(scenario, seed, p.settings, socket.data.addr);
  becomeTeacher(ctx, socket, room);
  return { ok: true, roomCode: room.roomCode, teacherToken, gameId: room.gameId, settings: room.settings };
});

const resume = onEvent('teacher:resume', teacherResumeSchema, async (ctx, socket, p) => {
  const found = await roomForAttempt(ctx, socket, p.roomCode, { withToken: true });
  if (!found.ok) return found;
  if (!found.room.isTeacherToken(p.teacherToken))
    return fail('bad-token', 'This teacher token does not belong to this room.');
  await attemptWasRight(ctx, socket);
  becomeTeacher(ctx, socket, found.room);
  return { ok: true, roomCode: found.room.roomCode, gameId: found.room.gameId };
});

const act = onEvent('teacher:action', teacherActionSchema, async (ctx, socket, action) => {
  if (!(await commandAllowed(ctx, socket))) return fail('rate-limited', 'Slow down: too many actions.');
  const code = socket.data.teacherOf;
  if (!code) return fail('not-teacher', 'Only the teacher of this room can do that.');
  const room = ctx.registry.get(code);
  if (!room) return fail('unknown-room', 'This room has closed.');
  const o = await room.teacherAction(action);
  return o.ok ? { ok: true, tick: o.tick } : o;
});

// A name clicked on the projector: the same kick as the console's, for the holder of the teacher's token.
const remove = onEvent('projector:remove', projectorRemoveSchema, async (ctx, socket, p) => {
  const notTeacher = fail(
    'not-teacher',
    "Only the teacher can remove a player: open the projector from the teacher's console, in the same browser.",
  );
  // No token: nothing to guess with, so no attempt is counted either.
  if (p.teacherToken === undefined) return notTeacher;
  const found = await roomForAttempt(ctx, socket, p.roomCode, { withToken: true });
  if (!found.ok) return found;
  if (!found.room.isTeacherToken(p.teacherToken)) return notTeacher;
  await attemptWasRight(ctx, socket);
  if (!(await ctx.limits.command(`teacher:${found.room.roomCode}`)))
    return fail('rate-limited', 'Slow down: too many actions.');
  const o = await found.room.teacherAction({
    type: 'kick',
    playerId: p.playerId,
    ...(p.commandId === undefined ? {} : { commandId: p.commandId }),
  });
  return o.ok ? { ok: true, tick: o.tick } : o;
});

/** The teacher's events: host a room, take it back with the token, and act on it. */
export const teacherEvents: readonly AnyEventSpec[] = [create, resume, act, remove];
