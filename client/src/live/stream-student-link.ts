import type { FinalResults } from '../../../shared/protocol/views.ts';
import {
  businessCommandSchema,
  businessProofSchema,
  businessSnapshotSchema,
  tickMessageSchema,
  TICK_STREAM_VERSION,
  type ResyncRequest,
} from '../../../shared/protocol/tick-stream.ts';
import { BusinessFollower } from '../../../shared/stream/business-follower.ts';
import { followerView } from '../../../shared/stream/follower-view.ts';
import { gameSocket, request, type GameSocket } from '../net/socket.ts';
import { listen } from '../net/listen.ts';
import type { PlayerSession } from '../net/session-store.ts';
import type { StudentLink } from '../net/student-link.ts';
import { keepResumed, RESUME_PATIENCE_MS } from '../net/keep-resumed.ts';
import { streamStats } from './stream-stats.ts';
import { sendCommand } from '../net/safe-command.ts';
import { pageTimers, type Timers } from '../net/timers.ts';

/**
 * The classroom link: the student's business runs in this page. It starts from a snapshot the server
 * sends on join and resume (re-sent on every reconnect), advances with the room's tick stream and the
 * student's own commands, and is checked against the server's about once a second (the proof); a hole
 * in the stream or a disagreement asks for a fresh snapshot. Screens get the same StudentView as ever,
 * built here with shared/views. docs/tick-stream.md says the whole protocol. `s` is the page's socket
 * (a test's own), `patienceMs` how long a resume waits for its answer before it is sent again, `timers`
 * what it waits with (a test's, run by hand).
 */
export function streamStudentLink(
  session: PlayerSession,
  s: GameSocket = gameSocket(),
  patienceMs = RESUME_PATIENCE_MS,
  timers: Timers = pageTimers,
): StudentLink {
  const follower = new BusinessFollower();
  const handlers: Parameters<typeof wire>[0] = {};
  let asking = false;

  const render = (): void => {
    const v = followerView(follower);
    if (v) handlers.view?.(v);
  };

  const resync = (reason: ResyncRequest['reason']): void => {
    streamStats.resyncs++;
    if (asking) return;
    asking = true;
    const payload: ResyncRequest = { v: TICK_STREAM_VERSION, tick: follower.point.tick, reason };
    void request('stream:resync', payload, undefined, s).then((res) => {
      asking = false;
      // Refused (rate-limited, or the connection dropped): the next tick message finds the hole again.
      if (!res.ok && res.error.code === 'kicked') handlers.gone?.(res.error.message);
    });
  };

  const onSnapshot = (raw: unknown): void => {
    const snap = businessSnapshotSchema.safeParse(raw);
    if (!snap.success || snap.data.playerId !== session.playerId || !follower.snapshot(snap.data)) {
      resync('error');
      return;
    }
    streamStats.snapshots++;
    render();
  };

  const onTick = (raw: unknown): void => {
    const m = tickMessageSchema.safeParse(raw);
    if (!m.success) {
      // Only a server newer than this page sends what the page cannot read.
      handlers.gone?.('The game was updated: reload this page to carry on.');
      return;
    }
    const trouble = follower.cantSave?.message;
    const outcome = follower.tick(m.data);
    if (outcome === 'gap' || outcome === 'diverged') {
      streamStats.gaps++;
      resync(outcome === 'gap' ? 'gap' : 'error');
    } else if (outcome === 'advanced' || follower.cantSave?.message !== trouble) render();
  };

  const onCommand = (raw: unknown): void => {
    const c = businessCommandSchema.safeParse(raw);
    if (c.success) follower.command(c.data);
  };

  const onProof = (raw: unknown): void => {
    const p = businessProofSchema.safeParse(raw);
    if (!p.success) return;
    const outcome = follower.proof(p.data);
    if (outcome === 'agree') streamStats.agreed++;
    else if (outcome === 'unchecked') streamStats.unchecked++;
    else {
      streamStats.mismatches++;
      resync('mismatch');
    }
    render(); // the rank may have moved
  };

  const onEnded = (r: FinalResults): void => handlers.ended?.(r);
  const onKicked = (info: { message: string }): void =>
    handlers.gone?.(info.message || 'You were removed from the game.');
  const unlisten = listen(s, {
    'stream:snapshot': onSnapshot,
    'stream:tick': onTick,
    'stream:command': onCommand,
    'stream:proof': onProof,
    'game:ended': onEnded,
    'player:kicked': onKicked,
    'room:closed': onKicked,
  });
  // Every (re)connect resumes with the token; the server answers with a fresh snapshot, so a student back
  // after minutes never replays what they missed. A temporary refusal keeps the token and tries again with
  // backoff; only a definitive one ends the session (net/keep-resumed.ts, the rule the teacher's console
  // and the projector follow too). The page reading its answer late because its main thread is busy (pixi
  // starting WebGL in software: 5-16 s in the browser tests) is another matter: Chromium handles an answer
  // already in before an overdue timer (docs/performance.md, "A returning student stuck at Connecting…").
  const stop = keepResumed({
    event: 'player:resume',
    payload: () => ({ roomCode: session.roomCode, playerToken: session.playerToken }),
    s,
    patienceMs,
    timers,
    ok: (res) => {
      if (res.away) handlers.away?.(res.away);
    },
    gone: (_code, message) => handlers.gone?.(message),
  });
  return wire(handlers, {
    act: (action) => sendCommand('player:action', action),
    close: () => {
      stop();
      unlisten();
    },
  });
}

type Handlers = {
  view?: Parameters<StudentLink['onView']>[0];
  ended?: Parameters<StudentLink['onEnded']>[0];
  gone?: Parameters<StudentLink['onGone']>[0];
  away?: Parameters<StudentLink['onAway']>[0];
};

function wire(handlers: Handlers, rest: Pick<StudentLink, 'act' | 'close'>): StudentLink {
  return {
    onView: (cb) => (handlers.view = cb),
    onEnded: (cb) => (handlers.ended = cb),
    onGone: (cb) => (handlers.gone = cb),
    onAway: (cb) => (handlers.away = cb),
    ...rest,
  };
}
