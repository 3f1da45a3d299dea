// The provider conformance suite: the behaviour every DNS provider owes the action, run against
// each provider's stand-in (a local server following the provider's documented contract, or real
// BIND). A provider's test file builds one ProviderFixture and calls runProviderConformance; its
// own adapter, e2e and fault tests keep only what is specific to that provider.
//
// Two halves: the provider in process, created by createProvider from settings parsed out of
// action inputs and driven by the real plan/write steps; and the bundled action (dist/index.js,
// `npm run build` first) with the same inputs, for what reaches the outputs and the log.

import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { after, before, beforeEach, describe, test } from 'node:test'
import { createProvider } from '../../src/adapters/providers/index.ts'
import { ProviderError, type DnsProvider } from '../../src/adapters/providers/provider.ts'
import type { Settings } from '../../src/core/settings.ts'
import { runAction, type ActionRun } from '../helpers/run-action.ts'
import { settingsFrom } from '../helpers/settings.ts'
import { upsert } from '../helpers/upsert.ts'

// IP: the address the action is asked to publish; OLD: what the name held before.
import { IP, OLD } from '../fixtures/record.ts'
import { processEnvEdits } from '../helpers/process-env.ts'
/** Another writer's address, set between the action's read and its write. */
const RACER = '198.51.100.77'

export interface ProviderFixture {
  /** Suite title, e.g. "Azure DNS". */
  readonly title: string
  /** The zone the stand-in serves; the cases write ldaps.<zone>. */
  readonly zone: string
  /** A loopback address where nothing answers DNS, for check mode's nameserver reads. */
  readonly quietAddress: string
  start(): Promise<void>
  stop(): Promise<void>
  /** A fresh, empty zone; request logs, faults and hooks cleared. */
  reset(): Promise<void>
  /** The provider's own action inputs (credentials, server, endpoints). */
  inputs(): Record<string, string>
  /** Environment the provider reads: set on process.env in process, passed to the bundled action. */
  env(): Record<string, string>
  /** Another writer sets the A set at the name (with the fixture's metadata when asked). */
  seed(values: readonly string[], options?: { metadata?: boolean }): Promise<void>
  /** Another writer puts a CNAME at the name. */
  seedCname(target: string): Promise<void>
  /** The A values at the name as the stand-in holds them, sorted, read around the provider. */
  stored(): Promise<string[]>
  /** The CNAME target at the name as the stand-in holds it. */
  storedCname(): Promise<string | undefined>
  /**
   * What the provider's stats count for one read of the name (default 1). Azure DNS counts API
   * requests, and ARM has no request that returns the A set and a CNAME at once: 2.
   */
  readonly requestsPerRead?: number
  /** Record writes that reached the stand-in since reset (or the fixture's own last seed). */
  writes(): Promise<number>
  /** Where the provider keeps metadata beside the values (tags, comments): what a seed sets and how to read it back. */
  readonly metadata?: { readonly seeded: unknown; read(): Promise<unknown> }
  /**
   * For a stand-in that can play a writer between our read and our write on its own (the bundled
   * action runs in another process): the next such window sets the name to `values`.
   */
  raceOnce?(values: readonly string[]): void
  /** For a provider with an HTTP API: answers the next `times` reads or writes with 429 or 5xx. */
  readonly faults?: {
    inject(status: 429 | 503, on: 'read' | 'write', times: number): void
    /** Injected faults not yet served. */
    pending(): number
  }
  /** Credentials the provider refuses, and how the error must name them. */
  readonly badCredential: {
    readonly inputs?: Record<string, string>
    readonly env?: Record<string, string>
    /** The wrong secret, which no log line may show. */
    readonly secret: string
    readonly message: RegExp
  }
  /** A zone the provider cannot find, and how the error must name it. */
  readonly unknownZone: { readonly zone: string; readonly message: RegExp }
  /** The TXT set at `_acme-challenge.<zone>` (ACME DNS-01), seen around the provider. */
  readonly txt: {
    /** Another writer sets the TXT set at the name to one record per value (empty: no set). */
    seed(values: readonly string[]): Promise<void>
    /** Each TXT record the stand-in holds there, as its character-strings; undefined when there is no set at all. */
    stored(): Promise<string[][] | undefined>
    /**
     * Once: after the provider has read the set and before its write reaches the stand-in,
     * another writer sets it to `values`. Returns inputs that route the provider through the
     * hook, where the stand-in needs that (a relay in front of BIND).
     */
    raceOnce(values: readonly string[]): Record<string, string> | undefined
  }
}

/** ACME DNS-01 key authorisation digests (base64url SHA-256): the wildcard's, the apex's, another order's. */
const CHALLENGE = 'LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0'
const APEX_CHALLENGE = 'Zm9vYmFyLWFwZXgtY2hhbGxlbmdlLWRpZ2VzdC0wMDE'
const RACER_CHALLENGE = 'cmFjZXItY2hhbGxlbmdlLWRpZ2VzdC1mcm9tLWVsc2U'

/** What a provider's own tests get inside the suite's lifecycle (stand-in started, reset per test, environment set). */
export interface ConformanceContext {
  /** Settings parsed from the suite's inputs for this provider, and `over`. */
  settings(over?: Record<string, string>): Settings
  /** The bundled action with the suite's inputs and `over`, in the fixture's environment and `env`. */
  run(over?: Record<string, string>, env?: Record<string, string>): Promise<ActionRun>
}

/**
 * Runs every conformance case against the fixture's stand-in; `specific` adds the provider's own
 * tests inside the same lifecycle.
 */
export function runProviderConformance(
  fixture: ProviderFixture,
  specific?: (context: ConformanceContext) => void
): void {
  const domain = `ldaps.${fixture.zone}`
  const inputs = (over: Record<string, string> = {}) => ({
    domain,
    ip: IP,
    zone: fixture.zone,
    'wait-for-propagation': 'false',
    'verify-certificate': 'false',
    ...fixture.inputs(),
    ...over
  })
  const settings = (over: Record<string, string> = {}): Settings => settingsFrom(inputs(over))
  /** The provider the action would create, with its write calls counted and a writer able to cut in. */
  const provider = async (s: Settings, beforeWrite?: (call: number) => Promise<void>) => {
    const real = (await createProvider(s.provider))!
    const calls = { reads: 0, writes: 0 }
    const wrapped: DnsProvider = {
      displayName: real.displayName,
      stats: real.stats,
      findZone: (d, z) => real.findZone(d, z),
      read: (z, n, t) => (calls.reads++, real.read(z, n, t)),
      txt: real.txt,
      async write(zone, change) {
        await beforeWrite?.(++calls.writes)
        return real.write(zone, change)
      }
    }
    return { provider: wrapped, calls }
  }

  const run = (over: Record<string, string> = {}, env: Record<string, string> = {}) =>
    runAction(inputs(over), { env: { ...fixture.env(), ...env } })
  const perRead = fixture.requestsPerRead ?? 1
  const processEnv = processEnvEdits()
  const setEnv = processEnv.set

  describe(`${fixture.title} conformance`, () => {
    before(async () => {
      await fixture.start()
      setEnv(fixture.env())
    })
    after(async () => {
      processEnv.restore()
      await fixture.stop()
    })
    beforeEach(() => fixture.reset())

    describe('the provider in process', () => {
      test('create: one write, the record as declared', async () => {
        const { provider: p } = await provider(settings())
        const { report } = await upsert(p, settings())
        assert.equal(report.record?.action, 'create')
        assert.equal(report.record?.changed, true)
        assert.deepEqual(await fixture.stored(), [IP])
        assert.equal(await fixture.writes(), 1)
      })

      test('no-op: one read and zero writes when the record is right', async () => {
        await fixture.seed([IP])
        const { provider: p, calls } = await provider(settings())
        const { report } = await upsert(p, settings())
        assert.equal(report.record?.action, 'none')
        assert.equal(report.record?.changed, false)
        assert.deepEqual(calls, { reads: 1, writes: 0 })
        assert.deepEqual(p.stats, { reads: perRead, writes: 0 })
        assert.equal(await fixture.writes(), 0)
      })

      test('replace: the old value reported, the new one stored, metadata kept', async () => {
        await fixture.seed([OLD], { metadata: true })
        const { provider: p } = await provider(settings())
        const { report } = await upsert(p, settings())
        assert.equal(report.record?.action, 'replace')
        assert.deepEqual(report.record?.found?.values, [OLD])
        assert.deepEqual(await fixture.stored(), [IP])
        assert.equal(await fixture.writes(), 1)
        if (fixture.metadata) assert.deepEqual(await fixture.metadata.read(), fixture.metadata.seeded)
      })

      test('lost race: another writer between read and write → re-read, re-plan, its value reported', async () => {
        await fixture.seed([OLD])
        const { provider: p, calls } = await provider(settings(), async call => {
          if (call === 1) await fixture.seed([RACER])
        })
        const { report } = await upsert(p, settings())
        assert.deepEqual(calls, { reads: 2, writes: 2 }, 'the first write lost, the second was planned on a re-read')
        assert.deepEqual(report.record?.found?.values, [RACER], 'the plan was made anew on what the racer wrote')
        assert.deepEqual(await fixture.stored(), [IP])
      })

      test('a writer that wins every race: a precise failure, its value never clobbered', async () => {
        await fixture.seed([OLD])
        const racer = (call: number) => `198.51.100.${50 + call}`
        const { provider: p, calls } = await provider(settings(), call => fixture.seed([racer(call)]))
        await assert.rejects(upsert(p, settings()), /changed under us 3 times in a row.*nothing was overwritten/)
        assert.equal(calls.writes, 3)
        assert.deepEqual(await fixture.stored(), [racer(3)])
      })

      test('CNAME at the name: refused before any write, the CNAME left alone', async () => {
        await fixture.seedCname(`target.${fixture.zone}`)
        const { provider: p, calls } = await provider(settings())
        await assert.rejects(upsert(p, settings()), (error: Error) => {
          assert.ok(error instanceof ProviderError)
          assert.match(error.message, new RegExp(`is a CNAME to target\\.${fixture.zone.replace(/\./g, '\\.')}`))
          return true
        })
        assert.equal(calls.writes, 0)
        assert.equal(await fixture.writes(), 0)
        assert.equal(await fixture.storedCname(), `target.${fixture.zone}`)
      })

      test('check mode: drift reported, zero writes', async () => {
        await fixture.seed([OLD])
        const check = settings({ mode: 'check' })
        const { provider: p, calls } = await provider(check)
        const { report } = await upsert(p, check)
        assert.equal(report.record?.action, 'replace')
        const drift = report.findings.filter(f => f.drift === true && f.step === 'dns-plan')
        assert.equal(drift.length, 1)
        assert.match(drift[0]!.message, new RegExp(`${OLD} → ${IP}`.replace(/\./g, '\\.')))
        assert.equal(calls.writes, 0)
        assert.equal(p.stats.writes, 0)
        assert.equal(await fixture.writes(), 0)
        assert.deepEqual(await fixture.stored(), [OLD])
      })

      test('a refused credential: the error names it, nothing written', async () => {
        await fixture.seed([OLD])
        const bad = settings(fixture.badCredential.inputs)
        setEnv(fixture.badCredential.env ?? {})
        try {
          const { provider: p } = await provider(bad)
          await assert.rejects(upsert(p, bad), (error: Error) => {
            assert.ok(error instanceof ProviderError, String(error))
            assert.match(error.message, fixture.badCredential.message)
            assert.ok(!error.message.includes(fixture.badCredential.secret), 'the secret is not in the message')
            return true
          })
        } finally {
          setEnv(fixture.env())
        }
        assert.deepEqual(await fixture.stored(), [OLD])
        assert.equal(await fixture.writes(), 0)
      })

      test('an unknown zone: the error names it, nothing written', async () => {
        const { zone, message } = fixture.unknownZone
        const s = settings({ zone, domain: `ldaps.${zone}` })
        const { provider: p, calls } = await provider(s)
        await assert.rejects(upsert(p, s), (error: Error) => {
          assert.ok(error instanceof ProviderError, String(error))
          assert.ok(error.message.includes(zone), error.message)
          assert.match(error.message, message)
          return true
        })
        assert.equal(calls.writes, 0)
        assert.equal(await fixture.writes(), 0)
      })

      if (fixture.faults !== undefined) {
        const faults = fixture.faults
        for (const [status, on] of [
          [429, 'read'],
          [503, 'write']
        ] as const) {
          test(`${status} on the ${on}, twice: retried, then done`, async () => {
            await fixture.seed([OLD])
            faults.inject(status, on, 2)
            const { provider: p } = await provider(settings())
            const { report } = await upsert(p, settings())
            assert.equal(report.record?.changed, true)
            assert.equal(faults.pending(), 0, 'every injected fault was met and retried')
            assert.deepEqual(await fixture.stored(), [IP])
          })
        }
      }
    })

    describe('TXT values one at a time (ACME DNS-01)', () => {
      const name = `_acme-challenge.${fixture.zone}`
      /** The provider and its zone, as a renewal would use them. */
      const open = async (over: Record<string, string> = {}) => {
        const s = settings(over)
        const p = (await createProvider(s.provider))!
        return { p, zone: await p.findZone(domain, fixture.zone) }
      }
      const values = async (): Promise<string[] | undefined> =>
        (await fixture.txt.stored())?.map(strings => strings.join('')).sort()

      test('add to an empty name: the set created with the one value', async () => {
        const { p, zone } = await open()
        assert.deepEqual(await p.txt.readTxt(zone, name), [])
        await p.txt.addTxtValue(zone, name, CHALLENGE, 60)
        assert.deepEqual(await values(), [CHALLENGE])
        assert.equal(await fixture.writes(), 1)
        assert.deepEqual(await p.txt.readTxt(zone, name), [CHALLENGE])
      })

      test('add a second value: the first kept (wildcard and apex share the name)', async () => {
        await fixture.txt.seed([CHALLENGE])
        const { p, zone } = await open()
        await p.txt.addTxtValue(zone, name, APEX_CHALLENGE, 60)
        assert.deepEqual(await values(), [APEX_CHALLENGE, CHALLENGE].sort())
        assert.equal(await fixture.writes(), 1)
        assert.deepEqual([...(await p.txt.readTxt(zone, name))].sort(), [APEX_CHALLENGE, CHALLENGE].sort())
      })

      test('add a value already there: no write', async () => {
        await fixture.txt.seed([CHALLENGE, APEX_CHALLENGE])
        const { p, zone } = await open()
        await p.txt.addTxtValue(zone, name, CHALLENGE, 60)
        assert.equal(await fixture.writes(), 0)
        assert.equal(p.stats.writes, 0)
        assert.deepEqual(await values(), [APEX_CHALLENGE, CHALLENGE].sort())
      })

      test('remove one of two: the other kept', async () => {
        await fixture.txt.seed([CHALLENGE, APEX_CHALLENGE])
        const { p, zone } = await open()
        await p.txt.removeTxtValue(zone, name, CHALLENGE)
        assert.deepEqual(await values(), [APEX_CHALLENGE])
        assert.equal(await fixture.writes(), 1)
      })

      test('remove the last value: the set is gone, not left empty', async () => {
        await fixture.txt.seed([CHALLENGE])
        const { p, zone } = await open()
        await p.txt.removeTxtValue(zone, name, CHALLENGE)
        assert.equal(await fixture.txt.stored(), undefined)
        assert.deepEqual(await p.txt.readTxt(zone, name), [])
      })

      test('remove a value that is not there: no write, the others untouched', async () => {
        await fixture.txt.seed([APEX_CHALLENGE])
        const { p, zone } = await open()
        await p.txt.removeTxtValue(zone, name, CHALLENGE)
        await p.txt.removeTxtValue(zone, `_acme-challenge.nothing.${fixture.zone}`, CHALLENGE)
        assert.equal(await fixture.writes(), 0)
        assert.equal(p.stats.writes, 0)
        assert.deepEqual(await values(), [APEX_CHALLENGE])
      })

      test('a value longer than 255 bytes: stored as several character-strings, read back whole', async () => {
        const long = `${'a'.repeat(250)}${'b'.repeat(250)}${'c'.repeat(100)}`
        const { p, zone } = await open()
        await p.txt.addTxtValue(zone, name, long, 60)
        const stored = (await fixture.txt.stored()) ?? []
        assert.equal(stored.length, 1)
        assert.ok(
          stored[0]!.every(part => Buffer.byteLength(part) <= 255),
          `strings of ${stored[0]!.map(part => part.length)}`
        )
        assert.deepEqual(await p.txt.readTxt(zone, name), [long])
        await p.txt.removeTxtValue(zone, name, long)
        assert.equal(await fixture.txt.stored(), undefined)
      })

      test('add while another writer changes the set between read and write: retried, its value kept', async () => {
        await fixture.txt.seed([CHALLENGE])
        const { p, zone } = await open(fixture.txt.raceOnce([CHALLENGE, RACER_CHALLENGE]))
        await p.txt.addTxtValue(zone, name, APEX_CHALLENGE, 60)
        assert.deepEqual(await values(), [APEX_CHALLENGE, CHALLENGE, RACER_CHALLENGE].sort())
      })

      test('remove while another writer changes the set between read and write: retried, its value kept', async () => {
        await fixture.txt.seed([CHALLENGE, APEX_CHALLENGE])
        const { p, zone } = await open(fixture.txt.raceOnce([CHALLENGE, APEX_CHALLENGE, RACER_CHALLENGE]))
        await p.txt.removeTxtValue(zone, name, CHALLENGE)
        assert.deepEqual(await values(), [APEX_CHALLENGE, RACER_CHALLENGE].sort())
      })
    })

    describe('the bundled action', () => {
      before(() => assert.ok(existsSync(new URL('../../dist/index.js', import.meta.url)), 'run `npm run build` first'))
      const errors = (r: ActionRun): string =>
        (r.report?.findings ?? [])
          .filter((f: any) => f.severity === 'error')
          .map((f: any) => f.message)
          .join('\n')

      test('create, then the same run again: record-changed, zone, previous-ips; then one read, zero writes', async () => {
        const first = await run()
        assert.equal(first.exitCode, 0, first.stdout)
        assert.equal(first.outputs['record-changed'], 'true')
        assert.equal(first.outputs['previous-ips'], '')
        assert.equal(first.outputs['zone'], fixture.zone)
        assert.deepEqual(await fixture.stored(), [IP])
        const second = await run()
        assert.equal(second.exitCode, 0, second.stdout)
        assert.equal(second.outputs['record-changed'], 'false')
        assert.equal(second.outputs['previous-ips'], IP)
        assert.equal(second.report.record.providerReads, perRead)
        assert.equal(second.report.record.providerWrites, 0)
      })

      test('replace: previous-ips holds the old value for a rollback, metadata kept', async () => {
        await fixture.seed([OLD], { metadata: true })
        const result = await run()
        assert.equal(result.exitCode, 0, result.stdout)
        assert.equal(result.outputs['record-changed'], 'true')
        assert.equal(result.outputs['previous-ips'], OLD)
        assert.deepEqual(await fixture.stored(), [IP])
        if (fixture.metadata) assert.deepEqual(await fixture.metadata.read(), fixture.metadata.seeded)
      })

      if (fixture.raceOnce !== undefined) {
        const raceOnce = fixture.raceOnce.bind(fixture)
        test('lost race: a warning, then written on the re-read, previous-ips the racer’s value', async () => {
          await fixture.seed([OLD])
          raceOnce([RACER])
          const result = await run()
          assert.equal(result.exitCode, 0, result.stdout)
          assert.match(result.stdout, /::warning title=[^:]*::The record changed between read and write/)
          assert.equal(result.outputs['previous-ips'], RACER)
          assert.deepEqual(await fixture.stored(), [IP])
        })
      }

      test('check mode: drift output, exit 1, zero writes', async () => {
        await fixture.seed([OLD])
        const q = fixture.quietAddress
        const result = await run({ mode: 'check', nameservers: q, resolver: q, 'propagation-timeout': '1' })
        assert.equal(result.exitCode, 1)
        assert.equal(result.outputs['drift'], 'true')
        assert.equal(result.outputs['record-changed'], 'false')
        assert.equal(result.report.record.action, 'replace')
        assert.equal(result.report.record.providerWrites, 0)
        assert.ok(result.report.findings.some((f: any) => f.step === 'dns-plan' && f.drift === true))
        assert.equal(await fixture.writes(), 0)
        assert.deepEqual(await fixture.stored(), [OLD])
      })

      test('CNAME at the name: exit 1 naming it, record-changed false, zero writes', async () => {
        await fixture.seedCname(`target.${fixture.zone}`)
        const result = await run()
        assert.equal(result.exitCode, 1)
        assert.match(errors(result), /is a CNAME to target\./)
        assert.equal(result.outputs['record-changed'], 'false')
        assert.equal(await fixture.writes(), 0)
      })

      test('a refused credential: exit 1, the error names it, the secret only ever a mask', async () => {
        const result = await run(fixture.badCredential.inputs, fixture.badCredential.env)
        assert.equal(result.exitCode, 1)
        assert.match(errors(result), fixture.badCredential.message)
        const printed = [...result.stdout.split('\n').filter(l => !l.startsWith('::add-mask::')), result.summary]
        assert.ok(!printed.join('\n').includes(fixture.badCredential.secret), 'the secret appears only in ::add-mask::')
        assert.equal(await fixture.writes(), 0)
      })
    })

    if (specific !== undefined) describe(`${fixture.title} specifics`, () => specific({ settings, run }))
  })
}
