import { h } from '../ui/dom.ts';
import { navigate } from '../router.ts';
import { request } from '../net/socket.ts';
import { goneReason, playerSession } from '../net/session-store.ts';
import { friendlyError } from '../ui/error-message.ts';
import type { Screen } from '../router.ts';

/** Room code and nickname. A join link or QR code (/join/CODE) fills the code in. */
export const joinScreen: Screen = (root, params) => {
  root.className = 'join';
  const code = h('input', {
    id: 'room-code',
    name: 'roomCode',
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
    inputmode: 'text',
    maxlength: 8,
    required: true,
    pattern: '[A-Za-z0-9]{4,8}',
    value: (params.code ?? '').toUpperCase(),
  });
  const name = h('input', {
    id: 'nickname',
    name: 'nickname',
    autocomplete: 'nickname',
    maxlength: 24,
    required: true,
  });
  const idea = h(
    'button',
    { type: 'button', class: 'secondary idea', 'data-action': 'nickname-idea' },
    '🎲 Pick a name for me',
  );
  idea.addEventListener('click', () => {
    void import('../ui/nickname-ideas.ts').then((m) => {
      name.value = m.nicknameIdea();
      name.focus();
    });
  });
  const error = h('p', { class: 'form-error', role: 'alert', id: 'join-error' });
  const submit = h('button', { class: 'primary', type: 'submit' }, 'Join the game 🍋');

  // A student who pressed Leave on this device: their token is still here, one tap takes them back.
  const left = playerSession.get();
  const comeBack =
    left?.left && (!params.code || params.code.toUpperCase() === left.roomCode)
      ? h(
          'p',
          { class: 'come-back' },
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              'data-action': 'come-back',
              onclick: () => {
                playerSession.set({ ...left, left: false });
                navigate('/play');
              },
            },
            `↩ Back to my business (${left.name}, room ${left.roomCode})`,
          ),
        )
      : null;

  // Why the last game sent this student here (the teacher removed them, the room closed).
  const gone = goneReason.take();
  const goneNote = gone
    ? h('p', { class: 'gone-note', role: 'status', 'data-testid': 'gone-note' }, `🚪 ${gone}`)
    : null;

  // Another device (a lost phone): the rejoin code from the old screen takes the business back.
  const rejoin = h('input', {
    id: 'rejoin-code',
    name: 'rejoinCode',
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
    maxlength: 20,
    placeholder: 'ABCD-EFGH-JKLM',
  });
  const rejoinError = h('p', { class: 'form-error', role: 'alert', id: 'rejoin-error' });
  const rejoinButton = h(
    'button',
    { type: 'button', class: 'secondary', 'data-action': 'rejoin' },
    '↩ Back to my business',
  );
  rejoinButton.addEventListener('click', () => void rejoinWithCode());
  const rejoinBox = h(
    'details',
    { class: 'rejoin-box' },
    h('summary', {}, 'Have a rejoin code? (your business, on another device)'),
    h('label', { for: 'rejoin-code' }, 'Rejoin code'),
    h('div', { class: 'name-row' }, rejoin, rejoinButton),
    rejoinError,
  );

  const form = h(
    'form',
    // novalidate: the browser's own bubble ("Please match the requested format.") came first and hid
    // the messages below, which say what a room code is.
    { class: 'card join-form', 'aria-describedby': 'join-error', novalidate: true },
    h('h1', {}, 'Join a game'),
    goneNote,
    comeBack,
    h('label', { for: 'room-code' }, 'Room code'),
    code,
    h('label', { for: 'nickname' }, 'Nickname'),
    h('div', { class: 'name-row' }, name, idea),
    h(
      'p',
      { class: 'hint' },
      'Pick a name your classmates will see on the leaderboard. Left a game? Type the same nickname to get your business back.',
    ),
    error,
    submit,
    rejoinBox,
    h('p', {}, h('a', { href: '#/' }, '← Back')),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void join();
  });

  async function join(): Promise<void> {
    error.textContent = '';
    const roomCode = code.value.trim().toUpperCase();
    const nickname = name.value.trim();
    if (!/^[A-Z0-9]{4,8}$/.test(roomCode)) {
      error.textContent = 'A room code is 4 to 8 letters or digits.';
      code.focus();
      return;
    }
    if (!nickname) {
      error.textContent = 'Type a nickname.';
      name.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Joining…';
    const res = await request('player:join', { roomCode, nickname });
    submit.disabled = false;
    submit.textContent = 'Join the game 🍋';
    if (!res.ok) {
      error.textContent = friendlyError(res.error);
      (res.error.code === 'nickname-taken' || res.error.code === 'nickname-not-allowed'
        ? name
        : code
      ).focus();
      return;
    }
    playerSession.set({
      roomCode: res.roomCode,
      playerId: res.playerId,
      playerToken: res.playerToken,
      name: nickname,
    });
    navigate('/play');
  }

  async function rejoinWithCode(): Promise<void> {
    rejoinError.textContent = '';
    const roomCode = code.value.trim().toUpperCase();
    if (!/^[A-Z0-9]{4,8}$/.test(roomCode)) {
      rejoinError.textContent = 'Type the room code above first (4 to 8 letters or digits).';
      code.focus();
      return;
    }
    if (!rejoin.value.trim()) {
      rejoinError.textContent = 'Type the rejoin code your old screen showed (under Details).';
      rejoin.focus();
      return;
    }
    rejoinButton.disabled = true;
    const res = await request('player:resume', { roomCode, rejoinCode: rejoin.value });
    rejoinButton.disabled = false;
    if (!res.ok) {
      rejoinError.textContent =
        res.error.code === 'bad-token'
          ? 'That rejoin code is not one of this room. Check both codes and try again.'
          : res.error.code === 'invalid-payload'
            ? 'A rejoin code is 12 letters and digits, like ABCD-EFGH-JKLM.'
            : friendlyError(res.error);
      rejoin.focus();
      return;
    }
    playerSession.set({
      roomCode: res.roomCode,
      playerId: res.playerId,
      playerToken: res.playerToken,
      name: res.name,
    });
    navigate('/play');
  }

  root.append(h('div', { class: 'center' }, form));
  // The first empty field takes the typing, after the router has focused the screen itself (it does
  // so once this function returns; focusing here directly was undone and typing went nowhere).
  queueMicrotask(() => (params.code ? name : code).focus());
};
