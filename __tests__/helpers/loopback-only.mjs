// Loopback guard for the tests: preloaded (--import) into the test runner and into every run of
// the bundled action, it refuses any TCP connection or UDP datagram to an address outside
// 127.0.0.0/8 and ::1, so "tests send traffic only to loopback" is enforced, not just reviewed.
// A refusal throws where the connection is made and is appended to LOOPBACK_GUARD_LOG, which
// `npm test` checks afterwards (scripts/check-loopback-guard.js): code that swallows the error
// (a step reporting a nameserver as unreachable, say) still fails the run.
import dgram from 'node:dgram'
import { appendFileSync } from 'node:fs'
import net from 'node:net'

const isLoopback = host =>
  host === undefined ||
  host === null ||
  host === '' ||
  host === 'localhost' ||
  host === '::1' ||
  /^(::ffff:)?127\.\d+\.\d+\.\d+$/i.test(String(host)) ||
  /^\[::1\]$/.test(String(host))

function refuse(kind, host, port) {
  const message = `loopback guard: ${kind} to ${host}:${port} refused (tests send traffic only to 127.0.0.0/8 and ::1)`
  if (process.env.LOOPBACK_GUARD_LOG) appendFileSync(process.env.LOOPBACK_GUARD_LOG, `${message}\n`)
  throw new Error(message)
}

const connect = net.Socket.prototype.connect
net.Socket.prototype.connect = function guardedConnect(...args) {
  // Node calls this with an options object, (port, host), or its own normalized [options, cb].
  const first = Array.isArray(args[0]) ? args[0][0] : args[0]
  let host
  let port
  if (first !== null && typeof first === 'object') {
    if (first.path === undefined) ({ host, port } = first)
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    port = first
    host = typeof args[1] === 'string' ? args[1] : undefined
  }
  if (!isLoopback(host)) refuse('TCP connection', host, port)
  return connect.apply(this, args)
}

const send = dgram.Socket.prototype.send
dgram.Socket.prototype.send = function guardedSend(...args) {
  // send(msg, [offset, length,] port[, address][, callback]): the address is the first string after msg.
  const address = args.slice(1).find(a => typeof a === 'string')
  if (!isLoopback(address))
    refuse(
      'UDP datagram',
      address,
      args.slice(1).find(a => typeof a === 'number')
    )
  return send.apply(this, args)
}

const dgramConnect = dgram.Socket.prototype.connect
dgram.Socket.prototype.connect = function guardedDgramConnect(port, address, ...rest) {
  if (typeof address === 'string' && !isLoopback(address)) refuse('UDP connect', address, port)
  return dgramConnect.call(this, port, address, ...rest)
}
