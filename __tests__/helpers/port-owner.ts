// Who holds a port: when a test server cannot listen on address:port (a system named or slapd on
// a shared machine, another test run), the helpers name the process instead of timing out.
// Linux only: reads /proc/net/{tcp,tcp6,udp,udp6} for the socket's inode and /proc/<pid>/fd for
// the process holding it. Sockets of other users' processes are named only when run as root.

import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { isIPv6 } from 'node:net'

export interface PortHolder {
  readonly protocol: 'tcp' | 'udp'
  /** The bound address as the kernel reports it (0.0.0.0 or :: for a wildcard). */
  readonly address: string
  readonly port: number
  readonly pid: number | undefined
  readonly command: string | undefined
}

const TCP_LISTEN = '0A'
const UDP_UNCONNECTED = '07'

/** Decodes /proc/net's hex address: IPv4 as one little-endian word, IPv6 as four of them. */
function decodeAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? []
  const bytes = words.flatMap(w => (w.match(/../g) ?? []).reverse().map(b => parseInt(b, 16)))
  if (bytes.length === 4) return bytes.join('.')
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16))
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1)
}

function socketsOn(protocol: 'tcp' | 'udp', port: number): { address: string; inode: string }[] {
  const found: { address: string; inode: string }[] = []
  for (const file of [protocol, `${protocol}6`]) {
    let text: string
    try {
      text = readFileSync(`/proc/net/${file}`, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      if (fields.length < 10) continue
      const [addressHex, portHex] = fields[1]!.split(':') as [string, string]
      const state = fields[3]
      if (parseInt(portHex, 16) !== port) continue
      if (state !== (protocol === 'tcp' ? TCP_LISTEN : UDP_UNCONNECTED)) continue
      found.push({ address: decodeAddress(addressHex), inode: fields[9]! })
    }
  }
  return found
}

/** pid and command line of the process holding each socket inode (those this user can see). */
function ownersOf(inodes: ReadonlySet<string>): Map<string, { pid: number; command: string }> {
  const owners = new Map<string, { pid: number; command: string }>()
  if (inodes.size === 0) return owners
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter(p => /^\d+$/.test(p))
  } catch {
    return owners
  }
  for (const pid of pids) {
    let fds: string[]
    try {
      fds = readdirSync(`/proc/${pid}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      let target: string
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`)
      } catch {
        continue
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1]
      if (inode === undefined || !inodes.has(inode) || owners.has(inode)) continue
      let command = '?'
      try {
        command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ') || '?'
      } catch {
        // The process ended in between.
      }
      owners.set(inode, { pid: Number(pid), command })
    }
  }
  return owners
}

/**
 * Sockets listening on address:port (or on the wildcard address of its family, which also
 * covers address), with the process holding each where it can be seen.
 */
export function portHolders(address: string, port: number, protocols: readonly ('tcp' | 'udp')[]): PortHolder[] {
  const wildcard = isIPv6(address) ? '::' : '0.0.0.0'
  const holders: { protocol: 'tcp' | 'udp'; address: string; inode: string }[] = []
  for (const protocol of protocols) {
    for (const s of socketsOn(protocol, port)) {
      if (s.address === address || s.address === wildcard) holders.push({ protocol, ...s })
    }
  }
  const owners = ownersOf(new Set(holders.map(h => h.inode)))
  return holders.map(h => ({
    protocol: h.protocol,
    address: h.address,
    port,
    pid: owners.get(h.inode)?.pid,
    command: owners.get(h.inode)?.command
  }))
}

/** One line per holder: `udp 127.0.5.1:53 is held by pid 812 (/usr/sbin/named -u bind)`. */
export function describePortHolders(holders: readonly PortHolder[]): string {
  return holders
    .map(h => {
      const where = `${h.protocol} ${isIPv6(h.address) ? `[${h.address}]` : h.address}:${h.port}`
      const who =
        h.pid === undefined
          ? 'a process this user cannot see (run `ss -lptnu` as root to name it)'
          : `pid ${h.pid} (${h.command!.slice(0, 120)})`
      return `${where} is held by ${who}`
    })
    .join('; ')
}
