// Outside text stays text, and no secret leaves the action: the bundled action (npm run build
// first) run as a runner would, against real servers on 127.0.9.x that hand it hostile data:
//
//  - a Node TLS server with a certificate (and issuing CA) whose subject, issuer and SANs hold
//    workflow commands after \n and a lone \r, `%0A`, HTML, a Markdown link, an @mention and
//    backticks, and that answers the LDAP root DSE search with such values. It is a minimal LDAP
//    responder written here rather than slapd: slapd keeps namingContexts to the DNs of its
//    databases (normalised, so no raw line break), and the values under test are exactly the ones a
//    normalising server would never send. The BER it writes is the RFC 4511 SearchResultEntry and
//    SearchResultDone that ldapts (the real client inside the action) parses;
//  - a real BIND 9 whose zone has such NS, CNAME and SOA names;
//  - the Cloudflare API stand-in answering 403 with an error that echoes the token;
//  - the GitHub REST stand-in, which receives the drift issue.
//  - on 127.0.32.10-11, the same LDAP responder sending a 3 MB root DSE value or a 3 MB bind
//    diagnostic message (read up to a bound); on 127.0.30.1-3, the ARM/Entra stand-ins serving a
//    managed domain, NSG rules and health alerts whose names hold a mid-line `##[` directive, and
//    20,000 health alerts.
//
// Asserted: no line of stdout (as the runner splits it: \n, \r\n and a lone \r, leading white
// space trimmed) starts a workflow command the action did not mean to emit, and none holds `##[`
// anywhere (the runner honours that legacy form mid-line); the job summary,
// the issue body and the `report` output hold the hostile text only escaped; no secret anywhere.

import { after, before, beforeEach, describe, it } from 'node:test'
import { requireBundle } from '../helpers/stand-ins.ts'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { generateKeyPairSync } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import tls from 'node:tls'
import forge from 'node-forge'
import { runAction, type ActionRun } from '../helpers/run-action.ts'
import { startGitHubApiServer, type GitHubApiServer } from '../helpers/github-api-server.ts'
import { startCloudflareServer, type CloudflareServer } from '../helpers/cloudflare-server.ts'
import { createTsigKey, ensureLoopbackAddress, NAMED, probeSoa } from '../helpers/bind.ts'
import { probeOnlyInputs } from '../helpers/probe-inputs.ts'
import {
  CLIENT_SECRET,
  SECRET_CLIENT,
  SUBSCRIPTION,
  TENANT,
  startAzureWorld,
  type AzureWorld
} from '../helpers/azure-world.ts'
import { createEntraDsArm, nsgIdOf, subnetIdOf, type ManagedDomainFixture } from '../helpers/entra-ds-arm.ts'

const DOMAIN = 'ldaps.contoso100.com'
const REPOSITORY = 'octo-org/ldaps-infra'
const GITHUB_TOKEN = 'ghs_outsideTextWriteToken000000000000000'
const TLS_HOST = '127.0.9.10'
const DNS_HOST = '127.0.9.53'
const API_HOST = '127.0.9.20'
const CF_HOST = '127.0.9.31'

// The payloads: a command after \n, one after a lone \r, a runner log directive, and Markdown.
const NL_COMMAND = '\n::error title=INJECTED::x'
const CR_COMMAND = '\r::stop-commands::INJECTED'
const DIRECTIVE = '\n##[group]INJECTED'
/** A legacy log directive mid-line: the runner honours `##[name]` anywhere in a line. */
const MIDLINE = ' x##[error]INJECTED'
const MARKDOWN = '<img src=https://e/p.png> [x](https://e) @octocat `tick` %0A #1'

/** Lines as the runner reads them, leading white space trimmed (it trims before matching). */
function runnerLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).map(l => l.replace(/^\s+/, ''))
}

/**
 * Every command line is one @actions/core wrote on purpose: a known command whose properties and
 * data it escaped; none is one of the injected ones.
 */
function assertNoInjectedCommand(run: ActionRun): void {
  for (const line of runnerLines(run.stdout)) {
    assert.ok(!line.includes('##['), `a log directive in: ${line}`)
    if (!line.startsWith('::')) continue
    assert.match(
      line,
      /^::(error|warning|notice|debug|group|endgroup|add-mask)( title=[^:]*)?::/,
      `unexpected: ${line}`
    )
    assert.doesNotMatch(line, /^::error title=INJECTED|^::stop-commands|^##\[/, `injected: ${line}`)
  }
}

/** stdout without the ::add-mask:: commands, which hand the secrets to the runner to mask. */
function printedLog(run: ActionRun): string {
  return run.stdout
    .split('\n')
    .filter(l => !l.startsWith('::add-mask::'))
    .join('\n')
}

/**
 * The hostile Markdown appears only escaped: outside code spans (which show their content
 * literally, and which GitHub never reads mentions or references in) no raw tag, link, mention,
 * reference or backtick from it, and no line that starts a command.
 */
function assertEscapedMarkdown(markdown: string, what: string): void {
  // CommonMark code spans: a run of backticks up to the next run of the same length.
  const prose = markdown.replace(/(?<!\\)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '')
  assert.ok(!prose.includes('<img'), `${what}: raw <img`)
  assert.ok(!prose.includes('[x](https://e)'), `${what}: raw link`)
  assert.ok(!/@octocat/.test(prose), `${what}: live @mention`)
  assert.ok(!/(?<!\\)`/.test(prose), `${what}: a backtick from outside opens a code span`)
  assert.ok(!/(^|[^&])#1\b/.test(prose), `${what}: live #1 reference`)
  assert.ok(!/^\s*(::|##\[)/m.test(markdown), `${what}: a line starts a command`)
}

// --- certificates with hostile names ------------------------------------------------------------

interface Cert {
  readonly certPem: string
  readonly keyPem: string
  readonly key: forge.pki.rsa.PrivateKey
  readonly cert: forge.pki.Certificate
}

/** UTF8String attributes, so the line breaks and punctuation are carried as they are. */
function makeCert(options: { cn: string; org: string; issuer?: Cert; sans?: readonly string[] }): Cert {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
  const key = forge.pki.privateKeyFromPem(keyPem)
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString())
  cert.serialNumber = `0${Math.floor(Math.random() * 1e9).toString(16)}`
  cert.validity.notBefore = new Date(Date.now() - 86_400_000)
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000)
  const utf8 = forge.asn1.Type.UTF8
  const subject = [
    { name: 'organizationName', value: forge.util.encodeUtf8(options.org), valueTagClass: utf8 },
    { name: 'commonName', value: forge.util.encodeUtf8(options.cn), valueTagClass: utf8 }
  ] as unknown as forge.pki.CertificateField[]
  cert.setSubject(subject)
  cert.setIssuer(options.issuer ? options.issuer.cert.subject.attributes : subject)
  const extensions: object[] = [{ name: 'subjectKeyIdentifier' }]
  if (options.issuer === undefined) {
    extensions.push({ name: 'basicConstraints', cA: true, critical: true })
    extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true })
  } else {
    extensions.push({
      name: 'authorityKeyIdentifier',
      keyIdentifier: options.issuer.cert.generateSubjectKeyIdentifier().getBytes()
    })
    extensions.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true })
    extensions.push({ name: 'extKeyUsage', serverAuth: true })
    extensions.push({ name: 'subjectAltName', altNames: (options.sans ?? []).map(value => ({ type: 2, value })) })
  }
  cert.setExtensions(extensions)
  cert.sign(options.issuer?.key ?? key, forge.md.sha256.create())
  return { certPem: forge.pki.certificateToPem(cert), keyPem, key, cert }
}

const ca = makeCert({ cn: `Hostile CA${NL_COMMAND} ${MARKDOWN}`, org: `CA Org${CR_COMMAND}` })
const leaf = makeCert({
  cn: `ldaps${NL_COMMAND}${CR_COMMAND}`,
  org: `Org ${MARKDOWN}${DIRECTIVE}`,
  issuer: ca,
  sans: [`san${NL_COMMAND}.example`, '<img src=x>.[x](https://e).example', '@octocat.`tick`.example']
})

// --- a minimal LDAP-over-TLS responder -----------------------------------------------------------

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content)
  const n = body.length
  const length =
    n < 0x80
      ? Buffer.from([n])
      : n < 0x100
        ? Buffer.from([0x81, n])
        : n < 0x10000
          ? Buffer.from([0x82, n >> 8, n & 0xff])
          : Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff])
  return Buffer.concat([Buffer.from([tag]), length, body])
}
const octets = (s: string): Buffer => tlv(0x04, Buffer.from(s, 'utf8'))
const integer = (n: number): Buffer => tlv(0x02, n < 0x80 ? Buffer.from([n]) : Buffer.from([n >> 8, n & 0xff]))

/** Reads one BER element at `offset`; undefined until it is complete. */
function element(buf: Buffer, offset: number): { tag: number; start: number; end: number } | undefined {
  if (buf.length < offset + 2) return undefined
  let length = buf[offset + 1]!
  let start = offset + 2
  if (length & 0x80) {
    const bytes = length & 0x7f
    if (buf.length < start + bytes) return undefined
    length = 0
    for (let i = 0; i < bytes; i++) length = length * 256 + buf[start + i]!
    start += bytes
  }
  if (buf.length < start + length) return undefined
  return { tag: buf[offset]!, start, end: start + length }
}

type RootDseAnswer = (
  | { readonly kind: 'entry'; readonly attributes: Record<string, readonly string[]> }
  | { readonly kind: 'error'; readonly resultCode: number; readonly message: string }
) & {
  /** A BindRequest is answered with invalidCredentials (49) and this diagnostic message. */
  readonly bindMessage?: string
}

async function startLdapsResponder(
  answer: RootDseAnswer,
  host: string = TLS_HOST,
  served: Cert = leaf
): Promise<{ port: number; close(): Promise<void> }> {
  const server = tls.createServer({ cert: served.certPem + ca.certPem, key: served.keyPem })
  server.on('secureConnection', socket => {
    let buffered = Buffer.alloc(0)
    socket.on('error', () => undefined)
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk])
      for (;;) {
        const message = element(buffered, 0)
        if (message === undefined) return
        const id = element(buffered, message.start)!
        const op = element(buffered, id.end)!
        const messageId = buffered.subarray(id.start, id.end).reduce((n, b) => n * 256 + b, 0)
        buffered = buffered.subarray(message.end)
        if (op.tag === 0x42) return void socket.end() // UnbindRequest
        if (op.tag === 0x60 && answer.bindMessage !== undefined) {
          // BindResponse: invalidCredentials with the (huge) diagnostic message.
          socket.write(
            tlv(
              0x30,
              integer(messageId),
              tlv(0x61, tlv(0x0a, Buffer.from([49])), octets(''), octets(answer.bindMessage))
            )
          )
          continue
        }
        if (op.tag !== 0x63) continue // only SearchRequest is answered
        if (answer.kind === 'entry') {
          const attributes = Object.entries(answer.attributes).map(([type, values]) =>
            tlv(0x30, octets(type), tlv(0x31, ...values.map(octets)))
          )
          socket.write(tlv(0x30, integer(messageId), tlv(0x64, octets(''), tlv(0x30, ...attributes))))
          socket.write(tlv(0x30, integer(messageId), tlv(0x65, tlv(0x0a, Buffer.from([0])), octets(''), octets(''))))
        } else {
          socket.write(
            tlv(
              0x30,
              integer(messageId),
              tlv(0x65, tlv(0x0a, Buffer.from([answer.resultCode])), octets(''), octets(answer.message))
            )
          )
        }
      }
    })
  })
  await new Promise<void>(resolve => server.listen(0, host, resolve))
  const { port } = server.address() as { port: number }
  return {
    port,
    close: () => new Promise<void>(resolve => server.close(() => resolve()))
  }
}

// --- a BIND zone with hostile names -----------------------------------------------------------------

const tsig = createTsigKey('outside-text-key')

interface Named {
  stop(): Promise<void>
}

/**
 * named on DNS_HOST port 53 (discovered nameservers are asked on 53), with a zone whose NS name,
 * SOA MNAME/RNAME and the CNAME at DOMAIN hold line breaks (\010 in the zone file), commands
 * and Markdown. check-names and check-integrity are off, as they are for a zone that takes any
 * name from its users; the names are valid DNS, only not host names.
 */
async function startHostileBind(): Promise<Named> {
  await ensureLoopbackAddress(DNS_HOST)
  const dir = mkdtempSync(join(tmpdir(), 'outside-text-bind-'))
  const ns = 'ns\\010::error\\032title=INJECTED::x.ns##[error]INJECTED'
  writeFileSync(
    join(dir, 'zone.db'),
    [
      '$ORIGIN contoso100.com.',
      '$TTL 60',
      `@ IN SOA mname\\010::error\\032title=INJECTED::soa.contoso100.com. rname\\013::stop-commands::INJECTED.contoso100.com. 1 60 60 1209600 5`,
      `@ IN NS ${ns}.contoso100.com.`,
      `${ns} IN A ${DNS_HOST}`,
      'ldaps IN CNAME a##[group]INJECTED.target\\010::error\\032title=INJECTED::x.\\<img\\032src=x\\>.[x]\\(https://e\\).\\@octocat.`tick`.example.',
      ''
    ].join('\n')
  )
  writeFileSync(
    join(dir, 'named.conf'),
    `options {
  directory "${dir}";
  pid-file "${dir}/named.pid";
  session-keyfile "${dir}/session.key";
  managed-keys-directory "${dir}";
  listen-on port 53 { ${DNS_HOST}; };
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
  notify no;
  minimal-responses no;
};
controls { };
key "${tsig.name}" { algorithm ${tsig.algorithm}; secret "${tsig.secret}"; };
zone "contoso100.com" {
  type primary;
  file "${dir}/zone.db";
  check-names ignore;
  check-integrity no;
  allow-update { key "${tsig.name}"; };
};
`
  )
  let log = ''
  const child: ChildProcess = spawn(NAMED, ['-g', '-n', '1', '-c', join(dir, 'named.conf')], {
    stdio: ['ignore', 'ignore', 'pipe']
  })
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()))
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }
    rmSync(dir, { recursive: true, force: true })
  }
  const deadline = Date.now() + 15_000
  for (;;) {
    if (child.exitCode !== null) {
      await stop()
      throw new Error(`named exited:\n${log}`)
    }
    if (
      await probeSoa(DNS_HOST, 53, 'contoso100.com', 300).then(
        () => true,
        () => false
      )
    )
      break
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`named did not serve the zone in time (is port 53 on ${DNS_HOST} taken?):\n${log}`)
    }
    await new Promise(r => setTimeout(r, 100))
  }
  return { stop }
}

// --- the tests ------------------------------------------------------------------------------------

describe('outside text and secrets through the bundled action', () => {
  before(requireBundle) // CI builds dist/ (and it is committed): a missing bundle fails, never skips
  let api: GitHubApiServer
  before(async () => {
    api = await startGitHubApiServer({
      host: API_HOST,
      repository: REPOSITORY,
      tokens: { [GITHUB_TOKEN]: { login: 'github-actions[bot]', issues: 'write' } }
    })
  })
  after(() => api?.close())

  const env = (extra: Record<string, string> = {}) => ({ GITHUB_API_URL: api.url, ...extra })
  const issueBodies = () => api.issues.map(i => i.body ?? '').join('\n')

  it('a certificate and a root DSE full of commands and Markdown stay text', async () => {
    const ldaps = await startLdapsResponder({
      kind: 'entry',
      attributes: {
        namingContexts: [`dc=x${NL_COMMAND}${CR_COMMAND}`, MARKDOWN],
        supportedLDAPVersion: ['3', DIRECTIVE]
      }
    })
    try {
      const inputs = probeOnlyInputs(ca.certPem, {
        mode: 'check',
        'connect-to': TLS_HOST,
        port: String(ldaps.port),
        'drift-issue': 'true',
        'github-token': GITHUB_TOKEN
      })
      const run = await runAction(inputs, { env: env() })
      assertNoInjectedCommand(run)
      // The certificate is not valid for the name (its SANs are the hostile ones): drift.
      assert.equal(run.report.certificate.trusted, false, run.stdout)
      assert.deepEqual(run.report.certificate.ldap.namingContexts, [`dc=x${NL_COMMAND}${CR_COMMAND}`, MARKDOWN])
      // The action writes DNs RFC 4514-style, so the subject's line breaks are already \0A there.
      assert.ok(
        run.report.certificate.leaf.subject.includes('CN=ldaps\\0A::error title=INJECTED::x\\0D'),
        run.report.certificate.leaf.subject
      )
      assert.ok(
        run.report.findings.some((f: { message: string }) => f.message.includes('@octocat.`tick`.example')),
        'the finding names the SANs'
      )
      // The scalar outputs show the control characters escaped.
      assert.ok(!/[\r\n]/.test(run.outputs['certificate-subject'] ?? ''), run.outputs['certificate-subject'])
      assert.match(run.outputs['certificate-subject'] ?? '', /CN=ldaps\\0A::error title=INJECTED::x/)

      assertEscapedMarkdown(run.summary, 'summary')
      assert.ok(
        run.summary.includes(
          '&lt;img src=https://e/p.png\\\\&gt; \\[x\\](https://e) @&#8203;octocat \\`tick\\` %0A #&#8203;1'
        ),
        run.summary
      )
      assert.ok(run.summary.includes('`dc=x\\n::error title=INJECTED::x\\x0d::stop-commands::INJECTED`'), run.summary)
      assert.equal(api.issues.length, 1, 'the drift issue was opened')
      assertEscapedMarkdown(issueBodies(), 'issue body')
      assert.ok(issueBodies().includes('@&#8203;octocat'))
      for (const text of [printedLog(run), run.summary, issueBodies(), ...Object.values(run.outputs)]) {
        assert.ok(!text.includes(GITHUB_TOKEN), 'the token reaches no sink')
      }

      // Without GITHUB_STEP_SUMMARY the summary is printed: still no command from the root DSE.
      const printed = await runAction(inputs, { env: env({ GITHUB_STEP_SUMMARY: '' }) })
      assertNoInjectedCommand(printed)
      assert.ok(printed.stdout.includes('LDAP root DSE: namingContexts'), printed.stdout)
    } finally {
      await ldaps.close()
    }
  })

  it('a root DSE with a 3 MB value is read up to a bound: not in the report, summary or log', async () => {
    // On 127.0.32.10 (this file's other servers keep their addresses).
    const huge = `dc=${'x'.repeat(3_000_000)}`
    const ldaps = await startLdapsResponder(
      { kind: 'entry', attributes: { namingContexts: [huge], supportedLDAPVersion: ['3'] } },
      '127.0.32.10'
    )
    try {
      const run = await runAction(
        probeOnlyInputs(ca.certPem, { mode: 'check', 'connect-to': '127.0.32.10', port: String(ldaps.port) }),
        { env: env() }
      )
      assert.equal(run.report.certificate.ldap, undefined)
      assert.match(
        JSON.stringify(run.report.findings),
        /the LDAP root DSE answer is larger than 65536 bytes; the probe stopped reading it/
      )
      assert.ok(run.outputs['report']!.length < 100_000, `report output ${run.outputs['report']!.length} characters`)
      assert.ok(run.summary.length < 100_000, `summary ${run.summary.length} characters`)
      assert.ok(run.stdout.length < 200_000, `log ${run.stdout.length} characters`)
    } finally {
      await ldaps.close()
    }
  })

  it('a bind response with a 3 MB diagnostic message is read up to a bound', async () => {
    // A certificate valid for the name, so the probe trusts it and binds (on 127.0.32.11).
    const trusted = makeCert({ cn: DOMAIN, org: 'Contoso', issuer: ca, sans: [DOMAIN] })
    const ldaps = await startLdapsResponder(
      {
        kind: 'entry',
        attributes: { namingContexts: ['dc=contoso100,dc=com'], supportedLDAPVersion: ['3'] },
        bindMessage: `80090308: LdapErr: DSID-0C09050F ${'y'.repeat(3_000_000)}`
      },
      '127.0.32.11',
      trusted
    )
    try {
      const run = await runAction(
        probeOnlyInputs(ca.certPem, {
          'connect-to': '127.0.32.11',
          port: String(ldaps.port),
          'ldap-bind-dn': 'CN=svc-ldap,DC=contoso100,DC=com',
          'ldap-bind-password': 'Bind-Password-0123'
        }),
        { env: env() }
      )
      assert.equal(run.report.certificate.trusted, true, run.stdout.slice(0, 3000))
      assert.match(
        run.report.ldapBind?.message ?? '',
        /the server's answer is larger than 65536 bytes; the probe stopped reading it/,
        JSON.stringify(run.report.ldapBind)
      )
      assert.ok(run.outputs['report']!.length < 100_000, `report output ${run.outputs['report']!.length} characters`)
      assert.ok(run.summary.length < 100_000, `summary ${run.summary.length} characters`)
    } finally {
      await ldaps.close()
    }
  })

  it('an LDAP error message with commands and Markdown stays text', async () => {
    const message = `no such thing${NL_COMMAND}${CR_COMMAND}${MIDLINE} ${MARKDOWN}`
    const ldaps = await startLdapsResponder({ kind: 'error', resultCode: 1, message })
    try {
      const run = await runAction(probeOnlyInputs(ca.certPem, { 'connect-to': TLS_HOST, port: String(ldaps.port) }), {
        env: env()
      })
      assert.equal(run.exitCode, 1)
      assertNoInjectedCommand(run)
      assert.ok(run.stdout.includes('x##⁝[error]INJECTED'), 'the LDAP message reached the log, broken')
      const ldapFinding = run.report.findings.find((f: { title: string }) => f.title === 'No LDAP answer behind TLS')
      assert.ok(ldapFinding?.message.includes('no such thing'), JSON.stringify(run.report.findings))
      assertEscapedMarkdown(run.summary, 'summary')
      assert.ok(
        run.summary.includes('no such thing<br>::error title=INJECTED::x<br>::stop-commands::INJECTED'),
        run.summary
      )
    } finally {
      await ldaps.close()
    }
  })

  it('NS, SOA and CNAME names with commands and Markdown stay text (real BIND)', async () => {
    const named = await startHostileBind()
    try {
      const run = await runAction(
        {
          domain: DOMAIN,
          ip: '192.0.2.10',
          provider: 'rfc2136',
          mode: 'check',
          'rfc2136-server': DNS_HOST,
          'rfc2136-tsig-key-name': tsig.name,
          'rfc2136-tsig-secret': tsig.secret,
          resolver: DNS_HOST,
          'propagation-timeout': '5',
          'verify-certificate': 'false',
          'drift-issue': 'true',
          'github-token': GITHUB_TOKEN
        },
        { env: env() }
      )
      assertNoInjectedCommand(run)
      // The log did show the hostile names (escaped), in the Plan line and the nameserver table.
      assert.match(run.stdout, /Plan: conflict/, run.stdout)
      assert.ok(run.stdout.includes('⁝::error title=injected::x'), run.stdout)
      assert.ok(run.stdout.includes('ns##⁝[error]injected'), 'the NS name reached the log, broken')
      assert.ok(run.stdout.includes('a##⁝[group]injected'), 'the CNAME reached the log, broken')
      assert.ok(
        run.report.findings.some((f: { title: string }) => f.title === 'CNAME at the name'),
        JSON.stringify(run.report.findings)
      )
      assert.ok(run.report.propagation.nameservers.some((n: { nameserver: string }) => n.nameserver.includes('\n')))
      assertEscapedMarkdown(run.summary, 'summary')
      assert.ok(run.summary.includes('\\<img src=x\\>') || run.summary.includes('&lt;img'), run.summary)
      assertEscapedMarkdown(issueBodies(), 'issue body')
      for (const text of [printedLog(run), run.summary, issueBodies(), ...Object.values(run.outputs)]) {
        assert.ok(!text.includes(tsig.secret), 'the TSIG secret reaches no sink')
        assert.ok(!text.includes(GITHUB_TOKEN), 'the token reaches no sink')
      }
    } finally {
      await named.stop()
    }
  })

  describe('a provider error that echoes the credential', () => {
    let cf: CloudflareServer
    before(async () => {
      cf = await startCloudflareServer(CF_HOST)
    })
    after(() => cf?.close())

    it('is redacted in the finding, annotations, summary, report, every output and the issue', async () => {
      // With the five characters encodeURIComponent leaves and strict encoders (Python, Go, .NET) encode.
      const token = "cfE2eEchoedToken_0123456789abcdef!'(ABCDEF)*-x"
      const strict = 'cfE2eEchoedToken_0123456789abcdef%21%27%28ABCDEF%29%2A-x'
      const zone = cf.addZone('contoso100.com')
      cf.tokens.set(token, { zones: [zone.id], edit: true })
      const echoes = [
        `Bearer ${token}`,
        `token=${encodeURIComponent(token)}`,
        `strict=${strict}`,
        `basic ${Buffer.from(`user:${token}`).toString('base64')}`,
        JSON.stringify({ authorization: `Bearer ${token}` })
      ]
      cf.faults.push({ status: 403, message: `Authentication error: ${echoes.join(' ')} ${MARKDOWN}${NL_COMMAND}` })
      const run = await runAction(
        {
          domain: DOMAIN,
          ip: '192.0.2.10',
          provider: 'cloudflare',
          'cloudflare-api-token': token,
          mode: 'check',
          'wait-for-propagation': 'false',
          'verify-certificate': 'false',
          'drift-issue': 'true',
          'github-token': GITHUB_TOKEN
        },
        { env: env({ CLOUDFLARE_BASE_URL: cf.baseUrl }) }
      )
      assertNoInjectedCommand(run)
      const finding = run.report.findings.find((f: { step: string }) => f.step === 'dns-plan')
      assert.ok(finding, JSON.stringify(run.report.findings))
      assert.match(finding.message, /Authentication error: Bearer \*\*\* token=\*\*\* strict=\*\*\* basic /)
      const base64 = Buffer.from(`user:${token}`).toString('base64')
      const sinks = {
        stdout: printedLog(run),
        stderr: run.stderr,
        summary: run.summary,
        issue: api.issues.map(i => `${i.title}\n${i.body}`).join('\n'),
        ...run.outputs
      }
      assert.ok(sinks.issue.includes('Authentication error'), 'the issue was written with the error')
      for (const [sink, text] of Object.entries(sinks)) {
        assert.ok(!text.includes(token), `${sink} holds the token`)
        assert.ok(!text.includes(strict), `${sink} holds the token, strictly percent-encoded`)
        assert.ok(!text.includes(base64.slice(8, 40)), `${sink} holds the token in base64`)
      }
      assertEscapedMarkdown(run.summary, 'summary')
    })
  })

  it('an unwritable GITHUB_OUTPUT ends in one ::error::, exit 1, no stack trace; the summary is still written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outside-text-output-'))
    try {
      // A directory: writing to it fails even for root (which ignores file modes).
      const inputs = {
        domain: DOMAIN,
        ip: '192.0.2.10',
        provider: 'none',
        'wait-for-propagation': 'false',
        'verify-certificate': 'false'
      }
      const run = await runAction(inputs, { env: { GITHUB_OUTPUT: dir } })
      assert.equal(run.exitCode, 1)
      const errors = runnerLines(run.stdout).filter(l => l.startsWith('::error'))
      assert.equal(errors.length, 1, run.stdout)
      assert.match(errors[0]!, /^::error title=[^:]*::Could not write the step outputs \(GITHUB_OUTPUT\): EISDIR/)
      assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace')
      assert.match(run.summary, /### ✅/, 'the summary was still written')

      // In a debug run the stack goes to the debug log, as one escaped ::debug:: command.
      const debug = await runAction(inputs, { env: { GITHUB_OUTPUT: dir, RUNNER_DEBUG: '1' } })
      assert.equal(debug.exitCode, 1)
      assert.ok(
        runnerLines(debug.stdout).some(l => /^::debug::Error: EISDIR.*%0A +at /.test(l)),
        debug.stdout
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  describe('ARM text (resource ids, NSG rule names, health alerts) with log directives', () => {
    // Its own ARM/Entra stand-ins, on 127.0.30.1-3.
    const entraArm = createEntraDsArm()
    let world: AzureWorld
    const SUBNET = subnetIdOf(SUBSCRIPTION, 'rg-net', 'vnet', 'subnet##[group]INJECTED')
    const NSG = nsgIdOf(SUBSCRIPTION, 'rg-net', 'nsg##[error]INJECTED')
    before(async () => {
      world = await startAzureWorld(
        { arm: '127.0.30.1', entra: '127.0.30.2', github: '127.0.30.3' },
        { extensions: [entraArm.extension] }
      )
      entraArm.url = world.arm.url
    })
    after(() => world?.close())

    function managedDomain(over: Partial<ManagedDomainFixture> = {}): ManagedDomainFixture {
      return {
        subscription: SUBSCRIPTION,
        resourceGroup: 'rg-aadds',
        name: `contoso100.com${MIDLINE}`,
        domainName: 'contoso100.com',
        ldaps: 'Enabled',
        externalAccess: 'Enabled',
        certificateThumbprint: 'AB'.repeat(20),
        certificateNotAfter: new Date(Date.now() + 300 * 86_400_000).toISOString(),
        replicaSets: [
          {
            location: `West US${MIDLINE}`,
            subnetId: SUBNET,
            externalAccessIpAddress: '20.30.40.50',
            healthAlerts: [
              { id: `AADDS104${MIDLINE}`, name: `Network error${MIDLINE}`, resolutionUri: `https://aka.ms/x${MIDLINE}` }
            ]
          }
        ],
        ...over
      }
    }
    function entraInputs(): Record<string, string> {
      return {
        provider: 'azure',
        mode: 'check',
        'entra-domain-name': 'contoso100.com',
        'azure-subscription-id': SUBSCRIPTION,
        'azure-resource-group': 'rg-dns',
        'azure-client-id': SECRET_CLIENT,
        'azure-tenant-id': TENANT,
        'azure-client-secret': CLIENT_SECRET,
        'azure-resource-manager-endpoint': world.arm.url,
        'wait-for-propagation': 'false',
        'verify-certificate': 'false'
      }
    }
    const armEnv = () => ({ NODE_EXTRA_CA_CERTS: world.pki.caFile, AZURE_AUTHORITY_HOST: world.entra.url })

    beforeEach(() => {
      entraArm.reset()
      world.arm.requests.length = 0
      world.arm.addZone(SUBSCRIPTION, 'rg-dns', 'contoso100.com')
      entraArm.addSubnet(SUBNET, '10.0.0.0/24', NSG)
      entraArm.addNsg(NSG, [
        { name: `AllowLDAPS${MIDLINE}`, priority: 401, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: 'Internet', destinationPortRange: '636' }
      ]) // prettier-ignore
    })

    it('20,000 health alerts: 20 findings and one counting the rest; summary and report stay small', async () => {
      const alerts = Array.from({ length: 20_000 }, (_, i) => ({
        id: `AADDS${100 + (i % 900)}`,
        name: `Alert ${i}${MIDLINE}`,
        resolutionUri: `https://aka.ms/aadds/${i}`
      }))
      const [replicaSet] = managedDomain().replicaSets
      entraArm.addManagedDomain(managedDomain({ replicaSets: [{ ...replicaSet!, healthAlerts: alerts }] }))
      const run = await runAction(entraInputs(), { env: armEnv() })
      assertNoInjectedCommand(run)
      const alertFindings = run.report.findings.filter((f: { title: string }) =>
        f.title.startsWith('Managed domain health alert')
      )
      assert.equal(alertFindings.length, 20, run.stdout.slice(0, 2000))
      assert.ok(
        run.report.findings.some((f: { message: string }) =>
          /reports 19980 more health alert\(s\) than the 20 listed \(20000 in all\)/.test(f.message)
        )
      )
      assert.ok(run.outputs['report']!.length < 1_000_000, `report output ${run.outputs['report']!.length}`)
      assert.ok(run.summary.length < 100_000, `summary ${run.summary.length} characters`)
    })

    it('never form a log directive in any log line', async () => {
      entraArm.addManagedDomain(managedDomain())
      const run = await runAction(entraInputs(), { env: armEnv() })
      assertNoInjectedCommand(run)
      // The hostile text did reach the log (broken): the rule name, the resource name, the alert.
      assert.ok(run.stdout.includes(`AllowLDAPS x##⁝[error]INJECTED`), run.stdout)
      assert.ok(run.stdout.includes(`contoso100.com x##⁝[error]INJECTED`), run.stdout)
      assert.ok(run.stdout.includes(`AADDS104 x##⁝[error]INJECTED`), run.stdout)
      assert.equal(run.outputs['nsg-ldaps-exposure'], 'open', run.stdout)
    })
  })
})
