// The Host values a server answers to: its loopback names, the host it was asked to bind, every interface when bound to all.
import { describe, expect, it } from 'vitest';
import { hostname, networkInterfaces } from 'node:os';
import { allowedHosts, hostAllowed } from './host-check';

describe('allowedHosts', () => {
  it('names a loopback server by 127.0.0.1, localhost and [::1] on its port only', () => {
    for (const [host, address] of [['127.0.0.1', '127.0.0.1'], ['localhost', '127.0.0.1'], ['::1', '::1']]) {
      const allowed = allowedHosts(host, address, 5174);
      for (const ok of ['127.0.0.1:5174', 'localhost:5174', '[::1]:5174', 'LocalHost:5174']) expect(hostAllowed(ok, allowed), `${host}: ${ok}`).toBe(true);
      for (const bad of ['evil.example:5174', '127.0.0.1:5175', 'localhost', '127.0.0.2:5174', 'localhost.evil.example:5174', '', undefined]) {
        expect(hostAllowed(bad, allowed), `${host}: ${bad}`).toBe(false);
      }
    }
  });

  it('names a server bound to one address by that address (and the name it was given), not by loopback names', () => {
    const allowed = allowedHosts('studio.lan', '192.168.1.5', 8080);
    expect([...allowed].sort()).toEqual(['192.168.1.5:8080', 'studio.lan:8080']);
    expect([...allowedHosts('fe80::1', 'fe80::1', 8080)]).toEqual(['[fe80::1]:8080']);
  });

  it('names a server bound to every interface by each interface address, the machine name and the loopback names', () => {
    const allowed = allowedHosts('0.0.0.0', '0.0.0.0', 9000);
    for (const info of Object.values(networkInterfaces()).flat()) {
      if (info) expect(allowed.has(info.family === 'IPv6' ? `[${info.address.toLowerCase()}]:9000` : `${info.address}:9000`)).toBe(true);
    }
    expect(allowed.has(`${hostname().toLowerCase()}:9000`)).toBe(true);
    expect(allowed.has('localhost:9000')).toBe(true);
    expect(allowed.has('evil.example:9000')).toBe(false);
  });

  it('accepts a Host without its port only when the port is 80', () => {
    expect(hostAllowed('localhost', allowedHosts('127.0.0.1', '127.0.0.1', 80))).toBe(true);
    expect(hostAllowed('localhost', allowedHosts('127.0.0.1', '127.0.0.1', 81))).toBe(false);
  });
});
