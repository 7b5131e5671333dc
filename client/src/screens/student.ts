import { navigate, type Screen } from '../router.ts';
import { playerSession } from '../net/session-store.ts';
import { streamStudentLink } from '../live/stream-student-link.ts';
import { businessScreen } from './business-screen.ts';

/** /play: the classroom game, resumed from the token saved at join (so a reload keeps the business). */
export const studentScreen: Screen = (root) => {
  const session = playerSession.get();
  if (!session) {
    navigate('/join');
    return;
  }
  const link = streamStudentLink(session);
  return businessScreen(root, link, {
    roomCode: session.roomCode,
    onLeave: () => {
      playerSession.set(null);
      navigate(`/join/${session.roomCode}`);
    },
  });
};
