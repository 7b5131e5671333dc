import { describe, expect, it } from 'vitest';
import { EndedLogCache } from '../../server/http/ended-log-cache.ts';

describe('EndedLogCache', () => {
  it('keeps the most recently used logs within its budget, and none bigger than it', () => {
    const cache = new EndedLogCache(10);
    cache.set('a', 'aaaa');
    cache.set('b', 'bbbb');
    expect(cache.get('a')).toBe('aaaa');
    cache.set('c', 'cccc');
    // 12 characters: the least recently used (b) goes.
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('aaaa');
    expect(cache.get('c')).toBe('cccc');
    cache.set('huge', 'x'.repeat(11));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('a')).toBe('aaaa');
    // Filling it again from empty-ish: the total never passes the budget.
    cache.set('d', 'dddddddddd');
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([undefined, undefined, 'dddddddddd']);
  });
});

describe('EndedLogCache.delete', () => {
  it('forgets a deleted game and gives its characters back to the budget', () => {
    const cache = new EndedLogCache(8);
    cache.set('a', 'aaaa');
    cache.set('b', 'bbbb');
    cache.delete('a');
    cache.delete('never-kept');
    expect(cache.get('a')).toBeUndefined();
    // Its 4 characters are free again: c fits without pushing b out.
    cache.set('c', 'cccc');
    expect([cache.get('b'), cache.get('c')]).toEqual(['bbbb', 'cccc']);
  });
});
