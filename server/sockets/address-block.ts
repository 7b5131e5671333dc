import ipaddr from 'ipaddr.js';

/**
 * The block of addresses one client is counted as, for every per-address limit (rooms, connections,
 * join attempts and misses, log reads) and in the log lines that name an address.
 *
 * An IPv4 address is its own block: a school behind one NAT address counts as one client, which the
 * limits' budgets are sized for. An IPv6 address is not: one home or school network gets a whole /64
 * (its devices pick their own addresses in it, and change them), so anyone on it can make up 2^64
 * addresses, and counted one by one each would get its own budget. An IPv6 client counts as its /64,
 * the way the network that hands it out sees it. An IPv4 address written the IPv6 way
 * (`::ffff:192.0.2.1`, what a dual-stack listener reports for an IPv4 client) is that IPv4 address, so
 * one client counts the same whichever way it connected. What is not an address (a test's made-up
 * name, `unknown`) stays as it is.
 */
export function addressBlock(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const ip = ipaddr.process(address);
  // The loopback is one machine, not a network's block (a test's clients, a local proxy).
  if (ip.kind() === 'ipv4' || ip.range() === 'loopback') return ip.toString();
  const parts = (ip as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toRFC5952String()}/64`;
}
