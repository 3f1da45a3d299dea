// The transport faults every HTTP provider owes the same answer to, through the bundled action:
// a read that fails in transit (reset mid-answer, an answer that stops mid-body, an answer slower
// than the client timeout) is repeated and the one write then goes out; a write whose answer was
// lost after it was applied is repeated, refused by the provider's own guard (ETag, DELETE of the
// old value, identical record) and found done on the re-read. Each fault file calls these inside
// its describe with its stand-in's view; what differs between providers stays in that file.

import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { NetworkFault } from './http-faults.ts'
import type { ActionRun } from './run-action.ts'

export interface TransportFaultFixture {
  /** Path substring of the request that reads the record set. */
  readonly readPath: string
  /** The address the action is asked to publish. */
  readonly ip: string
  /** Another writer's value already at the name; returns what the provider's guard will need. */
  seedOld(): void
  /** Arms one fault on the stand-in. */
  arm(fault: NetworkFault): void
  /** Faults armed but not yet met. */
  pending(): number
  /**
   * Listings a write makes of its own (Cloudflare, with no If-Match, lists the name just before
   * and just after writing); 0 when unset.
   */
  readonly readsPerWrite?: number
  /** Reads of the record set, writes of it, and the values stored, as the stand-in saw them. */
  reads(): number
  writes(): number
  stored(): readonly string[] | undefined
  run(env?: Record<string, string>): Promise<ActionRun>
}

const timeout = (ms: string | undefined): Record<string, string> =>
  ms === undefined ? {} : { LDAPS_DNS_ACTION_REQUEST_TIMEOUT_MS: ms }

/** A read that fails in transit is repeated; the one write then goes out. */
export function readFaultCases(f: TransportFaultFixture): void {
  const cases: [string, NetworkFault, string | undefined][] = [
    ['connection reset mid-answer on a read', { kind: 'cut', method: 'GET', pathIncludes: f.readPath, times: 1 }, undefined],
    ['an answer that stops mid-body on an open connection', { kind: 'hang-mid-body', method: 'GET', pathIncludes: f.readPath, times: 1 }, '1000'],
    ['an answer slower than the client timeout', { kind: 'stall', method: 'GET', pathIncludes: f.readPath, stallMs: 5_000, times: 1 }, '1000']
  ] // prettier-ignore
  for (const [title, fault, ms] of cases) {
    it(`${title}: abandoned and repeated, one write`, async () => {
      f.seedOld()
      f.arm(fault)
      const result = await f.run(timeout(ms))
      assert.equal(result.exitCode, 0, result.stdout)
      assert.equal(f.pending(), 0, 'the fault was met')
      assert.equal(f.reads(), 2 + (f.readsPerWrite ?? 0), 'the failed read and its repeat')
      assert.equal(f.writes(), 1)
      assert.deepEqual(f.stored(), [f.ip])
    })
  }
}

/**
 * A write applied though its answer was lost (reset, or answered after the client gave up): the
 * repeat is refused, nothing is applied twice, and the outputs still tell the truth. `refused`
 * checks the provider's own evidence of the refusal.
 */
export function lostWriteAnswerCases(
  f: TransportFaultFixture & { readonly writeMethod: string; readonly old: string },
  refused: (result: ActionRun) => void
): void {
  const cases: [string, NetworkFault, string | undefined][] = [
    ['connection reset mid-answer after the write was applied', { kind: 'cut', method: f.writeMethod, times: 1 }, undefined],
    ['a write answered after the client gave up (applied meanwhile)', { kind: 'stall', method: f.writeMethod, stallMs: 5_000, times: 1 }, '1000']
  ] // prettier-ignore
  for (const [title, fault, ms] of cases) {
    it(`${title}: the repeat is refused, the re-read finds it done`, async () => {
      f.seedOld()
      f.arm(fault)
      const result = await f.run(timeout(ms))
      assert.equal(result.exitCode, 0, result.stdout)
      assert.equal(f.writes(), 2)
      assert.match(result.stdout, /changed between read and write/)
      refused(result)
      assert.deepEqual(f.stored(), [f.ip])
      assert.equal(result.outputs['record-changed'], 'true')
      assert.equal(result.outputs['previous-ips'], f.old)
    })
  }
}
