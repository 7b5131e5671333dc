import pg from 'pg';
import { Redis } from 'ioredis';
import { PostgresStore } from '../../server/storage/postgres-store.ts';
import { AppendBatch } from '../../server/storage/postgres-append-batch.ts';
import { FencedError } from '../../server/storage/postgres-errors.ts';
import { RoomLeases, type HeldLease } from '../../server/cluster/room-leases.ts';
import { frozenTransactionTimeoutMs, LeaseKeeper, takeRoom } from '../../server/cluster/room-ownership.ts';

/**
 * A stand-in for a cluster process that owns one room, for the failover tests: it waits for the room's
 * lease, takes the room in the safe order (takeRoom), reads how far the log goes, then appends one
 * command (a student joining the lobby, named after the process) every TICK_MS through the fenced AppendBatch and prints what was acknowledged (committed).
 * It prints, one per line: TOOK <epoch> <seq> <ms>, ACK <seq>, FENCED, LOST <why>, ERROR <message>.
 */
const env = process.env;
const nodeId = env.NODE_ID!;
const gameId = env.GAME_ID!;
const tickMs = Number(env.TICK_MS ?? '20');
// As a serving process does (cluster-storage.ts): a frozen owner's open transaction ends before its
// lease would expire, or its row lock would hold the next owner's claim up for as long as it stays frozen.
const pool = new pg.Pool({
  connectionString: env.DATABASE_URL!,
  max: 2,
  idle_in_transaction_session_timeout: frozenTransactionTimeoutMs(Number(env.LEASE_MS)),
});
const redis = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: 1 });
const leases = new RoomLeases(redis, nodeId, Number(env.LEASE_MS), env.KEY_PREFIX);
const store = new PostgresStore(pool);
const log = new AppendBatch(pool);

let held: { lease: HeldLease; keeper: LeaseKeeper; next: number; timer: NodeJS.Timeout } | null = null;

function drop(): void {
  if (!held) return;
  held.keeper.stop();
  clearInterval(held.timer);
  held = null;
}

async function tryTake(): Promise<void> {
  if (held) return;
  const lease = await takeRoom(leases, store, gameId);
  if (!lease) return;
  const next = (await store.readLog(gameId))!.commands.length;
  console.log(`TOOK ${lease.epoch} ${next} ${Date.now()}`);
  const keeper = new LeaseKeeper(leases, lease, (why) => {
    console.log(`LOST ${why}`);
    drop();
  });
  const h = { lease, keeper, next, timer: setInterval(() => tick(h), tickMs) };
  held = h;
}

function tick(h: NonNullable<typeof held>): void {
  if (held !== h) return;
  const seq = h.next++;
  log
    .append({
      gameId,
      epoch: h.lease.epoch,
      firstSeq: seq,
      entries: [{ tick: 0, cmd: { type: 'join', playerId: `p-${seq}`, name: nodeId, bot: null } }],
    })
    .then(
      () => console.log(`ACK ${seq}`),
      (e: unknown) => {
        if (e instanceof FencedError) {
          console.log('FENCED');
          if (held === h) drop();
          return;
        }
        // Another failure (its connection ended: PostgreSQL ends the session of an owner frozen
        // mid-transaction). A serving process holds its room and writes again (docs/cluster.md); the
        // stand-in, which has no such hold, gives the room up (its next position would leave a hole in
        // the log) and says so; its lease then lapses and another process takes the room.
        console.log(`ERROR ${e instanceof Error ? e.message : String(e)}`);
        if (held === h) {
          console.log('LOST write-failed');
          drop();
        }
      },
    );
}

setInterval(() => void tryTake().catch(() => undefined), 50);
