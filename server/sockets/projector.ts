import { watchSchema } from '../../shared/protocol/payloads.ts';
import { onEvent, type AnyEventSpec } from './edge.ts';
import { roomForAttempt } from './context.ts';
import { projectorChannel } from './room-transport.ts';

const watch = onEvent('projector:watch', watchSchema, async (ctx, socket, p) => {
  const found = await roomForAttempt(ctx, socket, p.roomCode);
  if (!found.ok) return found;
  const room = found.room;
  if (socket.data.projectorOf && socket.data.projectorOf !== room.roomCode)
    void socket.leave(projectorChannel(socket.data.projectorOf));
  socket.data.projectorOf = room.roomCode;
  void socket.join(projectorChannel(room.roomCode));
  room.touch();
  socket.emit('view:class', room.projectorView());
  const results = room.finalResults(null);
  if (results) socket.emit('game:ended', results);
  return { ok: true, roomCode: room.roomCode };
});

/** The classroom screen's event: a read-only class view (top of the leaderboard only). */
export const projectorEvents: readonly AnyEventSpec[] = [watch];
