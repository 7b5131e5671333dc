import { describe, expect, it } from 'vitest';

// pixi.js reads the browser's navigator while it loads; node 20 has none. Nothing here draws.
(globalThis as { navigator?: unknown }).navigator ??= { userAgent: 'node' };
const { Texture } = await import('pixi.js');
const { CustomerPool } = await import('../../client/src/render/customer-pool.ts');

function pool(): InstanceType<typeof CustomerPool> {
  return new CustomerPool({ generateTexture: () => Texture.WHITE } as never);
}

describe('CustomerPool', () => {
  // A window resize re-lays out the lanes at a new scale and snaps everyone onto their new places
  // (StandLane.retarget): people kept the width they were spawned at, so after a resize while paused
  // a line was drawn squashed (narrow spacing, wide people overlapping).
  it('a customer at rest takes a new scale in both directions, and the scene draws it', () => {
    const p = pool();
    const c = p.spawn(100, 50, 1);
    expect(p.animate(0.016, [c])).toBe(false);
    c.scale = 0.5;
    expect(p.animate(0.016, [c])).toBe(true);
    expect(c.p.scaleX).toBe(0.5);
    expect(c.p.scaleY).toBe(0.5);
    // Then at rest again: no more frames asked for.
    expect(p.animate(0.016, [c])).toBe(false);
  });

  it('a walking customer takes the new width at once', () => {
    const p = pool();
    const c = p.spawn(0, 50, 1.4);
    c.tx = 300;
    c.scale = 0.7;
    p.animate(0.016, [c]);
    expect(c.p.scaleX).toBe(0.7);
  });
});
