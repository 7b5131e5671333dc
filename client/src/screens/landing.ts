import { h } from '../ui/dom.ts';
import { navigate } from '../router.ts';
import { playerSession, teacherSession } from '../net/session-store.ts';
import type { Screen } from '../router.ts';

/** The front door: join with a code, host a game, or practise alone. */
export const landingScreen: Screen = (root) => {
  root.className = 'landing';
  const player = playerSession.get();
  const teacher = teacherSession.get();
  root.append(
    h(
      'header',
      { class: 'hero' },
      h('div', { class: 'logo', 'aria-hidden': 'true' }, '🍋'),
      h('h1', {}, 'Lemonscale'),
      h('p', { class: 'tagline' }, 'Run a lemonade empire. Learn how real systems scale.'),
    ),
    h(
      'div',
      { class: 'cards' },
      h(
        'section',
        { class: 'card big-choice' },
        h('h2', {}, '🧃 Join a game'),
        h('p', {}, 'Your teacher shows a code on the board.'),
        h('button', { class: 'primary', onclick: () => navigate('/join') }, 'Join with a code'),
        player
          ? h(
              'button',
              { class: 'secondary', onclick: () => navigate('/play') },
              `Continue as ${player.name} (${player.roomCode})`,
            )
          : null,
      ),
      h(
        'section',
        { class: 'card big-choice' },
        h('h2', {}, '🧑‍🏫 Host a game'),
        h('p', {}, 'For teachers: pick a scenario and put the code on the projector.'),
        h('button', { class: 'primary', onclick: () => navigate('/host') }, 'Host a game'),
        teacher
          ? h(
              'button',
              { class: 'secondary', onclick: () => navigate('/teacher') },
              `Back to room ${teacher.roomCode}`,
            )
          : null,
      ),
      h(
        'section',
        { class: 'card big-choice' },
        h('h2', {}, '🏋️ Practise alone'),
        h('p', {}, 'Try the shop and the stands on your own, no server needed.'),
        h('button', { class: 'secondary', onclick: () => navigate('/practice') }, 'Practise'),
      ),
      h(
        'section',
        { class: 'card big-choice' },
        h('h2', {}, '🎞️ Replays'),
        h('p', {}, 'Watch a finished game again, read the debrief, and ask “what if…?”'),
        h('button', { class: 'secondary', onclick: () => navigate('/replay') }, 'Replays'),
      ),
    ),
  );
};
