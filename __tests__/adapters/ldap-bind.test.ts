// The authenticated bind over the judged connection, against a real OpenLDAP slapd with a
// simple-bind account (cn=svc-ldap, userPassword) and loglevel stats, over LDAPS and StartTLS.
// slapd's own log is the witness of what reached the server: a BIND line appears only when a
// bind request was received. Only 127.0.4.0/24 is used.

import assert from 'node:assert/strict'
import tls from 'node:tls'
import { after, before, describe, it } from 'node:test'
import { evaluateCertificate, type CertificateVerdict } from '../../src/core/certificate.ts'
import { describeBind } from '../../src/core/ldap-bind.ts'
import { probeTls, type ProbeResult } from '../../src/adapters/tls-probe.ts'
import { createTestPki, TEST_DOMAIN } from '../helpers/test-pki.ts'
import { BIND_DN, BIND_PASSWORD, startSlapd, SUFFIX, type Slapd } from '../helpers/slapd.ts'

const pki = createTestPki()
const ANCHORS = [pki.root.certPem]

function verdictOf(probe: ProbeResult): CertificateVerdict {
  return evaluateCertificate({
    served: probe.served,
    rootsPem: tls.rootCertificates,
    trustAnchorsPem: ANCHORS,
    peer: TEST_DOMAIN,
    now: new Date(),
    renewal: { kind: 'days', days: 30 },
    nodeVerification: probe.node
  })
}

/** slapd's stats lines for BIND requests (`conn=1001 op=1 BIND dn="…" method=128`). */
function bindLines(s: Slapd): string[] {
  return s
    .log()
    .split('\n')
    .filter(l => / BIND dn=/.test(l))
}

/** Waits until slapd has logged `count` BIND lines (its log is written asynchronously). */
async function waitForBindLines(s: Slapd, count: number): Promise<string[]> {
  for (let i = 0; i < 100 && bindLines(s).length < count; i++) await new Promise(r => setTimeout(r, 50))
  return bindLines(s)
}

describe('LDAP bind over the judged connection (real slapd)', () => {
  let good: Slapd
  let selfSigned: Slapd
  before(async () => {
    good = await startSlapd({
      chainPem: pki.leaves.good.chainPem,
      keyPem: pki.leaves.good.leaf.keyPem,
      bindAccount: true,
      statsLog: true
    })
    selfSigned = await startSlapd({
      chainPem: pki.leaves.selfSigned.chainPem,
      keyPem: pki.leaves.selfSigned.leaf.keyPem,
      host: '127.0.4.2',
      bindAccount: true,
      statsLog: true
    })
  })
  after(async () => {
    await good?.stop()
    await selfSigned?.stop()
  })

  const open = (s: Slapd, protocol: 'ldaps' | 'starttls') =>
    probeTls({
      protocol,
      connectTo: s.host,
      port: protocol === 'ldaps' ? s.ldapsPort : s.ldapPort,
      peer: TEST_DOMAIN,
      trustAnchorsPem: ANCHORS,
      holdForBind: true
    })

  for (const protocol of ['ldaps', 'starttls'] as const) {
    it(`${protocol}: a good bind and a base search of the suffix find one entry`, async () => {
      const before = bindLines(good).length
      const probe = await open(good, protocol)
      try {
        assert.ok(probe.channel, 'the probe holds the connection for the bind')
        const verdict = verdictOf(probe)
        assert.equal(verdict.trusted, true, verdict.findings.map(f => f.problem).join('\n'))
        const answer = await probe.channel.bindAndSearch(verdict, {
          dn: BIND_DN,
          password: BIND_PASSWORD,
          searchBase: SUFFIX,
          searchFilter: '(objectClass=*)'
        })
        assert.deepEqual(answer.bind, { resultCode: 0, diagnosticMessage: '' })
        assert.equal(answer.search?.answer.resultCode, 0)
        assert.equal(answer.search?.entries, 1)
      } finally {
        await probe.channel?.close()
      }
      const lines = await waitForBindLines(good, before + 1)
      // slapd logs the bind's security strength factor: ssf > 0 means it arrived over TLS.
      assert.match(lines.at(-1)!, new RegExp(`BIND dn="${BIND_DN}" mech=SIMPLE bind_ssf=0 ssf=[1-9]\\d*$`))
      assert.ok(!good.log().includes(BIND_PASSWORD))
    })

    it(`${protocol}: a wrong password is invalidCredentials`, async () => {
      const probe = await open(good, protocol)
      try {
        const answer = await probe.channel!.bindAndSearch(verdictOf(probe), {
          dn: BIND_DN,
          password: 'not-the-password',
          searchBase: SUFFIX,
          searchFilter: '(objectClass=*)'
        })
        assert.equal(answer.bind.resultCode, 49)
        assert.equal(answer.search, undefined, 'no search after a failed bind')
        assert.match(describeBind(BIND_DN, answer.bind).message, /failed with invalidCredentials/)
      } finally {
        await probe.channel?.close()
      }
    })

    it(`${protocol}: an unknown DN is invalidCredentials, and a search of a missing base is noSuchObject`, async () => {
      const probe = await open(good, protocol)
      try {
        const answer = await probe.channel!.bindAndSearch(verdictOf(probe), {
          dn: `cn=nobody,${SUFFIX}`,
          password: BIND_PASSWORD,
          searchBase: SUFFIX,
          searchFilter: '(objectClass=*)'
        })
        assert.equal(answer.bind.resultCode, 49)
      } finally {
        await probe.channel?.close()
      }
      const again = await open(good, protocol)
      try {
        const answer = await again.channel!.bindAndSearch(verdictOf(again), {
          dn: BIND_DN,
          password: BIND_PASSWORD,
          searchBase: `ou=missing,${SUFFIX}`,
          searchFilter: '(objectClass=*)'
        })
        assert.equal(answer.bind.resultCode, 0)
        assert.equal(answer.search?.answer.resultCode, 32)
        assert.equal(answer.search?.entries, 0)
      } finally {
        await again.channel?.close()
      }
    })

    it(`${protocol}: an untrusted verdict sends no credentials`, async () => {
      const before = bindLines(selfSigned).length
      const probe = await open(selfSigned, protocol)
      try {
        const verdict = verdictOf(probe)
        assert.equal(verdict.trusted, false)
        await assert.rejects(
          probe.channel!.bindAndSearch(verdict, {
            dn: BIND_DN,
            password: BIND_PASSWORD,
            searchBase: SUFFIX,
            searchFilter: '(objectClass=*)'
          }),
          /LDAP bind refused: the certificate verdict is not trusted/
        )
      } finally {
        await probe.channel?.close()
      }
      // The probe's own root DSE read reached slapd (so the log is live), but no BIND did.
      for (let i = 0; i < 100 && !/SRCH base=""/.test(selfSigned.log()); i++) await new Promise(r => setTimeout(r, 50))
      assert.match(selfSigned.log(), /SRCH base=""/)
      assert.equal(bindLines(selfSigned).length, before)
    })
  }

  it('refuses a trusted verdict about another certificate than the connection presented', async () => {
    const probe = await open(good, 'ldaps')
    const other = await open(selfSigned, 'ldaps')
    try {
      // A verdict that says "trusted" but judged the other server's leaf.
      const foreign = { trusted: true, served: verdictOf(other).served }
      await assert.rejects(
        probe.channel!.bindAndSearch(foreign, {
          dn: BIND_DN,
          password: BIND_PASSWORD,
          searchBase: SUFFIX,
          searchFilter: '(objectClass=*)'
        }),
        /another certificate/
      )
    } finally {
      await probe.channel?.close()
      await other.channel?.close()
    }
  })

  it('without holdForBind the probe keeps nothing open', async () => {
    const probe = await probeTls({
      protocol: 'ldaps',
      connectTo: good.host,
      port: good.ldapsPort,
      peer: TEST_DOMAIN,
      trustAnchorsPem: ANCHORS
    })
    assert.equal(probe.channel, undefined)
  })
})
