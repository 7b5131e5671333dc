import { navigate, type Screen } from '../router.ts';
import { goneReason, playerSession } from '../net/session-store.ts';
import { isRejoinCode } from '../../../shared/protocol/payloads.ts';
import { request } from '../net/socket.ts';
import { streamStudentLink } from '../live/stream-student-link.ts';
import { businessScreen } from './business-screen.ts';

/** /play: the classroom game, resumed from the token saved at join (so a reload keeps the business). */
export const studentScreen: Screen = (root) => {
  const session = playerSession.get();
  if (!session || session.left) {
    navigate('/join');
    return;
  }
  const link = streamStudentLink(session);
  return businessScreen(root, link, {
    roomCode: session.roomCode,
    // Tokens handed out before rejoin codes existed are too long to type: no code then.
    ...(isRejoinCode(session.playerToken) ? { rejoinCode: session.playerToken } : {}),
    // The business stays in the game: the server shows the student gone, and the join page offers the
    // way back (this device keeps the token; elsewhere the same nickname takes it back).
    leaveQuestion:
      'Leave the game? Your business keeps running without you. You can come back to it from the join page: on this device, with the same nickname, or with your rejoin code (under Details).',
    onLeave: () => {
      void request('player:leave', {});
      playerSession.set({ ...session, left: true });
      navigate(`/join/${session.roomCode}`);
    },
    onGone: (reason) => {
      goneReason.set(reason);
      playerSession.set(null);
      navigate(`/join/${session.roomCode}`);
    },
  });
};
