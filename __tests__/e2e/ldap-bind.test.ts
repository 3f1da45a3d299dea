// The bundled action (dist/index.js, run as a runner does) with ldap-bind-dn against real slapd
// servers holding a simple-bind account, over LDAPS and StartTLS: the bind's outputs, summary and
// report; a wrong password and an unknown DN named with their cause; an untrusted certificate that
// never gets the credentials (slapd's stats log shows no BIND); and the password nowhere but in
// the ::add-mask:: command that masks it. Needs `npm run build` first.

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { requireBundle } from '../helpers/stand-ins.ts'
import { probeOnlyInputs } from '../helpers/probe-inputs.ts'
import { runAction, type ActionRun } from '../helpers/run-action.ts'
import { BIND_DN, BIND_PASSWORD, startSlapd, SUFFIX, type Slapd } from '../helpers/slapd.ts'
import { createTestPki } from '../helpers/test-pki.ts'

const pki = createTestPki()
const WRONG_PASSWORD = 'Wr0ng-But-Still-Secret!'

function inputs(s: Slapd, protocol: 'ldaps' | 'starttls', extra: Record<string, string>): Record<string, string> {
  return probeOnlyInputs(pki.root.certPem, {
    'connect-to': s.host,
    protocol,
    port: String(protocol === 'ldaps' ? s.ldapsPort : s.ldapPort),
    'ldap-bind-dn': BIND_DN,
    'ldap-bind-password': BIND_PASSWORD,
    ...extra
  })
}

/** The first line of the failure annotation (::error::) in the log. */
function failure(stdout: string): string | undefined {
  const line = stdout.split('\n').find(l => l.startsWith('::error'))
  return line?.replace(/^::error[^:]*::/, '').split('%0A')[0]
}

/** The password appears only in the command that masks it, and that command comes first. */
function assertPasswordNowhere(run: ActionRun, password: string): void {
  const lines = run.stdout.split('\n')
  const masks = lines.filter(l => l === `::add-mask::${password}`)
  assert.equal(masks.length, 1, 'the password is masked once')
  assert.ok(
    lines.findIndex(l => l === `::add-mask::${password}`) <= lines.findIndex(l => !l.startsWith('::add-mask::')),
    'the password is masked before anything else is printed'
  )
  const rest = lines.filter(l => !l.startsWith('::add-mask::')).join('\n')
  for (const [where, text] of [
    ['log', rest],
    ['stderr', run.stderr],
    ['summary', run.summary],
    ['outputs', JSON.stringify(run.outputs)],
    ['report', JSON.stringify(run.report)]
  ] as const) {
    assert.ok(!text.includes(password), `the password appears in the ${where}`)
  }
}

function bindLines(s: Slapd): string[] {
  return s
    .log()
    .split('\n')
    .filter(l => / BIND dn=/.test(l))
}

describe('bundled action: ldap-bind-dn end to end', () => {
  before(requireBundle) // CI builds dist/ (and it is committed): a missing bundle fails, never skips
  let good: Slapd
  let selfSigned: Slapd
  before(async () => {
    const account = { bindAccount: true, statsLog: true }
    good = await startSlapd({ chainPem: pki.leaves.good.chainPem, keyPem: pki.leaves.good.leaf.keyPem, ...account })
    selfSigned = await startSlapd({
      chainPem: pki.leaves.selfSigned.chainPem,
      keyPem: pki.leaves.selfSigned.leaf.keyPem,
      host: '127.0.4.2',
      ...account
    })
  })
  after(async () => {
    await good?.stop()
    await selfSigned?.stop()
  })

  for (const protocol of ['ldaps', 'starttls'] as const) {
    it(`${protocol}: binds, searches the naming context and reports ok with the entry count`, async () => {
      const run = await runAction(inputs(good, protocol, {}))
      assert.equal(run.exitCode, 0, run.stdout)
      assert.equal(run.outputs['certificate-trusted'], 'true')
      assert.equal(run.outputs['ldap-bind'], 'ok')
      assert.equal(run.outputs['ldap-bind-result'], 'success')
      assert.equal(run.outputs['ldap-search-entries'], '1')
      assert.deepEqual(run.report.ldapBind, {
        state: 'ok',
        dn: BIND_DN,
        result: 'success',
        resultCode: 0,
        message: `the bind as "${BIND_DN}" succeeded`,
        // slapd has no defaultNamingContext: the first namingContexts is the base.
        search: { base: SUFFIX, filter: '(objectClass=*)', result: 'success', entries: 1 }
      })
      assert.match(
        run.summary,
        /#### LDAP bind\n\n✅ \*\*ok\*\* · cn=svc-ldap,dc=contoso100,dc=com · success · search of dc=contoso100,dc=com with \(objectClass=\\\*\): success, 1 entry/
      )
      assertPasswordNowhere(run, BIND_PASSWORD)
    })
  }

  it('ldaps: a wrong password fails the step, naming the DN and the cause', async () => {
    const run = await runAction(inputs(good, 'ldaps', { 'ldap-bind-password': WRONG_PASSWORD }))
    assert.equal(run.exitCode, 1, run.stdout)
    assert.equal(run.outputs['certificate-trusted'], 'true')
    assert.equal(run.outputs['ldap-bind'], 'failed')
    assert.equal(run.outputs['ldap-bind-result'], 'invalidCredentials')
    assert.equal(run.outputs['ldap-search-entries'], undefined)
    assert.match(
      failure(run.stdout) ?? '',
      /^ldaps\.contoso100\.com:\d+: the bind as "cn=svc-ldap,dc=contoso100,dc=com" failed with invalidCredentials: the bind name or the password is wrong/
    )
    assert.match(run.summary, /❌ \*\*failed\*\* · cn=svc-ldap,dc=contoso100,dc=com · invalidCredentials/)
    assertPasswordNowhere(run, WRONG_PASSWORD)
  })

  it('starttls: an unknown DN fails the step; in check mode it is drift', async () => {
    const dn = `cn=nobody,${SUFFIX}`
    const run = await runAction(
      inputs(good, 'starttls', { 'ldap-bind-dn': dn, mode: 'check', 'fail-on-drift': 'false' })
    )
    assert.equal(run.exitCode, 0, run.stdout)
    assert.equal(run.outputs['drift'], 'true')
    assert.equal(run.outputs['ldap-bind'], 'failed')
    assert.equal(run.outputs['ldap-bind-result'], 'invalidCredentials')
    const finding = run.report.findings.find((f: { title: string }) => f.title === 'LDAP bind failed')
    assert.equal(finding.drift, true)
    assert.equal(finding.severity, 'warning', 'without fail-on-drift, drift is a warning')
    assert.match(finding.message, /the bind as "cn=nobody,dc=contoso100,dc=com" failed with invalidCredentials/)
    assertPasswordNowhere(run, BIND_PASSWORD)
  })

  for (const protocol of ['ldaps', 'starttls'] as const) {
    it(`${protocol}: an untrusted certificate gets no credentials: the bind is skipped`, async () => {
      const before = bindLines(selfSigned).length
      const run = await runAction(inputs(selfSigned, protocol, {}))
      assert.equal(run.exitCode, 1, run.stdout)
      assert.equal(run.outputs['certificate-trusted'], 'false')
      assert.equal(run.outputs['ldap-bind'], 'skipped')
      assert.equal(run.outputs['ldap-bind-result'], undefined)
      assert.match(
        run.report.ldapBind.message,
        /skipped: the certificate is not trusted, so the credentials were not sent/
      )
      assert.match(
        run.summary,
        /⚠️ \*\*skipped\*\* · cn=svc-ldap,dc=contoso100,dc=com\n\nthe bind as "cn=svc-ldap,dc=contoso100,dc=com" was skipped: the certificate is not trusted/
      )
      // The action did talk LDAP to this slapd (its root DSE read), but sent no bind.
      for (let i = 0; i < 100 && !/SRCH base=""/.test(selfSigned.log()); i++) await new Promise(r => setTimeout(r, 50))
      assert.match(selfSigned.log(), /SRCH base=""/)
      assert.equal(bindLines(selfSigned).length, before, 'slapd received a BIND')
      assertPasswordNowhere(run, BIND_PASSWORD)
    })
  }

  it('without ldap-bind-dn nothing is bound and no ldap-bind output is set', async () => {
    const before = bindLines(good).length
    const run = await runAction(inputs(good, 'ldaps', { 'ldap-bind-dn': '', 'ldap-bind-password': '' }))
    assert.equal(run.exitCode, 0, run.stdout)
    assert.equal(run.outputs['ldap-bind'], undefined)
    assert.equal(run.report.ldapBind, undefined)
    assert.doesNotMatch(run.summary, /LDAP bind/)
    assert.equal(bindLines(good).length, before)
  })

  it('an invalid bind input fails before any connection, without printing the password', async () => {
    const run = await runAction(
      inputs(good, 'ldaps', { 'ldap-bind-dn': 'svc-ldap', 'ldap-search-filter': '(objectClass=*' })
    )
    assert.equal(run.exitCode, 1)
    assert.match(run.stdout, /input "ldap-bind-dn": must be a distinguished name/)
    assert.match(run.stdout, /input "ldap-search-filter": must be an LDAP search filter \(RFC 4515\)/)
    assert.equal(run.report.certificate, undefined)
    assertPasswordNowhere(run, BIND_PASSWORD)
  })
})
