import type { ServerToClientEvents } from '../../../shared/protocol/socket-events.ts';

/** What a screen listens to: one listener per server event (two events may share a listener). */
export type ServerListeners = { [E in keyof ServerToClientEvents]?: ServerToClientEvents[E] };

/** The part of a socket `listen` uses (a GameSocket, or a stand-in in tests). */
export interface Listenable {
  on(event: keyof ServerToClientEvents, fn: never): unknown;
  off(event: keyof ServerToClientEvents, fn: never): unknown;
}

/**
 * Adds a screen's listeners to the socket and returns what takes exactly those off again: the list of
 * events is written once, so a screen cannot leave a listener behind that it forgot to take off.
 */
export function listen(s: Listenable, listeners: ServerListeners): () => void {
  const added = Object.entries(listeners) as [keyof ServerToClientEvents, never][];
  for (const [event, fn] of added) s.on(event, fn);
  return () => {
    for (const [event, fn] of added) s.off(event, fn);
  };
}
