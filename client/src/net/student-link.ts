import type { Ack } from '../../../shared/protocol/errors.ts';
import type { PlayerAction } from '../../../shared/protocol/payloads.ts';
import type { AwaySummary, FinalResults, StudentView } from '../../../shared/protocol/views.ts';

/**
 * What the student screen needs from "a game": views in, actions out. The classroom provides it from
 * the business the page follows on the tick stream (client/src/live); practice mode from the
 * simulation running in the page.
 */
export interface StudentLink {
  onView(cb: (v: StudentView) => void): void;
  onEnded(cb: (r: FinalResults) => void): void;
  onGone(cb: (reason: string) => void): void;
  /** "While you were away": what the business did while this student was disconnected. */
  onAway(cb: (summary: AwaySummary) => void): void;
  act(action: PlayerAction): Promise<Ack<{ tick: number }>>;
  close(): void;
}
