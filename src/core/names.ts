// Pure validators for the two kinds of value this action cares most about: DNS names and IP
// addresses. Each returns either the canonical value or the rule it broke, so the input parser can
// name the input and the rule in one message.

import { BlockList, isIP } from 'node:net'
import { domainToASCII, domainToUnicode } from 'node:url'

export type Checked<T> = { ok: true; value: T } | { ok: false; rule: string }

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

// UTS-46 maps these to "." (ideographic, fullwidth and halfwidth ideographic full stops); a name
// typed with an East Asian keyboard layout often ends in one.
const OTHER_DOTS = /[\u3002\uff0e\uff61]/gu

/**
 * Validates a host name and returns its ASCII lowercase form without a trailing dot.
 * Internationalised names are converted to punycode first; characters that could smuggle a path
 * or URL into an API request (`/ ? # % ..`, whitespace) are rejected before conversion, because
 * the WHATWG converter would silently cut the name at them.
 */
export function parseDomainName(input: string): Checked<string> {
  const raw = input.replace(OTHER_DOTS, '.')
  if (raw.length === 0) return { ok: false, rule: 'must not be empty' }
  if (/[\s/?#%\\@:]/u.test(raw)) {
    return { ok: false, rule: 'must be a DNS name without whitespace or any of / ? # % \\ @ :' }
  }
  if (raw.includes('..')) return { ok: false, rule: 'must not contain an empty label ("..")' }
  if (raw.startsWith('.')) return { ok: false, rule: 'must not start with a dot' }
  if (raw.includes('*')) return { ok: false, rule: 'must be a single name, not a wildcard' }
  const withoutDot = raw.endsWith('.') ? raw.slice(0, -1) : raw
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(withoutDot) ? withoutDot.toLowerCase() : domainToASCII(withoutDot)
  if (ascii === '') return { ok: false, rule: 'is not a valid internationalised domain name' }
  if (ascii.length > 253) {
    return { ok: false, rule: `must be at most 253 characters long (is ${ascii.length} in ASCII form)` }
  }
  const labels = ascii.split('.')
  for (const label of labels) {
    if (label.length === 0) return { ok: false, rule: 'must not contain an empty label' }
    if (label.length > 63) {
      return { ok: false, rule: `label "${label.slice(0, 20)}…" is longer than 63 characters` }
    }
    if (!LABEL.test(label)) {
      return {
        ok: false,
        rule: `label "${label}" may hold only letters, digits and hyphens, and must not start or end with a hyphen`
      }
    }
    if (label.startsWith('xn--') && !isPunycodeLabel(label)) {
      return {
        ok: false,
        rule: `label "${label}" starts with xn-- but is not valid punycode (the ASCII form of an internationalised label); write the label in Unicode (e.g. bücher) or its correct xn-- form`
      }
    }
  }
  // A last label that is a number (decimal, or hex with 0x) makes URL parsers, and so the
  // provider APIs' clients, read the whole name as an IPv4 address.
  if (isIP(ascii) !== 0 || /^(?:[0-9]+|0x[0-9a-f]*)$/.test(labels[labels.length - 1] ?? '')) {
    return { ok: false, rule: 'must be a DNS name, not an IP address (its last label is a number)' }
  }
  return { ok: true, value: ascii }
}

/**
 * An `xn--` label (an IDNA A-label) must decode to a Unicode label that encodes back to it; the
 * WHATWG converter leaves a label it cannot decode as it was, so an undecodable one still starts
 * with xn--. A DNS provider would store such a name, but no client could type or match it.
 */
function isPunycodeLabel(label: string): boolean {
  const unicode = domainToUnicode(label)
  return unicode !== '' && !unicode.startsWith('xn--') && domainToASCII(unicode) === label
}

export interface ParsedAddress {
  /** Canonical text form: IPv4 dotted quad, IPv6 compressed lowercase. */
  readonly address: string
  readonly family: 4 | 6
}

/** Validates an IP literal (no zone id, no brackets) and returns its canonical form. */
export function parseIpAddress(raw: string): Checked<ParsedAddress> {
  if (raw.includes('%')) return { ok: false, rule: 'must not carry an IPv6 zone id (%…); write the address without it' }
  const family = isIP(raw)
  if (family === 4) return { ok: true, value: { address: raw, family: 4 } }
  if (family === 6) {
    const canonical = new URL(`http://[${raw}]/`).hostname.slice(1, -1)
    return { ok: true, value: { address: canonical, family: 6 } }
  }
  return { ok: false, rule: 'must be an IPv4 address (e.g. 52.165.38.113) or an IPv6 address' }
}

interface Range {
  readonly cidr: string
  readonly what: string
}

// Addresses that can never be the endpoint of a service: rejected.
const UNUSABLE: readonly Range[] = [
  { cidr: '0.0.0.0/8', what: '"this network" (0.0.0.0/8)' },
  { cidr: '224.0.0.0/4', what: 'multicast (224.0.0.0/4)' },
  { cidr: '255.255.255.255/32', what: 'the broadcast address' },
  { cidr: '::/128', what: 'the unspecified address (::)' },
  { cidr: 'ff00::/8', what: 'multicast (ff00::/8)' }
]

// Addresses that work on some network but are not reachable from the internet: warned about,
// because an internet LDAPS name (the Entra DS "secure LDAP over the internet" case) should point
// at a public address. Split-horizon setups legitimately use them, hence a warning only.
const NOT_PUBLIC: readonly Range[] = [
  { cidr: '10.0.0.0/8', what: 'private (RFC 1918)' },
  { cidr: '172.16.0.0/12', what: 'private (RFC 1918)' },
  { cidr: '192.168.0.0/16', what: 'private (RFC 1918)' },
  { cidr: '100.64.0.0/10', what: 'shared address space (RFC 6598, carrier-grade NAT)' },
  { cidr: '127.0.0.0/8', what: 'loopback' },
  { cidr: '169.254.0.0/16', what: 'link-local' },
  { cidr: '192.0.2.0/24', what: 'documentation (TEST-NET-1, RFC 5737)' },
  { cidr: '198.51.100.0/24', what: 'documentation (TEST-NET-2, RFC 5737)' },
  { cidr: '203.0.113.0/24', what: 'documentation (TEST-NET-3, RFC 5737)' },
  { cidr: '198.18.0.0/15', what: 'benchmarking (RFC 2544)' },
  { cidr: '240.0.0.0/4', what: 'reserved (240.0.0.0/4)' },
  { cidr: '::1/128', what: 'loopback' },
  { cidr: 'fc00::/7', what: 'unique local (RFC 4193)' },
  { cidr: 'fe80::/10', what: 'link-local' },
  { cidr: '2001:db8::/32', what: 'documentation (RFC 3849)' },
  { cidr: '::ffff:0:0/96', what: 'IPv4-mapped' }
]

function classify(ranges: readonly Range[], address: ParsedAddress): string | undefined {
  for (const range of ranges) {
    const [network, prefix] = range.cidr.split('/') as [string, string]
    const rangeFamily = isIP(network) === 4 ? 'ipv4' : 'ipv6'
    if ((address.family === 4) !== (rangeFamily === 'ipv4')) continue
    const list = new BlockList()
    list.addSubnet(network, Number(prefix), rangeFamily)
    if (list.check(address.address, rangeFamily)) return range.what
  }
  return undefined
}

/** The eight 16-bit groups of a canonical (compressed, hex-only) IPv6 address. */
function ipv6Groups(canonical: string): number[] {
  const [head = '', tail] = canonical.split('::') as [string, string | undefined]
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map(g => parseInt(g, 16)))
  const left = parse(head)
  if (tail === undefined) return left
  const right = parse(tail)
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right]
}

/**
 * The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or IPv4-compatible (::a.b.c.d, deprecated
 * by RFC 4291) IPv6 address, with the kind; undefined for any other address (:: and ::1 included).
 * Such a literal names an IPv4 endpoint: as `ip` it would publish a useless AAAA record.
 */
export function embeddedIpv4(address: ParsedAddress): { kind: string; ipv4: string } | undefined {
  if (address.family !== 6) return undefined
  const g = ipv6Groups(address.address)
  if (g.length !== 8 || g.slice(0, 5).some(x => x !== 0)) return undefined
  const ipv4 = [g[6]! >> 8, g[6]! & 255, g[7]! >> 8, g[7]! & 255].join('.')
  if (g[5] === 0xffff) return { kind: 'an IPv4-mapped IPv6 address', ipv4 }
  if (g[5] === 0 && g[6] !== 0) return { kind: 'an IPv4-compatible IPv6 address', ipv4 }
  return undefined
}

/** A value written as a URL (`ldaps://host:636`, `https://host/`), where a bare host was expected. */
export function urlHost(raw: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^/:?#]*)/i.exec(raw)
  return m === null ? undefined : m[1]
}

/** Why an address can never be a service endpoint, or undefined when it can. */
export function unusableAddressReason(address: ParsedAddress): string | undefined {
  return classify(UNUSABLE, address)
}

/** Which non-public range an address falls in, or undefined for a public address. */
export function nonPublicAddressRange(address: ParsedAddress): string | undefined {
  return classify(NOT_PUBLIC, address)
}

// Private networks' own addresses: published in a public zone, they tell the internet an address
// only that network can reach (and how it is numbered).
const PRIVATE: readonly Range[] = [
  { cidr: '10.0.0.0/8', what: 'private (RFC 1918)' },
  { cidr: '172.16.0.0/12', what: 'private (RFC 1918)' },
  { cidr: '192.168.0.0/16', what: 'private (RFC 1918)' },
  { cidr: 'fc00::/7', what: 'unique local (RFC 4193)' }
]

/** The private range (RFC 1918, RFC 4193) an address is in, or undefined. */
export function privateAddressRange(address: ParsedAddress): string | undefined {
  return classify(PRIVATE, address)
}

/**
 * Why an address can never be the published address of an endpoint (the ip input, or the managed
 * domain's external IP), as a rule ("must …"), or undefined when it can be published.
 * `connectTarget` true: the rules for a server this action connects to instead (connect-to,
 * resolver, nameservers, a provider's server), where IPv4 link-local stays allowed (cloud
 * resolvers such as 169.254.169.253 live there) and IPv6 link-local is refused only because it
 * needs a zone id, which these inputs do not take.
 */
export function endpointAddressProblem(address: ParsedAddress, connectTarget = false): string | undefined {
  const embedded = embeddedIpv4(address)
  if (embedded !== undefined) {
    return `must be written as the IPv4 address ${embedded.ipv4} itself, not as ${embedded.kind}${connectTarget ? '' : ' (that would publish an AAAA record no client can use)'}`
  }
  const unusable = unusableAddressReason(address)
  if (unusable !== undefined) {
    return `must be a unicast address a client can connect to (${address.address} is ${unusable}); give the ${connectTarget ? "server's" : "endpoint's"} own address`
  }
  if (nonPublicAddressRange(address) !== 'link-local') return undefined
  if (!connectTarget) {
    return `must not be a link-local address (${address.address} is in ${address.family === 4 ? '169.254.0.0/16' : 'fe80::/10'}, valid on one network link only and never routed to clients); give the endpoint's own address`
  }
  if (address.family === 6) {
    return `must not be an IPv6 link-local address (fe80::/10 needs a zone id, which this input does not take); give a global or unique local address`
  }
  return undefined
}

/** True when `name` equals `zone` or lies below it (both ASCII lowercase, no trailing dot). */
export function isInZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`)
}

/** An address as a provider or server returns it, in canonical form; other text unchanged. */
export function canonicalAddress(text: string): string {
  const parsed = parseIpAddress(text)
  return parsed.ok ? parsed.value.address : text
}

/** The zones that could hold `name`: the name and its parents with at least two labels, longest first. */
export function zoneCandidates(name: string): string[] {
  const labels = name.split('.')
  const result: string[] = []
  for (let i = 0; i <= labels.length - 2; i++) result.push(labels.slice(i).join('.'))
  return result
}
