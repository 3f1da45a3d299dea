// What the Entra Domain Services stage adds to a no-op apply: the bundled action against the local
// ARM stand-in (Azure DNS + Microsoft.AAD + Network on one endpoint), the record already right,
// run alternately with `ip` given and with `entra-domain-name` instead. Goal (issue 13): at most
// one managed-domain GET plus one subnet and one NSG GET per replica set, and ≤ 300 ms of wall time.
// `node bench/entra.ts` runs it alone.

import { runAction } from '../__tests__/helpers/run-action.ts'
import {
  CLIENT_SECRET,
  SECRET_CLIENT,
  SUBSCRIPTION,
  TENANT,
  startAzureWorld
} from '../__tests__/helpers/azure-world.ts'
import { createEntraDsArm, nsgIdOf, subnetIdOf } from '../__tests__/helpers/entra-ds-arm.ts'
import { median } from './cold-start.ts'

export interface EntraBenchResult {
  readonly runs: number
  readonly baselineMs: number
  readonly entraMs: number
  readonly addedMs: number
  /** ARM requests of the Entra stage per run (domain, subnet, NSG). */
  readonly entraRequestsPerRun: number
  readonly writes: number
}

const IP = '20.30.40.50'

export async function measureEntraOverhead(runs = 7): Promise<EntraBenchResult> {
  const entraArm = createEntraDsArm()
  const world = await startAzureWorld(
    { arm: '127.0.12.1', entra: '127.0.12.2', github: '127.0.12.3' },
    { extensions: [entraArm.extension] }
  )
  entraArm.url = world.arm.url
  try {
    const subnet = subnetIdOf(SUBSCRIPTION, 'rg-aadds-network', 'aadds-vnet', 'aadds-subnet')
    const nsg = nsgIdOf(SUBSCRIPTION, 'rg-aadds-network', 'aadds-nsg')
    world.arm.addZone(SUBSCRIPTION, 'rg-dns', 'contoso100.com')
    world.arm.putRecordSet(SUBSCRIPTION, 'rg-dns', 'contoso100.com', {
      name: 'ldaps',
      type: 'A',
      ttl: 300,
      aRecords: [{ ipv4Address: IP }]
    })
    entraArm.addManagedDomain({
      subscription: SUBSCRIPTION,
      resourceGroup: 'rg-aadds',
      name: 'contoso100.com',
      domainName: 'contoso100.com',
      ldaps: 'Enabled',
      externalAccess: 'Enabled',
      certificateThumbprint: '9154A390F0C387D679E0DD040701745CDFED67F3',
      certificateNotAfter: new Date(Date.now() + 300 * 86_400_000).toISOString(),
      replicaSets: [{ location: 'West US', subnetId: subnet, externalAccessIpAddress: IP }]
    })
    entraArm.addSubnet(subnet, '10.0.0.0/24', nsg)
    entraArm.addNsg(nsg, [])
    const common = {
      provider: 'azure',
      zone: 'contoso100.com',
      'azure-subscription-id': SUBSCRIPTION,
      'azure-resource-group': 'rg-dns',
      'azure-client-id': SECRET_CLIENT,
      'azure-tenant-id': TENANT,
      'azure-client-secret': CLIENT_SECRET,
      'azure-resource-manager-endpoint': world.arm.url,
      'wait-for-propagation': 'false',
      'verify-certificate': 'false'
    }
    const env = { NODE_EXTRA_CA_CERTS: world.pki.caFile, AZURE_AUTHORITY_HOST: world.entra.url }
    const baseline: number[] = []
    const entra: number[] = []
    let entraRequests = 0
    for (let i = 0; i < runs + 1; i++) {
      for (const withEntra of [false, true]) {
        const inputs = withEntra
          ? { ...common, 'entra-domain-name': 'contoso100.com', 'entra-resource-group': 'rg-aadds' }
          : { ...common, domain: 'ldaps.contoso100.com', ip: IP }
        entraArm.requests.length = 0
        const started = performance.now()
        const run = await runAction(inputs, { env })
        const elapsed = performance.now() - started
        if (run.exitCode !== 0) throw new Error(`bench run failed:\n${run.stdout}`)
        if (i === 0) continue // warm-up
        ;(withEntra ? entra : baseline).push(elapsed)
        if (withEntra) entraRequests = Math.max(entraRequests, entraArm.requests.length)
      }
    }
    const baselineMs = median(baseline)
    const entraMs = median(entra)
    return {
      runs,
      baselineMs,
      entraMs,
      addedMs: entraMs - baselineMs,
      entraRequestsPerRun: entraRequests,
      writes: world.arm.writeCount()
    }
  } finally {
    await world.close()
  }
}

export function renderEntraMarkdown(r: EntraBenchResult): string {
  const ms = (v: number): string => `${v.toFixed(0)} ms`
  return [
    '## Entra Domain Services stage',
    '',
    `A no-op apply with Azure DNS, the record already right, no certificate check; \`ip\` given against \`entra-domain-name\` (one replica set), median of ${r.runs} runs each, alternating.`,
    '',
    '| | median wall time |',
    '| --- | --- |',
    `| \`ip\` given | ${ms(r.baselineMs)} |`,
    `| \`entra-domain-name\` instead | ${ms(r.entraMs)} |`,
    `| added by the stage | **${ms(r.addedMs)}** (goal ≤ 300 ms: ${r.addedMs <= 300 ? 'met' : 'missed'}) |`,
    '',
    `ARM requests of the stage per run: ${r.entraRequestsPerRun} (goal: 1 managed-domain GET + 1 subnet GET + 1 NSG GET = 3); writes to any Azure API: ${r.writes}.`
  ].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await measureEntraOverhead(process.argv.includes('--quick') ? 2 : 7)
  process.stdout.write(`${renderEntraMarkdown(result)}\n`)
}
