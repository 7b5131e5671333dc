import { describe, expect, it } from 'vitest';
import { serviceAddress } from '../../server/cluster/service-address.ts';

describe('a shared service as start-up lines and errors show it (service-address.ts)', () => {
  it('says where (user, host, port, database) and never the password', () => {
    expect(serviceAddress('postgres://lemon:s3cret@db.school:5432/lemonscale?sslmode=require')).toBe(
      'postgres://lemon@db.school:5432/lemonscale',
    );
    expect(serviceAddress('redis://:s3cret@127.0.0.1:6390')).toBe('redis://127.0.0.1:6390');
    expect(serviceAddress('postgres://postgres@127.0.0.1:5432/test')).toBe(
      'postgres://postgres@127.0.0.1:5432/test',
    );
  });

  it('does not echo what is not a URL (it may hold a password)', () => {
    expect(serviceAddress('postgres//lemon:s3cret@db')).not.toContain('s3cret');
  });
});
