import { describe, expect, it } from 'vitest';
import { studentUrls } from '../../server/http/student-urls.ts';

const lan = () => ['192.168.1.20', '10.0.0.7'];

describe('where students reach a server (studentUrls: /api/info, start-up lines, npm run cluster)', () => {
  it("every interface: this machine's network addresses, with the port given (a balancer's, not a process's)", () => {
    expect(studentUrls({ host: '0.0.0.0', port: 3000 }, lan)).toEqual([
      'http://192.168.1.20:3000',
      'http://10.0.0.7:3000',
    ]);
    expect(studentUrls({ host: '::', port: 8080 }, lan)).toEqual([
      'http://192.168.1.20:8080',
      'http://10.0.0.7:8080',
    ]);
  });

  it('a loopback address: none (only this machine reaches it)', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(studentUrls({ host, port: 3000 }, lan), host).toEqual([]);
  });

  it('one address or name (a balancer on another machine): itself, IPv6 in brackets, port 80 left out', () => {
    expect(studentUrls({ host: '10.1.2.3', port: 3000 }, lan)).toEqual(['http://10.1.2.3:3000']);
    expect(studentUrls({ host: 'lemonade.school.example', port: 80 }, lan)).toEqual([
      'http://lemonade.school.example',
    ]);
    expect(studentUrls({ host: 'fd00::5', port: 3000 }, lan)).toEqual(['http://[fd00::5]:3000']);
  });
});
