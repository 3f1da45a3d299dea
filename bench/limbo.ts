// x509-limbo over real TLS: each case's leaf and intermediates are served by a Node TLS server on
// 127.0.4.10, probed with protocol tls (the case's trust anchors as ca-certificate, the case's
// peer name, min-days-valid 0), and three verdicts are compared with the expected one:
//   - node:  Node's own tls.connect verification (ca = bundled roots + anchors, checkServerIdentity);
//   - ours:  the action's verdict (our evaluator AND Node's result, as the step computes it).
// Cases with a fixed validation_time are evaluated at that time by the evaluator; Node's side for
// them runs in a child process under libfaketime (frozen clock at that second), and is left out
// of the comparison when faketime is not installed.
//
// `node bench/limbo.ts` prints the figures; __tests__/limbo/limbo.test.ts asserts the property.

import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import net from 'node:net'
import tls from 'node:tls'
import { evaluateCertificate, type CertificateFinding } from '../src/core/certificate.ts'
import { probeTls } from '../src/adapters/tls-probe.ts'

// The cases live in the repository (x509-limbo is Apache-2.0; licence and attribution beside the
// file), so the trust check runs wherever the tests run.
export const LIMBO_CASES =
  process.env['LIMBO_CASES'] ?? new URL('../__tests__/limbo/cases.json', import.meta.url).pathname
const HOST = '127.0.4.10'

export interface LimboCase {
  readonly id: string
  readonly expected: 'SUCCESS' | 'FAILURE'
  readonly validation_time: string | null
  readonly peer: { readonly kind: 'DNS' | 'IP'; readonly value: string }
  readonly trusted: readonly string[]
  readonly intermediates: readonly string[]
  readonly leaf: string
  readonly leaf_key: string
  readonly conflicts_with?: readonly string[]
}

export interface LimboResult {
  readonly id: string
  readonly expected: boolean
  readonly peerKind: 'DNS' | 'IP'
  /** Undefined when the server could not present the chain. */
  readonly ours: boolean | undefined
  /** Our evaluator alone, without Node's result: shows what the AND with Node adds. */
  readonly evaluatorOnly: boolean | undefined
  /** Undefined when Node's verdict could not be taken at the case's time. */
  readonly node: boolean | undefined
  readonly nodeError: string | undefined
  /** Our first error finding, when we refuse. */
  readonly reason: Pick<CertificateFinding, 'rule' | 'problem'> | undefined
  readonly note: string | undefined
}

export function loadLimboCases(path = LIMBO_CASES): LimboCase[] {
  return (JSON.parse(readFileSync(path, 'utf8')) as { cases: LimboCase[] }).cases
}

export function faketimeAvailable(): boolean {
  return ['/usr/bin/faketime', '/usr/local/bin/faketime'].some(p => existsSync(p))
}

export async function runLimbo(cases: readonly LimboCase[] = loadLimboCases()): Promise<LimboResult[]> {
  const results: LimboResult[] = []
  for (const c of cases) results.push(await runCase(c))
  return results
}

async function runCase(c: LimboCase): Promise<LimboResult> {
  const base = { id: c.id, expected: c.expected === 'SUCCESS', peerKind: c.peer.kind }
  let server: tls.Server
  try {
    server = tls.createServer({
      cert: [c.leaf, ...c.intermediates].join('\n'),
      key: c.leaf_key,
      // The server must present weak or odd chains unchanged: judging them is the client's job.
      ciphers: 'DEFAULT:@SECLEVEL=0'
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, HOST, resolve)
    })
  } catch (error) {
    return {
      ...base,
      ours: undefined,
      evaluatorOnly: undefined,
      node: undefined,
      nodeError: undefined,
      reason: undefined,
      note: `not servable: ${(error as Error).message}`
    }
  }
  server.on('tlsClientError', () => undefined)
  const port = (server.address() as net.AddressInfo).port
  try {
    const probe = await probeTls({
      protocol: 'tls',
      connectTo: HOST,
      port,
      peer: c.peer.value,
      trustAnchorsPem: c.trusted,
      timeouts: { connectMs: 5_000, handshakeMs: 5_000 }
    })
    let node = probe.node
    let nodeAt: boolean | undefined = node.authorized && node.identityError === undefined
    let note: string | undefined
    if (c.validation_time !== null) {
      if (faketimeAvailable()) {
        node = await nodeVerificationAt(c, port)
        nodeAt = node.authorized && node.identityError === undefined
        note = `Node verified under faketime at ${c.validation_time.slice(0, 19)}`
      } else {
        nodeAt = undefined
        note = 'no faketime: Node left out'
      }
    }
    const input = {
      served: probe.served,
      rootsPem: tls.rootCertificates,
      trustAnchorsPem: c.trusted,
      peer: c.peer.value,
      now: c.validation_time === null ? new Date() : new Date(c.validation_time),
      minDaysValid: 0
    }
    const verdict = evaluateCertificate({ ...input, nodeVerification: nodeAt === undefined ? undefined : node })
    const alone = evaluateCertificate(input)
    const first = verdict.findings.find(f => f.severity === 'error')
    return {
      ...base,
      ours: verdict.trusted,
      evaluatorOnly: alone.trusted,
      node: nodeAt,
      nodeError: node.error ?? node.identityError,
      reason: first === undefined ? undefined : { rule: first.rule, problem: first.problem },
      note
    }
  } catch (error) {
    // A handshake the client cannot complete is a refusal by both (nothing to trust).
    return {
      ...base,
      ours: false,
      evaluatorOnly: false,
      node: false,
      nodeError: (error as Error).message,
      reason: undefined,
      note: 'no handshake'
    }
  } finally {
    server.close()
  }
}

/** Node's own verification in a child process whose clock libfaketime freezes at the case's time. */
function nodeVerificationAt(
  c: LimboCase,
  port: number
): Promise<{ authorized: boolean; error: string | undefined; identityError: string | undefined }> {
  const script = `
    import tls from 'node:tls'
    const c = JSON.parse(process.env.LIMBO_CASE)
    const s = tls.connect({ host: '${HOST}', port: ${port}, ...(c.peer.kind === 'DNS' ? { servername: c.peer.value } : {}),
      ca: [...tls.rootCertificates, ...c.trusted], rejectUnauthorized: false, checkServerIdentity: () => undefined })
    s.on('secureConnect', () => {
      const identity = tls.checkServerIdentity(c.peer.value, s.getPeerCertificate())
      const e = s.authorizationError
      console.log(JSON.stringify({ authorized: s.authorized, error: e ? (e.code ?? String(e)) : undefined, identityError: identity?.message }))
      s.destroy()
    })
    s.on('error', e => { console.log(JSON.stringify({ authorized: false, error: e.code ?? e.message })); process.exit(0) })`
  const time = c.validation_time!.slice(0, 19).replace('T', ' ')
  return new Promise((resolve, reject) => {
    execFile(
      'faketime',
      ['-f', time, process.execPath, '--input-type=module', '-e', script],
      {
        env: { ...process.env, LIMBO_CASE: JSON.stringify(c), FAKETIME_DONT_FAKE_MONOTONIC: '1' },
        timeout: 20_000
      },
      (error, stdout) => {
        if (error) return reject(error)
        resolve(JSON.parse(stdout.trim().split('\n').pop()!))
      }
    )
  })
}

export interface LimboFigures {
  readonly total: number
  readonly compared: number
  readonly oursAgree: number
  readonly nodeAgree: number
  readonly evaluatorOnlyAgree: number
  readonly evaluatorOnlyAgreeDns: number
  /** Where the evaluator alone is wrong and Node right: what the AND with Node is for. */
  readonly evaluatorOnlyWrongNodeRight: readonly LimboResult[]
  readonly oursAgreeDns: number
  readonly nodeAgreeDns: number
  readonly dnsCompared: number
  /** The property: must be empty. */
  readonly nodeRightOursWrong: readonly LimboResult[]
  readonly oursRightNodeWrong: readonly LimboResult[]
  readonly bothWrong: readonly LimboResult[]
  readonly excluded: readonly LimboResult[]
}

export function summarizeLimbo(results: readonly LimboResult[]): LimboFigures {
  const compared = results.filter(r => r.ours !== undefined && r.node !== undefined)
  const dns = compared.filter(r => r.peerKind === 'DNS')
  const agree = (list: readonly LimboResult[], key: 'ours' | 'node' | 'evaluatorOnly'): number =>
    list.filter(r => r[key] === r.expected).length
  return {
    total: results.length,
    compared: compared.length,
    oursAgree: agree(compared, 'ours'),
    nodeAgree: agree(compared, 'node'),
    evaluatorOnlyAgree: agree(compared, 'evaluatorOnly'),
    evaluatorOnlyAgreeDns: agree(dns, 'evaluatorOnly'),
    evaluatorOnlyWrongNodeRight: compared.filter(r => r.node === r.expected && r.evaluatorOnly !== r.expected),
    oursAgreeDns: agree(dns, 'ours'),
    nodeAgreeDns: agree(dns, 'node'),
    dnsCompared: dns.length,
    nodeRightOursWrong: compared.filter(r => r.node === r.expected && r.ours !== r.expected),
    oursRightNodeWrong: compared.filter(r => r.ours === r.expected && r.node !== r.expected),
    bothWrong: compared.filter(r => r.ours !== r.expected && r.node !== r.expected),
    excluded: results.filter(r => r.ours === undefined || r.node === undefined)
  }
}

export function renderLimboMarkdown(f: LimboFigures): string {
  const lines = [
    `| verdict | agree with expected (of ${f.compared}) | DNS peer names (of ${f.dnsCompared}) |`,
    '|---|---|---|',
    `| Node 24 \`tls.connect\` (roots + anchors, checkServerIdentity) | ${f.nodeAgree} | ${f.nodeAgreeDns} |`,
    `| the evaluator alone (no Node result) | ${f.evaluatorOnlyAgree} | ${f.evaluatorOnlyAgreeDns} |`,
    `| this action (evaluator AND Node) | ${f.oursAgree} | ${f.oursAgreeDns} |`,
    '',
    `Node right, action wrong: ${f.nodeRightOursWrong.length} (must be 0). Excluded: ${f.excluded.length}.`,
    '',
    "| case | expected | action's reason |",
    '|---|---|---|',
    ...f.oursRightNodeWrong.map(
      r =>
        `| \`${r.id}\` | ${r.expected ? 'SUCCESS' : 'FAILURE'} | ${r.reason === undefined ? 'accepted' : `${r.reason.rule}: ${r.reason.problem}`} |`
    )
  ]
  return lines.join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now()
  const results = await runLimbo()
  const figures = summarizeLimbo(results)
  console.log(renderLimboMarkdown(figures))
  console.log(`\nBoth wrong (${figures.bothWrong.length}):`)
  for (const r of figures.bothWrong)
    console.log(`- ${r.id} expected ${r.expected ? 'SUCCESS' : 'FAILURE'}; node ${r.nodeError ?? 'accepts'}`)
  console.log(`\nEvaluator alone wrong where Node is right (${figures.evaluatorOnlyWrongNodeRight.length}):`)
  for (const r of figures.evaluatorOnlyWrongNodeRight) {
    console.log(`- ${r.id} expected ${r.expected ? 'SUCCESS' : 'FAILURE'}; node ${r.nodeError ?? 'accepts'}`)
  }
  for (const r of figures.excluded) console.log(`excluded ${r.id}: ${r.note}`)
  for (const r of figures.nodeRightOursWrong) console.log(`VIOLATION ${r.id}: ${r.reason?.problem}`)
  console.log(`\n${results.length} cases in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
