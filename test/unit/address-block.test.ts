import { describe, expect, it } from 'vitest';
import { addressBlock } from '../../server/sockets/address-block.ts';

describe('addressBlock: what one client counts as in the per-address limits', () => {
  it('an IPv4 address is itself, written either way', () => {
    expect(addressBlock('192.0.2.1')).toBe('192.0.2.1');
    expect(addressBlock('::ffff:192.0.2.1')).toBe('192.0.2.1');
  });

  it('an IPv6 address is its /64, however it is written', () => {
    expect(addressBlock('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(addressBlock('2001:0DB8:0001:0002:ffff::9')).toBe('2001:db8:1:2::/64');
    expect(addressBlock('2001:db8:1:3::9')).toBe('2001:db8:1:3::/64');
    expect(addressBlock('fe80::1%eth0')).toBe('fe80::/64');
  });

  it('the loopback is one machine; what is not an address stays as it is', () => {
    expect(addressBlock('::1')).toBe('::1');
    expect(addressBlock('127.0.0.1')).toBe('127.0.0.1');
    expect(addressBlock('unknown')).toBe('unknown');
    expect(addressBlock('not:an:address:at:all')).toBe('not:an:address:at:all');
  });
});
