import dns from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where the gateway may open a connection to an upstream (issue 13, item 6).
 *
 * A base URL or login URL is data an administrator can change at run time,
 * so a mistyped or malicious one must not turn the gateway into a way into
 * its own network: the cloud metadata service (credentials of the host), the
 * gateway's own ops listener on loopback, link-local devices. Two rules:
 *
 *   1. allowlist (only when `enforce`): the host is named in allowedHosts
 *      (exactly, or under a `*.` suffix wildcard), or every address it
 *      resolves to lies in allowedCidrs;
 *   2. special addresses (also only when `enforce`): loopback, link-local,
 *      unspecified and cloud metadata addresses are refused even for a host
 *      allowed by name, unless an allowedCidrs entry inside that very range
 *      names them (`127.0.0.1/32` allows loopback, `0.0.0.0/0` does not).
 *
 * The rules run twice: on the URL when it is configured (checkUrl: a clear
 * error at start or on the admin's request), and on the addresses actually
 * dialled (lookup, given to undici's `connect`), so a name that resolves to
 * something else later (DNS rebinding, a changed record) is still refused.
 * With `enforce` false (embedded mode, development) everything passes: the
 * sandboxes listen on loopback.
 */
export interface UpstreamAddressPolicy {
  enforce: boolean;
  /** Host names, exact (`lgsp.example.gov.vn`) or a suffix wildcard (`*.example.gov.vn`, which does not match `example.gov.vn` itself). */
  allowedHosts: readonly string[];
  /** CIDR blocks (`10.20.0.0/16`, `2001:db8::/32`) or single addresses. */
  allowedCidrs: readonly string[];
}

export interface UpstreamAddressGuard {
  /** Resolves when the URL may be called; rejects with UpstreamAddressRefusedError. */
  checkUrl(url: string): Promise<void>;
  /** A `dns.lookup` replacement for net/tls connect (undici `connect: { lookup }`): resolves, then refuses what checkUrl would refuse. */
  lookup: LookupFunction;
}

export type UpstreamAddressRefusal = 'not_allowlisted' | 'loopback' | 'link_local' | 'metadata' | 'unspecified' | 'scheme';

export class UpstreamAddressRefusedError extends Error {
  readonly reason: UpstreamAddressRefusal;
  /** The host as written in the URL (never a path or query, which may carry a secret). */
  readonly host: string;

  constructor(reason: UpstreamAddressRefusal, host: string, message: string) {
    super(message);
    this.name = 'UpstreamAddressRefusedError';
    this.reason = reason;
    this.host = host;
  }
}

/** One resolved address, as dns.lookup gives it. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** How a host name becomes addresses; dns.lookup (the system resolver, /etc/hosts included) unless a test injects another. */
export type ResolveHost = (host: string, options: { family?: number; hints?: number }) => Promise<ResolvedAddress[]>;

const systemResolver: ResolveHost = (host, options) => dns.promises.lookup(host, { all: true, family: options.family ?? 0, ...(options.hints !== undefined && { hints: options.hints }) });

type SpecialReason = Exclude<UpstreamAddressRefusal, 'not_allowlisted' | 'scheme'>;

/** Checked in this order: the metadata address 169.254.169.254 is link-local too, and the more specific reason is the useful one. */
const specialRanges: ReadonlyArray<{ reason: SpecialReason; what: string; cidrs: readonly string[] }> = [
  { reason: 'metadata', what: 'a cloud metadata address', cidrs: ['169.254.169.254/32', 'fd00:ec2::254/128', '100.100.100.200/32'] },
  { reason: 'loopback', what: 'a loopback address', cidrs: ['127.0.0.0/8', '::1/128'] },
  { reason: 'link_local', what: 'a link-local address', cidrs: ['169.254.0.0/16', 'fe80::/10'] },
  { reason: 'unspecified', what: 'an unspecified address', cidrs: ['0.0.0.0/8', '::/128'] },
];

interface Cidr {
  network: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

export function createUpstreamAddressGuard(policy: UpstreamAddressPolicy, options: { resolve?: ResolveHost } = {}): UpstreamAddressGuard {
  const resolve = options.resolve ?? systemResolver;
  if (!policy.enforce) {
    return { checkUrl: async () => undefined, lookup: options.resolve ? lookupWith(resolve, () => undefined) : dns.lookup };
  }

  const allowedCidrs = policy.allowedCidrs.map((entry) => parseCidr(entry));
  const allowed = blockListOf(allowedCidrs);
  const specials = specialRanges.map((range) => {
    const cidrs = range.cidrs.map((entry) => parseCidr(entry));
    const list = blockListOf(cidrs);
    // Only an entry lying wholly inside the range counts as naming it: a broad 0.0.0.0/0 never opens the metadata service.
    const inside = allowedCidrs.filter((entry) => cidrs.some((cidr) => cidr.family === entry.family && entry.prefix >= cidr.prefix && list.check(entry.network, entry.family)));
    return { ...range, list, explicitlyAllowed: blockListOf(inside) };
  });
  const hostPatterns = policy.allowedHosts.map(normalizeHost);

  function hostAllowedByName(host: string): boolean {
    return hostPatterns.some((pattern) => (pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : host === pattern));
  }

  /** Throws when any address of `host` is refused; `literal` when the URL held the address itself. */
  function checkAddresses(host: string, addresses: readonly ResolvedAddress[]): void {
    const label = (address: string) => (normalizeHost(host) === address ? `upstream host ${host}` : `upstream host ${host} (${address})`);
    for (const { address } of addresses) {
      const [plain, family] = plainAddress(address);
      for (const special of specials) {
        if (special.list.check(plain, family) && !special.explicitlyAllowed.check(plain, family)) {
          throw new UpstreamAddressRefusedError(special.reason, host, `${label(plain)} is ${special.what}: allow it in upstreams.allowedCidrs if it really is the upstream`);
        }
      }
    }
    if (hostAllowedByName(normalizeHost(host))) return;
    const outside = addresses.map(({ address }) => plainAddress(address)).filter(([plain, family]) => !allowed.check(plain, family));
    if (outside.length > 0 || addresses.length === 0) {
      throw new UpstreamAddressRefusedError(
        'not_allowlisted',
        host,
        `upstream host ${host} is not allowlisted: add it to upstreams.allowedHosts, or its addresses (${outside.map(([plain]) => plain).join(', ')}) to upstreams.allowedCidrs`,
      );
    }
  }

  async function addressesOf(host: string, resolveOptions: { family?: number; hints?: number } = {}): Promise<ResolvedAddress[]> {
    const bare = normalizeHost(host);
    const family = isIP(bare);
    return family !== 0 ? [{ address: bare, family }] : resolve(bare, resolveOptions);
  }

  return {
    async checkUrl(url) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new UpstreamAddressRefusedError('scheme', '', 'upstream URL is not a valid absolute URL');
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new UpstreamAddressRefusedError('scheme', parsed.hostname, `upstream URL scheme ${parsed.protocol} is refused: only http and https upstreams are called`);
      }
      const host = parsed.hostname;
      let addresses: ResolvedAddress[];
      try {
        addresses = await addressesOf(host);
      } catch (error) {
        // A host allowed by name may be unresolvable right now (DNS outage at start): the connect-time lookup still guards it.
        if (hostAllowedByName(normalizeHost(host))) return;
        const code = (error as { code?: unknown }).code;
        throw new UpstreamAddressRefusedError(
          'not_allowlisted',
          host,
          `upstream host ${host} is not in upstreams.allowedHosts and could not be resolved (${typeof code === 'string' ? code : 'lookup failed'}) to check it against upstreams.allowedCidrs`,
        );
      }
      checkAddresses(host, addresses);
    },
    lookup: lookupWith(addressesOf, checkAddresses),
  };
}

/** A net.LookupFunction over `resolve` that runs `check` on every address before net/tls dials one. */
function lookupWith(resolve: (host: string, options: { family?: number; hints?: number }) => Promise<ResolvedAddress[]>, check: (host: string, addresses: readonly ResolvedAddress[]) => void): LookupFunction {
  return (hostname, options, callback) => {
    const family = familyNumber(options.family);
    resolve(hostname, { family, ...(options.hints !== undefined && { hints: options.hints }) })
      .then((addresses) => {
        const wanted = family === 0 ? addresses : addresses.filter((address) => address.family === family);
        check(hostname, wanted);
        if (wanted.length === 0) throw Object.assign(new Error(`no address of family ${family} for ${hostname}`), { code: 'ENOTFOUND' });
        if (options.all) callback(null, wanted);
        else callback(null, wanted[0]!.address, wanted[0]!.family);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, options.all ? [] : '', 0));
  };
}

function familyNumber(family: number | string | undefined): number {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

/** Lower case, no URL brackets, no trailing root dot, no IPv6 zone. */
function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').replace(/%.*$/, '');
}

/**
 * The address to match and its family; an IPv4-mapped IPv6 address
 * (`::ffff:127.0.0.1`, `::ffff:7f00:1`) is the IPv4 address it reaches, so it
 * meets the IPv4 rules rather than slipping past them.
 */
function plainAddress(address: string): [string, 'ipv4' | 'ipv6'] {
  const bare = normalizeHost(address);
  if (isIP(bare) === 4) return [bare, 'ipv4'];
  // The URL parser writes every IPv6 address in one canonical form (compressed, hex): one pattern then covers every spelling.
  const canonical = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (mapped) {
    const high = parseInt(mapped[1]!, 16);
    const low = parseInt(mapped[2]!, 16);
    return [`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, 'ipv4'];
  }
  return [canonical, 'ipv6'];
}

/**
 * Whether an address falls in any of these CIDR blocks or single addresses
 * (IPv4-mapped IPv6 as the IPv4 address it reaches); built once, and a
 * malformed entry throws naming `setting`, so a configuration cannot
 * silently allow nothing.
 */
export function addressMatcher(entries: readonly string[], setting: string): (address: string) => boolean {
  const list = blockListOf(entries.map((entry) => parseCidr(entry, setting)));
  return (address) => {
    if (isIP(normalizeHost(address)) === 0) return false;
    const [plain, family] = plainAddress(address);
    return list.check(plain, family);
  };
}

function parseCidr(entry: string, setting = 'upstreams.allowedCidrs'): Cidr {
  const [address = '', prefixText] = entry.trim().split('/');
  const [network, family] = isIP(normalizeHost(address)) === 0 ? ['', 'ipv4' as const] : plainAddress(address);
  const max = family === 'ipv4' ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (network === '' || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw new Error(`${setting}: '${entry}' is not a CIDR block (e.g. 10.20.0.0/16, 2001:db8::/32) or an IP address`);
  }
  return { network, prefix, family };
}

function blockListOf(cidrs: readonly Cidr[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) list.addSubnet(cidr.network, cidr.prefix, cidr.family);
  return list;
}
