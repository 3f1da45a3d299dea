// Property: whatever another writer does between our reads and our writes, the Azure provider
// never overwrites a state it has not read. Random interleavings of a competing writer (change
// the address, change metadata, delete the set, write our address itself, or nothing) are played
// by the ARM stand-in just before each of our PUTs; the real @azure/arm-dns client runs the
// upsert through the action's plan/write steps.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { createAzureDnsProvider } from '../../src/adapters/providers/azure-dns.ts'
import { MAX_WRITE_ATTEMPTS } from '../../src/steps/dns-record.ts'
import type { AzureSettings } from '../../src/core/settings.ts'
import type { StoredRecordSet } from '../helpers/arm-server.ts'
import { SUBSCRIPTION, azureInputs, type AzureWorld } from '../helpers/azure-world.ts'
import { settingsFrom } from '../helpers/settings.ts'
import { useAzureWorld } from '../helpers/stand-ins.ts'
import { upsert } from '../helpers/upsert.ts'

const RG = 'rg-race'
const ZONE = 'contoso100.com'
const OURS = '52.165.38.113'

type Interference =
  { kind: 'none' } | { kind: 'change'; ip: string; note: string } | { kind: 'delete' } | { kind: 'ours' }

const interference: fc.Arbitrary<Interference> = fc.oneof(
  fc.constant<Interference>({ kind: 'none' }),
  fc.record({ kind: fc.constant('change' as const), ip: fc.ipV4(), note: fc.string({ maxLength: 8 }) }),
  fc.constant<Interference>({ kind: 'delete' }),
  fc.constant<Interference>({ kind: 'ours' })
)

let world: AzureWorld
useAzureWorld(w => (world = w), { inProcess: true })

test('no interleaving of a competing writer makes the provider overwrite an unread state', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.option(fc.record({ ip: fc.ipV4(), owner: fc.string({ maxLength: 8 }) }), { nil: undefined }),
      fc.array(interference, { minLength: 0, maxLength: MAX_WRITE_ATTEMPTS + 1 }),
      async (initial, plays) => {
        world.arm.addZone(SUBSCRIPTION, RG, ZONE)
        if (initial !== undefined) {
          world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, {
            name: 'ldaps',
            type: 'A',
            ttl: 300,
            metadata: { owner: initial.owner },
            aRecords: [{ ipv4Address: initial.ip }]
          })
        }
        const queue = [...plays]
        // What the set looked like right after the competing writer's last move.
        const foreign: { last: StoredRecordSet | undefined | 'untouched' } = { last: 'untouched' }
        world.arm.requests.length = 0
        world.arm.beforeWrite = () => {
          const play = queue.shift() ?? { kind: 'none' }
          if (play.kind === 'none') return
          if (play.kind === 'delete') world.arm.deleteRecordSet(SUBSCRIPTION, RG, ZONE, 'A', 'ldaps')
          else {
            world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, {
              name: 'ldaps',
              type: 'A',
              ttl: 300,
              metadata: { owner: play.kind === 'ours' ? 'ours-by-other' : play.note },
              aRecords: [{ ipv4Address: play.kind === 'ours' ? OURS : play.ip }]
            })
          }
          foreign.last = structuredClone(world.arm.getRecordSet(SUBSCRIPTION, RG, ZONE, 'A', 'ldaps'))
        }
        const settings = settingsFrom({
          domain: `ldaps.${ZONE}`,
          ip: OURS,
          ...azureInputs(world, RG),

          zone: ZONE
        })
        const provider = await createAzureDnsProvider(settings.provider as AzureSettings, {
          env: { AZURE_AUTHORITY_HOST: world.entra.url }
        })
        let failed: Error | undefined
        try {
          await upsert(provider, settings)
        } catch (error) {
          failed = error as Error
        }
        world.arm.beforeWrite = undefined
        const lastForeign = foreign.last
        const final = world.arm.getRecordSet(SUBSCRIPTION, RG, ZONE, 'A', 'ldaps')
        const puts = world.arm.requests.filter(r => r.method === 'PUT')
        assert.ok(puts.length <= MAX_WRITE_ATTEMPTS)
        assert.ok(puts.every(r => r.status === 412 || r.status === 200 || r.status === 201))
        if (failed !== undefined) {
          // Only a writer that kept changing the set can make us give up, and then its state stands.
          assert.match(failed.message, /changed under us 3 times/)
          assert.ok(puts.every(r => r.status === 412))
          assert.deepEqual(final, lastForeign === 'untouched' ? undefined : lastForeign)
          return
        }
        assert.deepEqual(final?.aRecords, [{ ipv4Address: OURS }])
        assert.equal(final?.ttl, 300)
        // Metadata is what the last state we read carried: ours never invents or drops any.
        const succeeded = puts.find(r => r.status !== 412)
        if (succeeded !== undefined) {
          const readBefore =
            lastForeign === 'untouched' ? (initial ? { owner: initial.owner } : undefined) : lastForeign?.metadata
          assert.deepEqual(final?.metadata ?? undefined, succeeded.ifNoneMatch === '*' ? undefined : readBefore)
        }
      }
    ),
    { numRuns: 60 }
  )
})
