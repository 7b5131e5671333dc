import { describe, expect, it } from 'vitest';
import { haproxyConfig } from '../../server/cluster/haproxy-config.ts';

describe('haproxyConfig (deploy/haproxy.cfg filled in)', () => {
  it('binds the one port and lists every process, round-robin with health checks on /health', () => {
    const cfg = haproxyConfig({ host: '0.0.0.0', port: 3000 }, [
      { name: 'node1', host: '127.0.0.1', port: 3001 },
      { name: 'node2', host: '127.0.0.1', port: 3002 },
    ]);
    expect(cfg).toMatch(/^\s*bind 0\.0\.0\.0:3000$/m);
    expect(cfg).toMatch(/^\s*server node1 127\.0\.0\.1:3001 check$/m);
    expect(cfg).toMatch(/^\s*server node2 127\.0\.0\.1:3002 check$/m);
    expect(cfg).toMatch(/^\s*balance roundrobin$/m);
    expect(cfg).toMatch(/^\s*option httpchk GET \/health$/m);
    expect(cfg).toMatch(/^\s*timeout tunnel /m);
    expect(cfg).not.toMatch(/\{\{/);
  });

  it('refuses an empty list and names HAProxy would misread', () => {
    expect(() => haproxyConfig({ host: '0.0.0.0', port: 1 }, [])).toThrow(/at least one/);
    expect(() => haproxyConfig({ host: '0.0.0.0', port: 1 }, [{ name: 'a b', host: 'h', port: 2 }])).toThrow(
      /server name/,
    );
  });
});
