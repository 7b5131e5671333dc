import { describe, expect, it } from 'vitest';
import { takeoverLine, takeoverPhases, type Takeover } from '../../server/cluster/cluster-rooms.ts';

describe('the takeover line a process prints (cluster-rooms.ts)', () => {
  const t: Takeover = {
    gameId: 'g-1',
    roomCode: 'ROOM',
    epoch: 3,
    tick: 412,
    ownerlessMs: 1800,
    leaseExpiredAt: 1795932705685,
    beganAt: 1795932705690,
    claimedAt: 1795932705693,
    loadedAt: 1795932705710,
    restoredAt: 1795932705714,
    rebuildMs: 24,
    checkpointTick: 400,
    commands: 57,
  };

  it('reads back what it was printed from: the tick and every phase', () => {
    const printed = `some other output\n${takeoverLine({ ...t, roomCode: 'OTHER' })}\n${takeoverLine(t)}\n`;
    expect(takeoverPhases(printed, 'ROOM')).toEqual({
      tick: 412,
      expiredAt: t.leaseExpiredAt,
      beganAt: t.beganAt,
      claimedAt: t.claimedAt,
      loadedAt: t.loadedAt,
      restoredAt: t.restoredAt,
    });
    expect(takeoverPhases(takeoverLine({ ...t, leaseExpiredAt: null }), 'ROOM')?.expiredAt).toBeNull();
    expect(takeoverPhases(printed, 'NONE')).toBeNull();
  });

  it('says when the room ticks again in words too, at the restored time', () => {
    expect(takeoverLine(t)).toContain(`ticking again at ${new Date(t.restoredAt).toISOString()}`);
  });
});
