import { describe, expect, it } from 'vitest';
import { listen, type Listenable } from '../../client/src/net/listen.ts';

describe("a screen's socket listeners (client/src/net/listen.ts)", () => {
  it('adds each in the order given, and the returned stop takes off exactly those', () => {
    const log: string[] = [];
    const names = new Map<unknown, string>();
    const s: Listenable = {
      on: (event, fn) => void log.push(`on ${event} ${names.get(fn)}`),
      off: (event, fn) => void log.push(`off ${event} ${names.get(fn)}`),
    };
    const onView = () => undefined;
    const onClosed = () => undefined;
    names.set(onView, 'onView').set(onClosed, 'onClosed');
    const stop = listen(s, { 'view:class': onView, 'room:closed': onClosed, 'player:kicked': onClosed });
    expect(log).toEqual(['on view:class onView', 'on room:closed onClosed', 'on player:kicked onClosed']);
    log.length = 0;
    stop();
    expect(log).toEqual(['off view:class onView', 'off room:closed onClosed', 'off player:kicked onClosed']);
  });
});
