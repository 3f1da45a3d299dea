// RFC 2136 (TSIG-signed dynamic updates) against a real BIND 9 primary on 127.0.20.31, in process
// and through the bundled action. Every result is read with an independent UDP query; writes are
// counted by the zone's SOA serial, which BIND raises once per applied update. DNS has no HTTP
// API, so there are no 429/5xx cases, and a record set carries no metadata.

import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { lookup, probeSoa, startBindPair, udpQuery, type BindPair } from '../helpers/bind.ts'
import { startDnsTcpProxy, type DnsTcpProxy } from '../helpers/dns-tcp-proxy.ts'
import { runProviderConformance } from './conformance.ts'

const PRIMARY = '127.0.20.31'
const ZONE = 'example.test'
const NAME = `ldaps.${ZONE}`
const CHALLENGE = `_acme-challenge.${ZONE}`
/** A relay in front of BIND (this suite's own address), where another writer cuts in before an UPDATE. */
const RELAY = '127.0.40.1'

const execFileAsync = promisify(execFile)
let pair: BindPair
let relay: DnsTcpProxy
/** The SOA serial after the fixture's own last change: what the action wrote since is the rest. */
let serial = 0
const nsupdate = async (commands: string[]) => {
  await pair.nsupdate([`update delete ${NAME}`, ...commands])
  serial = await probeSoa(PRIMARY, 53, ZONE)
}
/** Another writer sets the TXT set at _acme-challenge (nsupdate, around the code under test). */
const seedChallenge = async (values: readonly string[]) => {
  await pair.nsupdate([`update delete ${CHALLENGE} TXT`, ...values.map(v => `update add ${CHALLENGE} 60 TXT "${v}"`)])
  serial = await probeSoa(PRIMARY, 53, ZONE)
}

runProviderConformance({
  title: 'RFC 2136',
  zone: ZONE,
  quietAddress: '127.0.20.53',
  async start() {
    pair = await startBindPair({ zone: ZONE, primary: PRIMARY, withSecondary: false })
    relay = await startDnsTcpProxy(RELAY, { host: PRIMARY, port: 53 })
  },
  async stop() {
    await relay?.close()
    await pair?.stop()
  },
  async reset() {
    relay.beforeUpdate = undefined
    await pair.nsupdate([`update delete ${CHALLENGE} TXT`])
    await nsupdate([])
  },
  inputs: () => ({
    provider: 'rfc2136',
    'rfc2136-server': PRIMARY,
    'rfc2136-tsig-key-name': pair.keys.sha256.name,
    'rfc2136-tsig-secret': pair.keys.sha256.secret
  }),
  env: () => ({}),
  seed: values => nsupdate(values.map(v => `update add ${NAME} 300 A ${v}`)),
  seedCname: target => nsupdate([`update add ${NAME} 300 CNAME ${target}`]),
  stored: () => lookup(PRIMARY, 53, NAME, 'A'),
  async storedCname() {
    const answer = await udpQuery(PRIMARY, 53, NAME, 'CNAME')
    const cname = answer.answers?.find(a => a.type === 'CNAME')
    return cname?.type === 'CNAME' ? cname.data : undefined
  },
  writes: async () => (await probeSoa(PRIMARY, 53, ZONE)) - serial,
  get badCredential() {
    // A valid key of the right length, but not the server's.
    const secret = pair.keys.sha512.secret.slice(0, 44)
    return {
      inputs: { 'rfc2136-tsig-secret': secret },
      secret,
      message: /127\.0\.20\.31 rejected .*"update-key" \(hmac-sha256\).*BADSIG.*rfc2136-tsig-secret/
    }
  },
  unknownZone: { zone: 'other.test', message: /127\.0\.20\.31/ },
  txt: {
    seed: seedChallenge,
    async stored() {
      // What BIND's zone holds now, asked with dig over TCP (a long set does not fit 512 bytes of
      // UDP): each record a line of quoted character-strings.
      const { stdout } = await execFileAsync('dig', ['+tcp', '+short', '+norecurse', `@${PRIMARY}`, CHALLENGE, 'TXT'])
      const records = stdout.split('\n').filter(line => line.startsWith('"'))
      return records.length === 0
        ? undefined
        : records.map(line => [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(m => m[1]!.replace(/\\(.)/g, '$1')))
    },
    raceOnce(values) {
      relay.beforeUpdate = () => seedChallenge(values)
      return { 'rfc2136-server': relay.address }
    }
  }
})
