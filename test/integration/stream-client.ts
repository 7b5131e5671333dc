import type { StudentView } from '../../shared/protocol/views.ts';
import { TICK_STREAM_VERSION } from '../../shared/protocol/tick-stream.ts';
import { BusinessFollower } from '../../shared/stream/business-follower.ts';
import { followerView } from '../../shared/stream/follower-view.ts';
import type { ClientSocket } from './helpers.ts';

/**
 * A test client's business, followed from the tick stream as the browser follows it
 * (client/src/live/stream-student-link.ts): snapshot, own commands, tick messages, proofs; a hole or a
 * disagreement asks for a fresh snapshot and is counted, so tests can assert there was none.
 */
export interface FollowedBusiness {
  follower: BusinessFollower;
  gaps: number;
  resyncs: number;
  badSnapshots: number;
  listeners: Set<(v: StudentView) => void>;
}

const followed = new WeakMap<ClientSocket, FollowedBusiness>();

export function followStream(s: ClientSocket): FollowedBusiness {
  const existing = followed.get(s);
  if (existing) return existing;
  const b: FollowedBusiness = {
    follower: new BusinessFollower(),
    gaps: 0,
    resyncs: 0,
    badSnapshots: 0,
    listeners: new Set(),
  };
  followed.set(s, b);
  const f = b.follower;
  const show = (): void => {
    const v = followerView(f);
    if (v) for (const l of [...b.listeners]) l(v);
  };
  const resync = (reason: 'gap' | 'mismatch' | 'error'): void => {
    b.resyncs++;
    s.emit('stream:resync', { v: TICK_STREAM_VERSION, tick: f.point.tick, reason }, () => {});
  };
  s.on('stream:snapshot', (snap) => {
    if (f.snapshot(snap)) show();
    else b.badSnapshots++;
  });
  s.on('stream:command', (c) => f.command(c));
  s.on('stream:tick', (m) => {
    const o = f.tick(m);
    if (o === 'advanced') show();
    else if (o === 'gap' || o === 'diverged') {
      b.gaps++;
      resync(o === 'gap' ? 'gap' : 'error');
    }
  });
  s.on('stream:proof', (p) => {
    if (f.proof(p) === 'mismatch') resync('mismatch');
    show();
  });
  return b;
}

/** Every view this client's business shows from now on (what the student screen would draw). */
export function onView(s: ClientSocket, cb: (v: StudentView) => void): void {
  followStream(s).listeners.add(cb);
}

/** The first view from now on that satisfies the predicate. */
export function nextView(
  s: ClientSocket,
  pred: (v: StudentView) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<StudentView> {
  const b = followStream(s);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      b.listeners.delete(listener);
      reject(new Error(`no such student view in ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (v: StudentView): void => {
      if (!pred(v)) return;
      clearTimeout(timer);
      b.listeners.delete(listener);
      resolve(v);
    };
    b.listeners.add(listener);
  });
}
