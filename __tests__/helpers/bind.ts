// Real BIND 9 (`named`) servers for tests, the demo and the benchmarks: a primary that accepts
// TSIG-signed dynamic updates and a secondary that transfers the zone from it with NOTIFY off and
// a short SOA refresh, so a change reaches the secondary with a real delay. Every server runs in
// the foreground from its own temporary directory and is stopped by `stop()`.
//
//   const pair = await startBindPair({ zone: 'example.test', primary: '127.0.5.1',
//     secondary: '127.0.5.2', primaryV6: '::1', refreshSeconds: 3, records: ['ldaps IN A 192.0.2.1'] })
//   // action inputs: rfc2136-server 127.0.5.1, rfc2136-tsig-key-name pair.keys.sha256.name,
//   //   rfc2136-tsig-secret pair.keys.sha256.secret, resolver 127.0.5.1
//   await pair.nsupdate(['update add other.example.test 60 A 192.0.2.9'])  // a change behind its back
//   await pair.stop()
//
// Needs root (named on port 53, and `ip addr add` of each 127.x address to lo: named only binds
// to addresses configured on an interface) and the Debian packages bind9 and bind9-dnsutils.

import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import dnsPacket from 'dns-packet'
import { createSocket } from 'node:dgram'
import { isIPv6 } from 'node:net'
import { describePortHolders, portHolders } from './port-owner.ts'

const execFileAsync = promisify(execFile)

export const NAMED = process.env['NAMED_PATH'] ?? '/usr/sbin/named'

export interface TsigKey {
  readonly name: string
  readonly algorithm: 'hmac-sha1' | 'hmac-sha256' | 'hmac-sha512'
  /** base64 */
  readonly secret: string
}

export function createTsigKey(name: string, algorithm: TsigKey['algorithm'] = 'hmac-sha256'): TsigKey {
  const size = algorithm === 'hmac-sha512' ? 64 : algorithm === 'hmac-sha1' ? 20 : 32
  return { name, algorithm, secret: randomBytes(size).toString('base64') }
}

export interface ZoneSpec {
  readonly name: string
  readonly role: 'primary' | 'secondary'
  /** Primary only: the zone file body after the SOA (relative names are in the zone). */
  readonly records?: readonly string[]
  /** Primary only: keys allowed to update the zone. */
  readonly updateKeys?: readonly TsigKey[]
  /** Secondary only: where to transfer from. */
  readonly primary?: string
  readonly primaryPort?: number
  readonly refreshSeconds?: number
}

export interface BindServerOptions {
  /** IPv4 and/or IPv6 addresses to listen on. */
  readonly addresses: readonly string[]
  readonly port?: number
  readonly zones: readonly ZoneSpec[]
  /** Keys the server knows (for updates and to verify signed requests). */
  readonly keys?: readonly TsigKey[]
  /** Milliseconds to wait for the server to answer for every zone. */
  readonly startTimeoutMs?: number
  /** SOA refresh/retry for primary zones (seconds). */
  readonly refreshSeconds?: number
}

export interface BindServer {
  readonly addresses: readonly string[]
  readonly port: number
  readonly dir: string
  /** Everything named wrote to stderr (its log with -g), with timestamps. */
  log(): string
  stop(): Promise<void>
}

function quote(s: string): string {
  return `"${s.replace(/["\\]/g, '\\$&')}"`
}

function keyClause(key: TsigKey): string {
  return `key ${quote(key.name)} { algorithm ${key.algorithm}; secret ${quote(key.secret)}; };`
}

export function renderZoneFile(zone: string, records: readonly string[], refreshSeconds: number): string {
  return [
    `$ORIGIN ${zone}.`,
    '$TTL 60',
    `@ IN SOA ns1.${zone}. hostmaster.${zone}. 1 ${refreshSeconds} ${refreshSeconds} 1209600 5`,
    ...records,
    ''
  ].join('\n')
}

/**
 * named listens only on addresses configured on an interface (it does not bind to 127.x.y.z
 * just because lo routes 127/8), so each loopback address a server uses is added to `lo` once.
 * Left in place afterwards: it is harmless, and another server may be using it.
 */
export async function ensureLoopbackAddress(address: string): Promise<void> {
  if (address === '::1' || address === '127.0.0.1') return
  const family = isIPv6(address) ? '-6' : '-4'
  const { stdout } = await execFileAsync('ip', [family, 'addr', 'show', 'dev', 'lo'])
  const prefix = isIPv6(address) ? 128 : 32
  if (stdout.includes(` ${address}/`)) return
  try {
    await execFileAsync('ip', [family, 'addr', 'add', `${address}/${prefix}`, 'dev', 'lo'])
  } catch (error) {
    // Another process may have added it in the meantime.
    const again = await execFileAsync('ip', [family, 'addr', 'show', 'dev', 'lo'])
    if (!again.stdout.includes(` ${address}/`)) {
      throw new Error(`cannot add ${address} to lo (named needs it on an interface; run as root)`, { cause: error })
    }
  }
}

/** Starts one named in the foreground; resolves once it answers SOA for every zone it serves. */
export async function startBindServer(options: BindServerOptions): Promise<BindServer> {
  for (const address of options.addresses) await ensureLoopbackAddress(address)
  const port = options.port ?? 53
  // A port already taken on one of our addresses (a system named, another test run) would make
  // named fail, or worse share the port; say who holds it instead of waiting for a timeout.
  const taken = options.addresses.flatMap(a => portHolders(a, port, ['udp', 'tcp']).filter(h => h.address === a))
  if (taken.length > 0) {
    throw new Error(`named cannot listen where the test needs it: ${describePortHolders(taken)}`)
  }
  const refresh = options.refreshSeconds ?? 3
  const dir = mkdtempSync(join(tmpdir(), 'ldaps-dns-bind-'))
  const v4 = options.addresses.filter(a => !isIPv6(a))
  const v6 = options.addresses.filter(a => isIPv6(a))
  const source = v4[0]
  const zoneClauses = options.zones.map(zone => {
    const file = join(dir, `${zone.name}.db`)
    if (zone.role === 'primary') {
      writeFileSync(file, renderZoneFile(zone.name, zone.records ?? [], refresh))
      const keys = zone.updateKeys ?? []
      return `zone ${quote(zone.name)} {
  type primary;
  file ${quote(file)};
  allow-update { ${keys.length === 0 ? 'none;' : keys.map(k => `key ${quote(k.name)};`).join(' ')} };
  allow-transfer { any; };
  notify no;
};`
    }
    return `zone ${quote(zone.name)} {
  type secondary;
  file ${quote(file)};
  primaries port ${zone.primaryPort ?? 53} { ${zone.primary}; };
  notify no;
  min-refresh-time ${zone.refreshSeconds ?? refresh};
  max-refresh-time ${zone.refreshSeconds ?? refresh};
  min-retry-time ${zone.refreshSeconds ?? refresh};
  max-retry-time ${zone.refreshSeconds ?? refresh};
};`
  })
  const conf = `options {
  directory ${quote(dir)};
  pid-file ${quote(join(dir, 'named.pid'))};
  session-keyfile ${quote(join(dir, 'session.key'))};
  managed-keys-directory ${quote(dir)};
  listen-on port ${port} { ${v4.length > 0 ? v4.map(a => `${a};`).join(' ') : 'none;'} };
  listen-on-v6 port ${port} { ${v6.length > 0 ? v6.map(a => `${a};`).join(' ') : 'none;'} };
  ${source !== undefined ? `query-source address ${source}; transfer-source ${source}; notify-source ${source};` : ''}
  recursion no;
  dnssec-validation no;
  notify no;
  minimal-responses no;
  allow-query { any; };
};
controls { };
${(options.keys ?? []).map(keyClause).join('\n')}
${zoneClauses.join('\n')}
`
  const confPath = join(dir, 'named.conf')
  writeFileSync(confPath, conf)
  let log = ''
  const child: ChildProcess = spawn(NAMED, ['-g', '-n', '1', '-c', confPath], {
    stdio: ['ignore', 'ignore', 'pipe']
  })
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()))
  let exited = false
  const exitedPromise = new Promise<void>(resolve =>
    child.on('exit', () => {
      exited = true
      resolve()
    })
  )
  const server: BindServer = {
    addresses: options.addresses,
    port,
    dir,
    log: () => log,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
        await exitedPromise
        clearTimeout(timer)
      }
      rmSync(dir, { recursive: true, force: true })
    }
  }
  const deadline = Date.now() + (options.startTimeoutMs ?? 15_000)
  try {
    for (const zone of options.zones) {
      for (const address of options.addresses) {
        while (true) {
          if (exited) throw new Error(`named exited during startup${portsInUse(options.addresses, port)}:\n${log}`)
          if (log.includes('not loaded due to errors')) throw new Error(`named could not load a zone:\n${log}`)
          const answer = await probeSoa(address, port, zone.name, 300).catch(() => undefined)
          if (answer !== undefined) break
          if (Date.now() > deadline) {
            throw new Error(
              `named on ${address}:${port} did not serve ${zone.name} in time${portsInUse(options.addresses, port)}:\n${log}`
            )
          }
          await new Promise(r => setTimeout(r, 50))
        }
      }
    }
  } catch (error) {
    await server.stop()
    throw error
  }
  return server
}

/** `; udp 127.0.5.1:53 is held by pid 812 (named …)` when another socket holds one of the ports. */
function portsInUse(addresses: readonly string[], port: number): string {
  const holders = addresses.flatMap(a => portHolders(a, port, ['udp', 'tcp']))
  return holders.length === 0 ? '' : `; ${describePortHolders(holders)}`
}

/** Serial of `zone` at one server (authoritative answer only), or undefined. */
export async function probeSoa(address: string, port: number, zone: string, timeoutMs = 1000): Promise<number> {
  const response = await udpQuery(address, port, zone, 'SOA', timeoutMs)
  const soa = response.answers?.find(a => a.type === 'SOA')
  if (!response.flag_aa || soa === undefined || soa.type !== 'SOA') {
    throw new Error(`${address} does not serve ${zone} (${response.rcode})`)
  }
  return soa.data.serial ?? 0
}

/** One plain UDP query (RD=0), independent of the code under test. */
export function udpQuery(
  address: string,
  port: number,
  name: string,
  type: 'A' | 'AAAA' | 'SOA' | 'NS' | 'CNAME' | 'TXT',
  timeoutMs = 1000
): Promise<dnsPacket.DecodedPacket & { rcode?: string }> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIPv6(address) ? 'udp6' : 'udp4')
    const id = Math.floor(Math.random() * 65536)
    const timer = setTimeout(() => {
      socket.close()
      reject(new Error(`timeout querying ${address}`))
    }, timeoutMs)
    socket.on('error', error => {
      clearTimeout(timer)
      socket.close()
      reject(error)
    })
    socket.on('message', message => {
      const decoded = dnsPacket.decode(message)
      if (decoded.id !== id) return
      clearTimeout(timer)
      socket.close()
      resolve(decoded as dnsPacket.DecodedPacket & { rcode?: string })
    })
    socket.send(dnsPacket.encode({ type: 'query', id, questions: [{ type, name }] }), port, address)
  })
}

/** The addresses a server holds for name/type, as a sorted list (authoritative answers only). */
export async function lookup(address: string, port: number, name: string, type: 'A' | 'AAAA'): Promise<string[]> {
  const response = await udpQuery(address, port, name, type)
  return (response.answers ?? [])
    .filter(a => a.type === type && a.name.toLowerCase() === name.toLowerCase())
    .map(a => String((a as { data?: unknown }).data))
    .sort()
}

export interface BindPairOptions {
  /** Zone name, default example.test. */
  readonly zone?: string
  readonly primary?: string
  readonly secondary?: string
  /** An IPv6 address the primary also listens on (ns1 gets an AAAA record for it), e.g. ::1. */
  readonly primaryV6?: string
  readonly port?: number
  /** SOA refresh of the secondary, seconds (BIND applies up to 25 % jitter below it). */
  readonly refreshSeconds?: number
  /** Extra zone file lines (relative names), e.g. ['ldaps 60 IN A 192.0.2.10']. */
  readonly records?: readonly string[]
  /** false: only the primary (NS records still list both). */
  readonly withSecondary?: boolean
}

/**
 * The pair that end-to-end RFC 2136 runs and the propagation step test wait on: the primary also on
 * [::1] (so AAAA can be tested), the secondary transferring every 2 s so that it lags but catches up.
 */
export const DUAL_STACK_PAIR: BindPairOptions = {
  primary: '127.0.5.1',
  secondary: '127.0.5.2',
  primaryV6: '::1',
  refreshSeconds: 2
}

export interface BindPair {
  readonly zone: string
  readonly port: number
  readonly primary: BindServer
  readonly secondary: BindServer | undefined
  readonly primaryAddress: string
  readonly secondaryAddress: string
  readonly primaryV6: string | undefined
  /** Keys allowed to update the zone, one per algorithm; `sha256` is the default one. */
  readonly keys: { readonly sha256: TsigKey; readonly sha1: TsigKey; readonly sha512: TsigKey }
  /** Runs `nsupdate` commands at the primary with the sha256 key (changes behind the code's back). */
  nsupdate(commands: readonly string[]): Promise<void>
  stop(): Promise<void>
}

/**
 * Starts a primary (updates allowed with the pair's TSIG keys) and a secondary that transfers
 * from it every `refreshSeconds` (NOTIFY off). The zone has NS ns1 and ns2 with glue on the two
 * addresses, so discovery through the primary as `resolver` finds both.
 */
export async function startBindPair(options: BindPairOptions = {}): Promise<BindPair> {
  const zone = options.zone ?? 'example.test'
  const primaryAddress = options.primary ?? '127.0.5.1'
  const secondaryAddress = options.secondary ?? '127.0.5.2'
  const port = options.port ?? 53
  const refreshSeconds = options.refreshSeconds ?? 3
  const keys = {
    sha256: createTsigKey('update-key', 'hmac-sha256'),
    sha1: createTsigKey('update-key-sha1', 'hmac-sha1'),
    sha512: createTsigKey('update-key-sha512', 'hmac-sha512')
  }
  const allKeys = [keys.sha256, keys.sha1, keys.sha512]
  const records = [
    '@ IN NS ns1',
    '@ IN NS ns2',
    `ns1 IN A ${primaryAddress}`,
    ...(options.primaryV6 !== undefined ? [`ns1 IN AAAA ${options.primaryV6}`] : []),
    `ns2 IN A ${secondaryAddress}`,
    ...(options.records ?? [])
  ]
  const primary = await startBindServer({
    addresses: options.primaryV6 !== undefined ? [primaryAddress, options.primaryV6] : [primaryAddress],
    port,
    keys: allKeys,
    refreshSeconds,
    zones: [{ name: zone, role: 'primary', records, updateKeys: allKeys }]
  })
  let secondary: BindServer | undefined
  if (options.withSecondary !== false) {
    try {
      secondary = await startBindServer({
        addresses: [secondaryAddress],
        port,
        refreshSeconds,
        zones: [{ name: zone, role: 'secondary', primary: primaryAddress, primaryPort: port, refreshSeconds }]
      })
    } catch (error) {
      await primary.stop()
      throw error
    }
  }
  return {
    zone,
    port,
    primary,
    secondary,
    primaryAddress,
    secondaryAddress,
    primaryV6: options.primaryV6,
    keys,
    async nsupdate(commands) {
      const key = keys.sha256
      const script = [`server ${primaryAddress} ${port}`, `zone ${zone}`, ...commands, 'send', ''].join('\n')
      const file = join(primary.dir, `nsupdate-${randomBytes(4).toString('hex')}.txt`)
      writeFileSync(file, script)
      await execFileAsync('nsupdate', ['-y', `${key.algorithm}:${key.name}:${key.secret}`, file], { timeout: 10_000 })
    },
    async stop() {
      await Promise.all([primary.stop(), secondary?.stop()])
    }
  }
}
