import { navigate, type Screen } from '../router.ts';
import { practiceLink } from '../net/practice-room.ts';
import { businessScreen } from './business-screen.ts';

/** /practice: the same screen on the simulation running in the page; no server, no classmates. */
export const practiceScreen: Screen = (root) => {
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const speed = Number(params.get('speed') ?? 1) || 1;
  return businessScreen(root, practiceLink(params.get('scenario') ?? 'lemonade-week', speed), {
    roomCode: 'PRACTICE',
    onLeave: () => navigate('/'),
    leaveQuestion: 'Leave practice? This practice game ends.',
    onGone: () => navigate('/'),
  });
};
