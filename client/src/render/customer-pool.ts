import { Graphics, Particle, ParticleContainer, Rectangle, type Renderer, type Texture } from 'pixi.js';
import { COLORS } from './palette.ts';

/**
 * Every customer on screen is a Particle in one ParticleContainer: one draw call for hundreds of
 * people. Particles are pooled (hidden with alpha 0, never destroyed) so a surge does not churn the GC.
 * A customer only knows where to walk; what the business does is decided by the view, not here.
 */
export type Mood = 'walking' | 'waiting' | 'served' | 'gave-up';

/** A walker this close to their place (in pixels, both axes together) steps onto it and stops. */
const AT_REST_PX = 0.5;

export interface Customer {
  p: Particle;
  /** Target position in world pixels while walking or waiting. */
  tx: number;
  ty: number;
  mood: Mood;
  /** Leaving customers drift with this velocity (px/s) and fade out. */
  vx: number;
  vy: number;
  scale: number;
}

export class CustomerPool {
  readonly container: ParticleContainer;
  private readonly texture: Texture;
  private readonly free: Customer[] = [];
  private readonly leaving = new Set<Customer>();

  constructor(renderer: Renderer) {
    this.texture = renderer.generateTexture(personShape());
    this.container = new ParticleContainer({
      dynamicProperties: { position: true, color: true, vertex: true, rotation: false, uvs: false },
      boundsArea: new Rectangle(0, 0, 8192, 8192),
    });
  }

  spawn(x: number, y: number, scale: number): Customer {
    let c = this.free.pop();
    if (!c) {
      const p = new Particle({ texture: this.texture, anchorX: 0.5, anchorY: 1 });
      this.container.addParticle(p);
      c = { p, tx: x, ty: y, mood: 'walking', vx: 0, vy: 0, scale };
    }
    c.p.x = x;
    c.p.y = y;
    c.p.alpha = 1;
    c.tx = x;
    c.ty = y;
    c.mood = 'walking';
    c.scale = scale;
    c.p.scaleX = c.p.scaleY = scale;
    c.p.tint = COLORS.waiting;
    return c;
  }

  /** Sends a customer away: served ones walk off with a cup, the ones who gave up slump and fade. */
  leave(c: Customer, mood: 'served' | 'gave-up'): void {
    c.mood = mood;
    const speed = 90 * Math.max(0.4, c.scale);
    if (mood === 'served') {
      c.vx = speed;
      c.vy = speed * 0.2;
      c.p.tint = COLORS.happy;
    } else {
      c.vx = -speed * 0.3;
      c.vy = speed * 0.9;
      c.p.tint = COLORS.gone;
      c.p.scaleY = c.scale * 0.8;
    }
    this.leaving.add(c);
  }

  /**
   * Called each frame the scene draws, with the frame time in seconds. Returns whether anybody moved
   * (walking towards their place, or leaving): the scene stops drawing when nobody does.
   */
  animate(dt: number, walkers: Iterable<Customer>): boolean {
    const k = Math.min(1, dt * 7);
    let moved = this.leaving.size > 0;
    for (const c of walkers) {
      const far = Math.abs(c.tx - c.p.x) + Math.abs(c.ty - c.p.y);
      if (far === 0 && c.p.scaleY === c.scale && c.p.scaleX === c.scale) continue;
      moved = true;
      // The lanes' scale changes with the window (StandLane.layout): the width follows it too.
      c.p.scaleX = c.scale;
      if (far < AT_REST_PX) {
        // Close enough: stand still there (the easing alone would creep on for ever).
        c.p.x = c.tx;
        c.p.y = c.ty;
        c.p.scaleY = c.scale;
        continue;
      }
      c.p.x += (c.tx - c.p.x) * k;
      c.p.y += (c.ty - c.p.y) * k;
      // A little bob while walking makes the line feel alive without any game logic.
      const walking = Math.abs(c.tx - c.p.x) + Math.abs(c.ty - c.p.y) > 1;
      c.p.scaleY = c.scale * (walking ? 1 + 0.06 * Math.sin(performance.now() / 70 + c.tx) : 1);
    }
    for (const c of this.leaving) {
      c.p.x += c.vx * dt;
      c.p.y += c.vy * dt;
      c.p.alpha -= dt * (c.mood === 'served' ? 0.9 : 1.4);
      if (c.p.alpha <= 0) {
        c.p.alpha = 0;
        this.leaving.delete(c);
        this.free.push(c);
      }
    }
    return moved;
  }

  /** Customers alive on screen (for the tests and the frame budget). */
  get visible(): number {
    return this.container.particleChildren.length - this.free.length;
  }
}

/** A kid: round head, rounded body. White, so a tint colours it. Drawn once, into a texture. */
function personShape(): Graphics {
  const g = new Graphics();
  g.circle(8, 6, 5.5).fill(COLORS.white);
  g.roundRect(2, 12, 12, 14, 5).fill(COLORS.white);
  g.rect(4, 25, 3, 5).fill(COLORS.white);
  g.rect(9, 25, 3, 5).fill(COLORS.white);
  return g;
}
