import { describe, expect, it } from 'vitest';
import { makeRoom } from './helpers/test-room.ts';

describe('room core under attack', () => {
  it('a look-alike of a taken nickname is refused by the room (Cyrillic А beside Latin A)', async () => {
    const { room, settle, store } = makeRoom();
    expect(await settle(room.join('Ada'))).toMatchObject({ ok: true });
    for (const name of ['\u0410da', 'ＡＤＡ', 'A\u200bda'])
      expect(await settle(room.join(name))).toMatchObject({ ok: false, error: { code: 'nickname-taken' } });
    expect(store.getGame(room.gameId)!.players.map((p) => p.name)).toEqual(['Ada']);
  });
});
