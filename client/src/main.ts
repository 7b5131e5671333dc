import './styles.css';
import { route, startRouter } from './router.ts';
import { applyTheme } from './ui/theme.ts';
import { keepSkipLinkInPage } from './ui/skip-link.ts';
import { watchForKeyboard } from './ui/keyboard-seen.ts';

// Each screen loads on demand, so the join page does not wait for pixi.js or the charts.
route('/', () => import('./screens/landing.ts').then((m) => m.landingScreen));
route('/join', () => import('./screens/join.ts').then((m) => m.joinScreen));
route('/join/:code', () => import('./screens/join.ts').then((m) => m.joinScreen));
route('/play', () => import('./screens/student.ts').then((m) => m.studentScreen));
route('/practice', () => import('./screens/practice.ts').then((m) => m.practiceScreen));
route('/host', () => import('./screens/host.ts').then((m) => m.hostScreen));
route('/teacher', () => import('./screens/teacher.ts').then((m) => m.teacherScreen));
route('/projector/:code', () => import('./screens/projector.ts').then((m) => m.projectorScreen));
route('/replay', () => import('./screens/replay.ts').then((m) => m.replayListScreen));
route('/replay/:id', () => import('./screens/replay-view.ts').then((m) => m.replayGameScreen));
route('/results', () => import('./screens/results.ts').then((m) => m.resultsScreen));

applyTheme();
keepSkipLinkInPage();
watchForKeyboard();
startRouter();
