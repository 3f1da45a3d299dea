// RFC 2136 (TSIG-signed dynamic updates) against a real BIND 9 primary on 127.0.20.31, in process
// and through the bundled action. Every result is read with an independent UDP query; writes are
// counted by the zone's SOA serial, which BIND raises once per applied update. DNS has no HTTP
// API, so there are no 429/5xx cases, and a record set carries no metadata.

import { lookup, probeSoa, startBindPair, udpQuery, type BindPair } from '../helpers/bind.ts'
import { runProviderConformance } from './conformance.ts'

const PRIMARY = '127.0.20.31'
const ZONE = 'example.test'
const NAME = `ldaps.${ZONE}`

let pair: BindPair
/** The SOA serial after the fixture's own last change: what the action wrote since is the rest. */
let serial = 0
const nsupdate = async (commands: string[]) => {
  await pair.nsupdate([`update delete ${NAME}`, ...commands])
  serial = await probeSoa(PRIMARY, 53, ZONE)
}

runProviderConformance({
  title: 'RFC 2136',
  zone: ZONE,
  quietAddress: '127.0.20.53',
  async start() {
    pair = await startBindPair({ zone: ZONE, primary: PRIMARY, withSecondary: false })
  },
  stop: async () => pair?.stop(),
  reset: () => nsupdate([]),
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
  unknownZone: { zone: 'other.test', message: /127\.0\.20\.31/ }
})
