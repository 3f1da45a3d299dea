// Steps 1 and 2: read the record through the provider, plan the change, and write it
// conditionally. A concurrent writer (precondition failed) makes us re-read and re-plan, a bounded
// number of times, so nothing is ever overwritten blindly.

import * as github from '../adapters/github.ts'
import { planRecord, type DesiredRecord, type RecordPlan } from '../core/planner.ts'
import { failedPartWay, type Finding, type RecordReport, type StepResult } from '../core/report.ts'
import { planRun, type RunPlan } from '../core/run-plan.ts'
import type { Settings } from '../core/settings.ts'
import { privateInPublicZone } from '../core/inputs.ts'
import { parseIpAddress } from '../core/names.ts'
import {
  PreconditionFailedError,
  ProviderError,
  type DnsProvider,
  type WriteResult,
  type ZoneRef
} from '../adapters/providers/provider.ts'

/** How often a write may lose a race with another writer before we give up. */
export const MAX_WRITE_ATTEMPTS = 3

export interface PlannedChange {
  readonly zone: ZoneRef
  readonly desired: DesiredRecord
  readonly plan: RecordPlan
  /** The record part of the report as read for this plan. */
  readonly record: RecordReport
}

/** The record part of the report, the steps' share of it. */
export interface RecordPart {
  readonly record: RecordReport
}

/** Step 1's result: the plan, and the record as read with the plan's findings. */
export interface DnsPlanResult extends StepResult<RecordPart> {
  readonly planned: PlannedChange
}

/** Step 2's result: what the provider answered (undefined when nothing was written), and the record. */
export interface DnsWriteResult extends StepResult<RecordPart> {
  readonly write: WriteResult | undefined
}

export function desiredRecord(settings: Settings): DesiredRecord {
  return { name: settings.domain, type: settings.recordType, ttl: settings.ttl, values: [settings.ip] }
}

/** Step 1: find the zone, read what is there, and decide what to write. */
export async function planDnsChange(
  settings: Settings,
  provider: DnsProvider,
  run: RunPlan = planRun(settings)
): Promise<DnsPlanResult> {
  const zone = await provider.findZone(settings.domain, settings.zone)
  github.info(
    `Zone: ${zone.name}${zone.resourceGroup ? ` (resource group ${zone.resourceGroup})` : ''}${zone.id ? ` [${zone.id}]` : ''}`
  )
  // Known only now for Route 53 (public and private hosted zones), and for an ip the managed
  // domain supplied: a private address is refused before the record is read or written.
  const address = parseIpAddress(settings.ip)
  const refusal = !address.ok
    ? undefined
    : privateInPublicZone(
        address.value,
        {
          provider: settings.provider.kind,
          zonesArePublic: zone.visibility === 'public',
          allowPrivateIp: settings.allowPrivateIp === true
        },
        `zone ${zone.name}${zone.id ? ` (${zone.id})` : ''} is public`
      )
  if (refusal !== undefined) throw new ProviderError(`${provider.displayName}: ${refusal}`)
  const desired = desiredRecord(settings)
  const { plan, record } = await readAndPlan(provider, zone, desired)
  github.info(`Plan: ${plan.action} — ${plan.reason}`)
  const findings: Finding[] = []
  if (plan.action === 'conflict') {
    findings.push({
      severity: 'error',
      step: 'dns-plan',
      title: 'CNAME at the name',
      message: plan.reason,
      drift: true
    })
  } else if (plan.action !== 'none' && run.differencesAreDrift) {
    findings.push({
      severity: 'error',
      step: 'dns-plan',
      title: 'DNS record drift',
      message: `${provider.displayName} does not hold what the inputs declare: ${plan.reason}`,
      drift: true
    })
  }
  return { planned: { zone, desired, plan, record }, part: { record }, findings }
}

async function readAndPlan(
  provider: DnsProvider,
  zone: ZoneRef,
  desired: DesiredRecord
): Promise<{ plan: RecordPlan; record: RecordReport }> {
  const current = await provider.read(zone, desired.name, desired.type)
  const plan = planRecord(desired, current)
  const record: RecordReport = {
    zone: zone.name,
    name: desired.name,
    type: desired.type,
    desired: { values: desired.values, ttl: desired.ttl },
    found: {
      values: current.recordSet?.values ?? [],
      ttl: current.recordSet?.ttl,
      cname: current.cname
    },
    action: plan.action,
    changed: false,
    providerReads: provider.stats.reads,
    providerWrites: provider.stats.writes
  }
  return { plan, record }
}

/**
 * Step 2: carry out the plan. Returns undefined when nothing was written. On a lost race the
 * record is read again and the plan made anew, so the write always matches what was last read.
 */
export async function writeDnsChange(provider: DnsProvider, planned: PlannedChange): Promise<DnsWriteResult> {
  let record = planned.record
  try {
    return await writeWithRetries(provider, planned, read => (record = read))
  } catch (error) {
    // A lost race re-reads the record; the report shows that last read even when the write fails.
    throw failedPartWay(error, { part: { record }, findings: [] })
  }
}

async function writeWithRetries(
  provider: DnsProvider,
  planned: PlannedChange,
  onReread: (record: RecordReport) => void
): Promise<DnsWriteResult> {
  let plan = planned.plan
  let record = planned.record
  let attempted: RecordPlan | undefined
  const done = (write: WriteResult | undefined): DnsWriteResult => ({ write, part: { record }, findings: [] })
  for (let attempt = 1; ; attempt++) {
    if (plan.action === 'none') {
      if (attempt === 1) {
        github.info('Nothing to write: the record is already right.')
        return done(undefined)
      }
      // Right only after a failed write: either our write landed and its answer was lost (the
      // retry then met its own change), or another writer set the same value. Either way the
      // record changed during this run, which is what record-changed tells later steps.
      // previous-ips is then what that earlier write replaced: the value to roll back to.
      const replaced = attempted?.action === 'replace' ? attempted.current : undefined
      record = {
        ...record,
        action: 'none',
        changed: true,
        found: { values: replaced?.values ?? [], ttl: replaced?.ttl, cname: undefined }
      }
      github.info(
        'The record is right now: it changed during this run (an earlier attempt of ours whose answer was lost, or another writer).'
      )
      return done(undefined)
    }
    if (plan.action === 'conflict') throw new ProviderError(plan.reason)
    attempted = plan
    try {
      const result = await provider.write(
        planned.zone,
        plan.action === 'create'
          ? { kind: 'create', desired: plan.desired }
          : { kind: 'replace', expected: plan.current, desired: plan.desired }
      )
      record = {
        ...record,
        action: plan.action,
        changed: true,
        providerReads: provider.stats.reads,
        providerWrites: provider.stats.writes
      }
      github.info(
        `Wrote ${planned.desired.name} ${planned.desired.type} ${planned.desired.values.join(', ')} (TTL ${planned.desired.ttl}) through ${provider.displayName}.`
      )
      return done(result)
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error
      if (attempt >= MAX_WRITE_ATTEMPTS) {
        throw new ProviderError(
          `${planned.desired.name} ${planned.desired.type} changed under us ${attempt} times in a row (another writer is updating it); nothing was overwritten. Last: ${error.message}`
        )
      }
      github.warning(
        `The record changed between read and write (${error.message}); reading it again (attempt ${attempt + 1} of ${MAX_WRITE_ATTEMPTS}).`
      )
      const again = await readAndPlan(provider, planned.zone, planned.desired)
      plan = again.plan
      record = again.record
      onReread(record)
    }
  }
}
