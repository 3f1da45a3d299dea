// The demo's sandbox, shared by npm run demo, npm run screenshots and npm run local-action: a BIND 9
// primary and secondary for contoso100.com (updated with TSIG) and an OpenLDAP slapd serving LDAPS
// with a throwaway CA, all on loopback addresses, plus the action inputs that point at them.

import { startBindPair, type BindPair } from '../__tests__/helpers/bind.ts'
import { startSlapd, type Slapd } from '../__tests__/helpers/slapd.ts'
import { createTestPki } from '../__tests__/helpers/test-pki.ts'

export const DOMAIN = 'ldaps.contoso100.com'
export const ZONE = 'contoso100.com'

/** The loopback addresses of one sandbox; two sandboxes on different addresses can run side by side. */
export interface SandboxAddresses {
  readonly primary: string
  readonly secondary: string
  readonly ldaps: string
}

export const DEMO_ADDRESSES: SandboxAddresses = { primary: '127.0.12.1', secondary: '127.0.12.2', ldaps: '127.0.12.3' }

export interface DemoSandbox {
  readonly addresses: SandboxAddresses
  readonly bind: BindPair
  readonly slapd: Slapd
  /** The throwaway CA that issued slapd's certificate. */
  readonly caPem: string
  /** Inputs of an apply run against the sandbox (provider rfc2136, LDAPS on slapd). */
  readonly inputs: Readonly<Record<string, string>>
  /** Points DOMAIN at `ip` behind the action's back (a signed update at the primary). */
  changeBehindItsBack(ip: string): Promise<void>
  stop(): Promise<void>
}

/** Starts BIND and slapd; whatever did start is stopped again when the other fails. */
export async function startDemoSandbox(addresses: SandboxAddresses = DEMO_ADDRESSES): Promise<DemoSandbox> {
  const pki = createTestPki()
  const bind = await startBindPair({
    zone: ZONE,
    primary: addresses.primary,
    secondary: addresses.secondary,
    refreshSeconds: 2
  })
  let slapd: Slapd
  try {
    slapd = await startSlapd({
      host: addresses.ldaps,
      chainPem: pki.leaves.good.chainPem,
      keyPem: pki.leaves.good.leaf.keyPem
    })
  } catch (error) {
    await bind.stop()
    throw error
  }
  const key = bind.keys.sha256
  return {
    addresses,
    bind,
    slapd,
    caPem: pki.root.certPem,
    inputs: {
      domain: DOMAIN,
      ip: addresses.ldaps,
      provider: 'rfc2136',
      'rfc2136-server': addresses.primary,
      'rfc2136-tsig-key-name': key.name,
      'rfc2136-tsig-secret': key.secret,
      'rfc2136-tsig-algorithm': key.algorithm,
      resolver: addresses.primary,
      'propagation-timeout': '30',
      port: String(slapd.ldapsPort),
      'ca-certificate': pki.root.certPem
    },
    async changeBehindItsBack(ip) {
      await bind.nsupdate([`update delete ${DOMAIN}. A`, `update add ${DOMAIN}. 300 A ${ip}`])
    },
    async stop() {
      await slapd.stop()
      await bind.stop()
    }
  }
}
