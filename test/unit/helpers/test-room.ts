import { DEFAULT_CONFIG, type ServerConfig } from '../../../server/config.ts';
import { createLogger } from '../../../server/logging.ts';
import { RoomRuntime, type RoomDeps } from '../../../server/rooms/room-runtime.ts';
import { MemoryStore } from '../../../server/storage/memory-store.ts';
import type { ProcessStudents } from '../../../server/rooms/process-students.ts';
import type { GameStore } from '../../../server/storage/store.ts';
import { roomSettingsSchema, type RoomSettings } from '../../../shared/protocol/payloads.ts';
import { builtInScenario } from '../../../shared/scenarios/index.ts';
import { FakeClock } from './fake-clock.ts';
import { FakeTransport } from './fake-transport.ts';

export const week = builtInScenario('lemonade-week')!;

/** A room on a fake clock, a fake transport and the memory store: no sockets, no real timers. */
export function makeRoom(
  settings: Partial<RoomSettings> = {},
  store: GameStore = new MemoryStore(),
  config: Partial<ServerConfig> = {},
  processStudents?: ProcessStudents,
  clock = new FakeClock(),
) {
  const transport = new FakeTransport();
  const closed: RoomRuntime[] = [];
  const deps: RoomDeps = {
    config: { ...DEFAULT_CONFIG, tickIntervalMs: 100, ...config },
    store,
    logger: createLogger('silent'),
    transport,
    clock,
    onClose: (r) => closed.push(r),
    ...(processStudents ? { processStudents } : {}),
  };
  const { room, teacherToken } = RoomRuntime.create(deps, {
    roomCode: 'ABCDE',
    scenario: week,
    seed: 11,
    settings: roomSettingsSchema.parse(settings),
  });
  /** Runs a command through the boundary the clock reaches next, and returns its acknowledgement. */
  const settle = async <T>(p: Promise<T>): Promise<T> => {
    clock.flush();
    return p;
  };
  return { room, teacherToken, clock, transport, store, deps, closed, settle };
}
