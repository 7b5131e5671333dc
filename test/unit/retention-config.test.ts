import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';

describe('GAME_RETENTION_DAYS', () => {
  it('defaults to 400 days; 0 and keep keep games forever; a whole number of days otherwise', () => {
    expect(loadConfig({}, []).gameRetentionDays).toBe(400);
    expect(loadConfig({ GAME_RETENTION_DAYS: '' }, []).gameRetentionDays).toBe(400);
    expect(loadConfig({ GAME_RETENTION_DAYS: '0' }, []).gameRetentionDays).toBeNull();
    expect(loadConfig({ GAME_RETENTION_DAYS: '00' }, []).gameRetentionDays).toBeNull();
    expect(loadConfig({ GAME_RETENTION_DAYS: 'keep' }, []).gameRetentionDays).toBeNull();
    expect(loadConfig({ GAME_RETENTION_DAYS: ' KEEP ' }, []).gameRetentionDays).toBeNull();
    expect(loadConfig({ GAME_RETENTION_DAYS: '30' }, []).gameRetentionDays).toBe(30);
  });

  it('refuses anything else, naming the variable and what it takes', () => {
    for (const bad of ['-1', '1.5', '30d', 'forever', '1e3', 'Infinity', '99999999999999999999'])
      expect(() => loadConfig({ GAME_RETENTION_DAYS: bad }, []), bad).toThrow(
        `GAME_RETENTION_DAYS must be a whole number of days (1 or more), or 0 or keep to keep games forever; got "${bad}"`,
      );
  });
});
