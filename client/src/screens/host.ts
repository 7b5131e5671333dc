import { builtInScenarios } from '../../../shared/scenarios/index.ts';
import { BOT_KINDS } from '../../../shared/sim/commands.ts';
import { SPEEDS } from '../../../shared/protocol/payloads.ts';
import { h } from '../ui/dom.ts';
import { botOffer } from '../ui/format.ts';
import { navigate, type Screen } from '../router.ts';
import { request } from '../net/socket.ts';
import { teacherSession } from '../net/session-store.ts';

interface ScenarioInfo {
  id: string;
  name: string;
  description: string;
  durationSeconds: number;
}

/** A scenario's length as a teacher plans a lesson: "10 min" ("10:00 min" read as a clock). */
function minutes(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return s === 0 ? `${m} min` : `${m} min ${s} s`;
}

/** /host: pick a scenario and the room's settings, then create the room and open the console. */
export const hostScreen: Screen = (root) => {
  root.className = 'host';
  const list = h('fieldset', { class: 'scenario-list' }, h('legend', {}, 'Scenario (the lesson plan)'));
  const fill = (scenarios: ScenarioInfo[]): void => {
    list.replaceChildren(h('legend', {}, 'Scenario (the lesson plan)'));
    scenarios.forEach((s, i) => {
      const id = `scenario-${s.id}`;
      list.append(
        h(
          'label',
          { class: 'scenario-card', for: id },
          h('input', { type: 'radio', name: 'scenario', id, value: s.id, checked: i === 0 }),
          h('strong', {}, s.name),
          h('span', { class: 'duration' }, ` · ${minutes(s.durationSeconds)}`),
          h('span', { class: 'desc' }, s.description),
        ),
      );
    });
  };
  // The built-in list is known to the client already; the server's list (custom scenarios) wins if it answers.
  fill(builtInScenarios());
  void fetch('/api/scenarios')
    .then((r) => (r.ok ? r.json() : null))
    .then((data: unknown) => {
      const arr = Array.isArray(data) ? data : (data as { scenarios?: unknown } | null)?.scenarios;
      if (Array.isArray(arr) && arr.length && typeof arr[0] === 'object' && arr[0] && 'id' in arr[0]) {
        fill(arr as ScenarioInfo[]);
      }
    })
    .catch(() => {});

  const className = h('input', {
    id: 'class-name',
    maxlength: 40,
    autocomplete: 'off',
    placeholder: 'e.g. Year 9 B',
  });
  const speed = h(
    'select',
    { id: 'speed' },
    ...SPEEDS.map((s) => h('option', { value: s, selected: s === 1 }, `x${s}`)),
  );
  const maxPlayers = h('input', { id: 'max-players', type: 'number', min: 1, max: 5000, value: 60 });
  const lateJoin = h('input', { id: 'late-join', type: 'checkbox', checked: true });
  const hideScores = h('input', { id: 'hide-scores', type: 'checkbox' });
  const hideSchedule = h('input', { id: 'hide-schedule', type: 'checkbox' });
  const bots = BOT_KINDS.map((b) => h('input', { type: 'checkbox', id: `bot-${b}`, value: b }));
  const error = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { class: 'primary', type: 'submit' }, 'Create the room 🍋');

  const form = h(
    'form',
    { class: 'card host-form' },
    h('h1', {}, '🧑‍🏫 Host a game'),
    list,
    h(
      'fieldset',
      { class: 'settings' },
      h('legend', {}, 'Settings'),
      h('p', {}, h('label', { for: 'class-name' }, 'Class name (shown in replays and history) '), className),
      h('p', {}, h('label', { for: 'speed' }, 'Game speed '), speed),
      h('p', {}, h('label', { for: 'max-players' }, 'Most players '), maxPlayers),
      h('p', {}, lateJoin, h('label', { for: 'late-join' }, ' Students may join after the start')),
      h('p', {}, hideScores, h('label', { for: 'hide-scores' }, ' Hide scores from students until the end')),
      h(
        'p',
        {},
        hideSchedule,
        h(
          'label',
          { for: 'hide-schedule' },
          ' Keep the schedule a surprise (no countdown to planned events for students or on the projector)',
        ),
      ),
    ),
    h(
      'fieldset',
      { class: 'bots' },
      h('legend', {}, 'Reference bots playing beside the class'),
      ...BOT_KINDS.map((b, i) => h('p', {}, bots[i]!, h('label', { for: `bot-${b}` }, ` ${botOffer(b)}`))),
    ),
    error,
    submit,
    h('p', {}, h('a', { href: '#/' }, '← Back')),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void create();
  });

  async function create(): Promise<void> {
    error.textContent = '';
    const scenarioId = (form.querySelector('input[name=scenario]:checked') as HTMLInputElement | null)?.value;
    if (!scenarioId) {
      error.textContent = 'Pick a scenario.';
      return;
    }
    submit.disabled = true;
    const res = await request('room:create', {
      scenarioId,
      settings: {
        className: className.value.trim(),
        speed: Number(speed.value),
        maxPlayers: Math.max(1, Math.min(5000, Number(maxPlayers.value) || 60)),
        lateJoin: lateJoin.checked,
        hideScores: hideScores.checked,
        hideSchedule: hideSchedule.checked,
        bots: bots.filter((b) => b.checked).map((b) => b.value),
      },
    });
    submit.disabled = false;
    if (!res.ok) {
      error.textContent = res.error.message;
      return;
    }
    teacherSession.set({ roomCode: res.roomCode, teacherToken: res.teacherToken, gameId: res.gameId });
    navigate('/teacher');
  }

  root.append(form);
};
