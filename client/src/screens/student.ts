import { navigate, type Screen } from '../router.ts';
import { playerSession } from '../net/session-store.ts';
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
    // The business stays in the game: the server shows the student gone, and the join page offers the
    // way back (this device keeps the token; elsewhere the same nickname takes it back).
    leaveQuestion:
      'Leave the game? Your business keeps running without you. You can come back to it from the join page, on this device or with the same nickname.',
    onLeave: () => {
      void request('player:leave', {});
      playerSession.set({ ...session, left: true });
      navigate(`/join/${session.roomCode}`);
    },
    onGone: () => {
      playerSession.set(null);
      navigate(`/join/${session.roomCode}`);
    },
  });
};
