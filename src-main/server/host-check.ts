// The Host header values a request may carry: the names of the address the server listens on, so a rebound DNS name is refused.
import { hostname, networkInterfaces } from 'node:os';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', 'localhost']);
const ANY_ADDRESS = new Set(['0.0.0.0', '::']);

/** An address as a Host header writes it (IPv6 in brackets), lower case. */
function asHostName(address: string): string {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  return bare.includes(':') ? `[${bare}]` : bare;
}

/**
 * Every Host value (name:port) that reaches this server legitimately. A loopback server answers to
 * 127.0.0.1, localhost and [::1]; one bound to a given host to that name and the address it resolved to;
 * one bound to every interface to the loopback names, each interface's address and the machine's name.
 * A DNS-rebinding page reaches the port under its own domain name, which none of these is.
 */
export function allowedHosts(boundHost: string, boundAddress: string, port: number): Set<string> {
  const names = new Set<string>();
  const given = boundHost.toLowerCase();
  if (LOOPBACK_ADDRESSES.has(given) || LOOPBACK_ADDRESSES.has(boundAddress) || ANY_ADDRESS.has(given)) for (const n of LOOPBACK_NAMES) names.add(n);
  if (ANY_ADDRESS.has(given)) {
    for (const list of Object.values(networkInterfaces())) for (const info of list ?? []) names.add(asHostName(info.address));
    names.add(hostname().toLowerCase());
  } else {
    names.add(asHostName(given));
    names.add(asHostName(boundAddress));
  }
  const out = new Set<string>();
  for (const name of names) {
    out.add(`${name}:${port}`);
    if (port === 80) out.add(name); // a Host header may leave out the default port
  }
  return out;
}

/** True when the Host header names this server (case aside); a missing header never does. */
export function hostAllowed(header: string | undefined, allowed: ReadonlySet<string>): boolean {
  return header !== undefined && allowed.has(header.toLowerCase());
}
