import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * The SSRF guard: webhook URLs must not reach this machine or its private networks. Checked at
 * registration and again on every delivery, on the addresses DNS returns for the connection
 * itself (so a name that later resolves to 127.0.0.1 is refused too).
 */
const forbidden = new BlockList();
const IPV4: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];
const IPV6: Array<[string, number, string]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['64:ff9b::', 96, 'NAT64'],
  ['64:ff9b:1::', 48, 'NAT64'],
  ['100::', 64, 'discard'],
  ['2001::', 32, 'Teredo'],
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, '6to4'],
  ['fc00::', 7, 'unique local (private)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];
const kinds: Array<{ list: BlockList; kind: string }> = [];
for (const [network, prefix, kind] of IPV4) {
  forbidden.addSubnet(network, prefix, 'ipv4');
  const list = new BlockList();
  list.addSubnet(network, prefix, 'ipv4');
  kinds.push({ list, kind });
}
for (const [network, prefix, kind] of IPV6) {
  forbidden.addSubnet(network, prefix, 'ipv6');
  const list = new BlockList();
  list.addSubnet(network, prefix, 'ipv6');
  kinds.push({ list, kind });
}

/** ::ffff:10.0.0.1 and ::10.0.0.1 reach the IPv4 address they embed. */
function embeddedIpv4(address: string): string | null {
  const mapped = /^::(?:ffff:(?:0+:)?)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const high = parseInt(hex[1]!, 16);
    const low = parseInt(hex[2]!, 16);
    return [high >> 8, high & 255, low >> 8, low & 255].join('.');
  }
  return null;
}

/** Why an address is off limits ("loopback", "private" …), or null for a public address. */
export function forbiddenAddressKind(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return 'not an IP address';
  const v4 = family === 6 ? embeddedIpv4(bare) : bare;
  const type = v4 ? 'ipv4' : 'ipv6';
  const value = v4 ?? bare;
  if (!forbidden.check(value, type)) return null;
  return kinds.find(({ list }) => list.check(value, type))?.kind ?? 'private';
}

export class ForbiddenDestination extends Error {
  override name = 'ForbiddenDestination';
}

function lookupAll(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );
}

/**
 * Resolves the URL's host and refuses it when any address is forbidden (a name with one public
 * and one private address could be steered to the private one).
 */
export async function assertPublicDestination(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [{ address: host }]
    : await lookupAll(host).catch((error: NodeJS.ErrnoException) => {
        throw new ForbiddenDestination(`${host} does not resolve (${error.code ?? error.message})`);
      });
  for (const { address } of addresses) {
    const kind = forbiddenAddressKind(address);
    if (kind) throw new ForbiddenDestination(`${host} resolves to ${address} (${kind})`);
  }
}

/** A DNS lookup for http.request that refuses forbidden addresses at connection time. */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true, verbatim: true }, (error, addresses) => {
    if (error) return callback(error, '', 4);
    const bad = addresses.find((a) => forbiddenAddressKind(a.address) !== null);
    if (bad) {
      const refusal = new ForbiddenDestination(
        `${hostname} resolves to ${bad.address} (${forbiddenAddressKind(bad.address)})`,
      ) as NodeJS.ErrnoException;
      refusal.code = 'EFORBIDDEN_DESTINATION';
      return callback(refusal, '', 4);
    }
    if (options.all) return callback(null, addresses as unknown as string, 4);
    const first = addresses[0]!;
    return callback(null, first.address, first.family);
  });
};
