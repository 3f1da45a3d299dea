// The action: point `domain` at `ip`, wait until every authoritative nameserver serves it, and
// verify that an LDAP client would trust the certificate served there. In check mode nothing is
// written and every difference is drift.

import * as core from '@actions/core'
import { InputError, type ParsedInputs } from './core/inputs.ts'
import {
  createReport,
  failed,
  setReportTarget,
  succeeded,
  type Finding,
  type FindingCode,
  type Report,
  type Step,
  type StepOutcome,
  type StepResult
} from './core/report.ts'
import type { Settings } from './core/settings.ts'
import { decideOutcome } from './core/outcome.ts'
import { planRun, type RunPlan } from './core/run-plan.ts'
import { readBoundedFile } from './adapters/files.ts'
import * as github from './adapters/github.ts'
import { publishAnnotations, publishOutputs, publishSummary } from './adapters/github.ts'
import { createProvider, parseInputs, secretInputs } from './adapters/providers/index.ts'
import type { DnsProvider, WriteResult } from './adapters/providers/provider.ts'
import { planDnsChange, writeDnsChange, type DnsPlanResult, type PlannedChange } from './steps/dns-record.ts'
import { checkPropagation } from './steps/propagation.ts'
import { reportDriftIssue } from './steps/drift-issue.ts'
import type { EntraStage } from './steps/entra.ts'

export async function run(): Promise<void> {
  // The runner's environment, read here once and handed to the adapters that need it.
  const environment = process.env
  maskSecrets(environment)
  const parsed = readSettings(environment)
  if (parsed instanceof InputError) return failOnInputs(parsed, environment)
  const declared = parsed.settings
  // Apply or check, decided once: what this run writes, waits for, or reads once.
  const plan = planRun(declared, environment['GITHUB_EVENT_NAME'])
  const report = createReport({ ...declared, provider: declared.provider.kind, now: new Date() })
  report.findings.push(...parsed.warnings.map(inputWarning))
  const context: RunContext = { report, plan, environment }

  // The managed domain may supply ip and domain, so it is read first.
  const entra = (await runStep(context, readManagedDomain, declared))?.stage
  const settings = entra?.settings ?? declared
  if (declared.entra !== undefined && (settings.ip === '' || settings.domain === '')) {
    return publish(report, settings, plan, environment)
  }
  const dns = await upsertRecord(context, settings, entra)
  await runStep(context, checkNameservers, { settings, dns })
  if (entra !== undefined) await runStep(context, renewIfDue, { settings, stage: entra, dns })
  await runStep(context, verifyCertificate, { settings, entra })
  if (entra !== undefined) await runStep(context, finishEntraStage, entra)
  await publish(report, settings, plan, environment)
}

interface RunContext {
  readonly report: Report
  readonly plan: RunPlan
  readonly environment: NodeJS.ProcessEnv
}

/**
 * One step of the run: whether it runs, and what it found. `run` returns a failure rather than
 * throwing it, with what the step had found before it failed; anything it throws all the same
 * is its failure too, with nothing found.
 */
interface RunStep<Input, Result extends StepResult<Partial<Report>>> {
  readonly id: Step
  when(context: RunContext, input: Input): boolean
  run(context: RunContext, input: Input): Promise<StepOutcome<Result>>
}

/**
 * Runs one step and puts what it found into the report: its result, or undefined when it did not
 * run or failed. A failing step records its error and the run goes on with the steps that do
 * not depend on it: a DNS API failure must not hide an expiring certificate from a scheduled check.
 */
async function runStep<Input, Result extends StepResult<Partial<Report>>>(
  context: RunContext,
  step: RunStep<Input, Result>,
  input: Input
): Promise<Result | undefined> {
  const { report, plan } = context
  if (!step.when(context, input)) return undefined
  let outcome: StepOutcome<Result>
  try {
    outcome = await step.run(context, input)
  } catch (error) {
    outcome = failed(error)
  }
  if (outcome.ok) {
    addToReport(report, outcome.result)
    return outcome.result
  }
  // What the step had found before it failed is still reported, before its error.
  if (outcome.partial !== undefined) addToReport(report, outcome.partial)
  report.findings.push({
    severity: 'error',
    step: step.id,
    code: 'step-failed',
    title: `${stepTitle[step.id]} failed`,
    message: errorMessage(outcome.error),
    drift: plan.differencesAreDrift
  })
  return undefined
}

/** Puts a step's result into the report: its part, then its findings after those already there. */
function addToReport(report: Report, result: StepResult<Partial<Report>>): void {
  Object.assign(report, result.part)
  report.findings.push(...result.findings)
}

function inputWarning(w: ParsedInputs['warnings'][number]): Finding {
  return {
    severity: 'warning',
    step: 'inputs',
    code: 'input-warning',
    title: `Input ${w.input}`,
    message: `input "${w.input}": ${w.message}`
  }
}

/**
 * Step 0, Entra Domain Services: reads the managed domain (it may supply ip and domain); the
 * reads of its subnets' NSGs then run beside the DNS plan and are gathered by finishEntraStage.
 * No stage when the managed domain could not be read.
 */
const readManagedDomain: RunStep<Settings, StepResult<Pick<Report, 'entra'>> & { readonly stage: EntraStage }> = {
  id: 'entra',
  when: (_, declared) => declared.entra !== undefined,
  async run({ report, plan, environment }, declared) {
    // Loaded here, so runs without the stage never load the Azure SDKs it needs.
    const { startEntraStage } = await import('./steps/entra.ts')
    const stage = await core.group('0. Read the Entra Domain Services managed domain', () =>
      startEntraStage(declared, { plan, env: environment })
    )
    const { target, ...part } = stage.part
    if (target !== undefined) setReportTarget(report, target)
    return succeeded({ part, findings: stage.findings, stage })
  }
}

interface DnsSteps {
  readonly provider: DnsProvider | undefined
  readonly planned: PlannedChange | undefined
  readonly write: WriteResult | undefined
  /** Whether the record is now as declared (planned, and written where needed) by this run. */
  readonly done: boolean
}

/** Steps 1 and 2: plan the DNS change through the provider, then write it (apply mode). */
async function upsertRecord(context: RunContext, settings: Settings, entra: EntraStage | undefined): Promise<DnsSteps> {
  const opened = await runStep(context, openProvider, settings)
  const provider = opened?.provider
  const planned = provider === undefined ? undefined : await runStep(context, planDns, { settings, provider })
  const change = planned?.planned
  const notWritten = { provider, planned: change, write: undefined }
  if (opened === undefined || (provider !== undefined && planned === undefined)) return { ...notWritten, done: false }
  // A CNAME at the name is already a finding of the plan; there is nothing to write or wait for.
  // Nor when the managed domain disagrees with the inputs or cannot serve secure LDAP (apply mode).
  if (change?.plan.action === 'conflict' || entra?.dnsAllowed === false) return { ...notWritten, done: false }
  if (provider === undefined || change === undefined) return { ...notWritten, done: true }
  const written = await runStep(context, writeDns, { provider, change })
  return { provider, planned: change, write: written?.write, done: written !== undefined }
}

/** The DNS provider's client (undefined: provider none); part of the plan step, as its failure is. */
const openProvider: RunStep<Settings, StepResult<Partial<Report>> & { readonly provider: DnsProvider | undefined }> = {
  id: 'dns-plan',
  when: () => true,
  async run({ environment }, settings) {
    const provider = await createProvider(settings.provider, environment)
    if (provider === undefined) core.info('provider is none: the DNS record is neither read nor written.')
    return succeeded({ part: {}, findings: [], provider })
  }
}

const planDns: RunStep<{ readonly settings: Settings; readonly provider: DnsProvider }, DnsPlanResult> = {
  id: 'dns-plan',
  when: () => true,
  run: async ({ plan }, { settings, provider }) =>
    succeeded(await core.group('1. Plan the DNS change', () => planDnsChange(settings, provider, plan)))
}

type DnsWriteStepResult = StepResult<Partial<Report>> & { readonly write: WriteResult | undefined }

const writeDns: RunStep<{ readonly provider: DnsProvider; readonly change: PlannedChange }, DnsWriteStepResult> = {
  id: 'dns-write',
  when: () => true,
  run: ({ plan }, { provider, change }) =>
    core.group('2. Write the DNS record', async (): Promise<StepOutcome<DnsWriteStepResult>> => {
      if (plan.writesRecord) return writeDnsChange(provider, change)
      core.info('mode is check: nothing is written.')
      return succeeded({ part: {}, findings: [], write: undefined })
    })
}

/**
 * Step 3: wait until every authoritative nameserver serves the record, or (check) read each once.
 * In check mode nothing was written, so this reads each nameserver once instead of waiting; in
 * apply mode there is nothing to wait for when the write failed.
 */
const checkNameservers: RunStep<
  { readonly settings: Settings; readonly dns: DnsSteps },
  StepResult<Partial<Report>>
> = {
  id: 'propagation',
  when: ({ plan }, { dns }) => plan.readsNameserversOnce || (plan.waitsForNameservers && dns.done),
  run: ({ plan }, { settings, dns }) =>
    core.group('3. Check the authoritative nameservers', async () => {
      const { provider, planned, write } = dns
      const zone = planned?.zone.name ?? settings.zone
      const step = await checkPropagation({ settings, plan, zone, provider, write })
      return succeeded({ part: { propagation: step.part }, findings: step.findings })
    })
}

/** Renewal (renew: acme): a new certificate for the managed domain when due, before it is verified. */
const renewIfDue: RunStep<
  { readonly settings: Settings; readonly stage: EntraStage; readonly dns: DnsSteps },
  StepResult<Partial<Report>>
> = {
  id: 'renewal',
  when: (_, { settings }) => settings.renewal !== undefined,
  run: ({ report, environment }, { settings, stage, dns }) =>
    core.group("3b. Renew the managed domain's certificate", async () => {
      // Loaded here, so runs without renew never load the ACME client and all of node-forge.
      const { renewCertificate } = await import('./steps/renewal.ts')
      const outcome = await renewCertificate({
        settings,
        renewal: settings.renewal!,
        stage,
        provider: dns.provider,
        env: environment
      })
      // The renewed certificate resolves the expiry the managed domain was read with.
      if (outcome.ok && outcome.result.part.renewal.state === 'renewed') {
        report.findings = report.findings.filter(f => !RESOLVED_BY_RENEWAL.has(f.code))
      }
      return outcome
    })
}

/** The findings of the Entra stage that a renewed certificate answers. */
const RESOLVED_BY_RENEWAL: ReadonlySet<FindingCode> = new Set([
  'entra-certificate-expired',
  'entra-certificate-renewal-due'
])

/**
 * Step 4: would an LDAP client trust the certificate served where the name points? With the
 * Entra stage, certificate-source may judge the certificate uploaded to the managed domain
 * instead: always (managed-domain), or (auto) when port 636 does not answer this runner because
 * the NSG restricts it, which a GitHub-hosted runner meets on a locked-down managed domain.
 */
const verifyCertificate: RunStep<
  { readonly settings: Settings; readonly entra: EntraStage | undefined },
  StepResult<Partial<Report>>
> = {
  id: 'certificate',
  when: (_, { settings }) => settings.certificate.verify,
  run: ({ environment }, { settings, entra }) =>
    core.group('4. Verify the certificate', async () => {
      // Loaded here, so runs that skip the check (and input errors) never parse ldapts and node-forge.
      const steps = await import('./steps/certificate.ts')
      const source = entra === undefined ? 'endpoint' : settings.certificate.source
      if (entra !== undefined && source === 'managed-domain') {
        const reason = `certificate-source is managed-domain; judged the certificate uploaded to ${entra.description}; the served certificate was not checked`
        return succeeded(await judgeUploaded(steps, settings, entra, reason))
      }
      const served = await steps.verifyCertificate(settings, () => new Date(), environment)
      if (served.ok && entra !== undefined && source === 'auto' && served.result.unanswered !== undefined) {
        const network = await entra.networkVerdict()
        if (network?.exposure === 'restricted') {
          const reason = `port ${settings.certificate.port} is not open to this runner (NSG restricted, rule ${network.rule ?? '?'}); judged the certificate uploaded to ${entra.description} instead; the served certificate was not checked`
          github.info(served.result.unanswered)
          github.info(reason)
          return succeeded(await judgeUploaded(steps, settings, entra, reason))
        }
      }
      return served
    })
}

async function judgeUploaded(
  steps: typeof import('./steps/certificate.ts'),
  settings: Settings,
  entra: EntraStage,
  reason: string
): Promise<StepResult<Partial<Report>>> {
  const uploaded = entra.uploadedCertificate()
  if (!uploaded.ok) {
    throw new Error(
      `${entra.description}: ${uploaded.reason}, so the certificate uploaded to it cannot be judged (${reason.split('; ')[0]})`
    )
  }
  return steps.judgeUploadedCertificate(settings, { leaf: uploaded.certificate, owner: entra.description, reason })
}

/** The end of the Entra stage: the served certificate against the uploaded one, and the NSG verdicts. */
const finishEntraStage: RunStep<EntraStage, StepResult<Partial<Report>>> = {
  id: 'entra',
  when: () => true,
  run: ({ report }, stage) =>
    core.group("5. Check the managed domain's certificate and network security groups", () =>
      stage.finish(report.certificate)
    )
}

const stepTitle: Record<Step, string> = {
  inputs: 'Input validation',
  'dns-plan': 'DNS plan',
  'dns-write': 'DNS write',
  propagation: 'Propagation',
  certificate: 'Certificate check',
  'drift-issue': 'Drift issue',
  entra: 'Entra Domain Services stage',
  renewal: 'Certificate renewal'
}

/**
 * Masks every secret input before anything else can print it, and hands the same values (with
 * the AWS credentials and the runner's ID-token request token, which come from the environment)
 * to the redaction at the publishing edge: outputs, summary, annotations and the drift issue.
 */
function maskSecrets(environment: NodeJS.ProcessEnv): void {
  const values: string[] = []
  for (const name of secretInputs()) {
    const value = core.getInput(name)
    if (value !== '') core.setSecret(value)
    values.push(value)
  }
  for (const name of ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN']) {
    values.push(environment[name] ?? '')
  }
  github.useSecrets(values)
}

function readSettings(environment: NodeJS.ProcessEnv): ParsedInputs | InputError {
  try {
    // A relative ca-certificate path is read from the working directory, the workspace on a runner.
    // Every INPUT_* variable must be an input: a misspelt with: key fails here, before any request.
    return parseInputs(
      name => core.getInput(name),
      path => readBoundedFile(path),
      Object.keys(environment)
    )
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
}

async function failOnInputs(error: InputError, environment: NodeJS.ProcessEnv): Promise<void> {
  const report = createReport({
    domain: core.getInput('domain'),
    ip: core.getInput('ip'),
    mode: undefined,
    provider: undefined,
    now: new Date()
  })
  report.findings = error.violations.map(v => ({
    severity: 'error',
    step: 'inputs',
    code: 'input-invalid',
    title: `Invalid input ${v.input}`,
    message: `input "${v.input}": ${v.message}`
  }))
  await publish(report, undefined, undefined, environment)
}

/**
 * Outputs, annotations, summary and drift issue, as far as the run got; then the verdict. Each
 * sink is written even when another fails (an unwritable GITHUB_OUTPUT still leaves a summary),
 * and every one of them redacts and escapes through adapters/github.ts.
 */
async function publish(
  report: Report,
  settings: Settings | undefined,
  plan: RunPlan | undefined,
  environment: NodeJS.ProcessEnv
): Promise<void> {
  const decided = decideOutcome(report.findings, plan)
  report.findings = decided.findings
  if (decided.drift !== undefined) report.drift = decided.drift
  report.outcome = decided.outcome
  if (settings !== undefined && plan?.reportsDriftIssue) {
    try {
      report.driftIssue = await reportDriftIssue(github.redactReport(report), settings, environment)
    } catch (error) {
      report.findings.push({
        severity: 'warning',
        step: 'drift-issue',
        code: 'drift-issue-not-updated',
        title: 'Drift issue not updated',
        message: errorMessage(error)
      })
    }
  }
  let outputError: string | undefined
  try {
    publishOutputs(report)
  } catch (error) {
    outputError = `Could not write the step outputs (GITHUB_OUTPUT): ${errorMessage(error)}`
    github.debugStack(error)
  }
  try {
    await publishSummary(report)
  } catch (error) {
    github.warning(`Could not write the job summary: ${errorMessage(error)}`)
  }
  // One annotation per finding; a single error is the failure message itself, titled as its
  // finding ("Certificate validity"), so it is not annotated twice.
  const errors = report.findings.filter(f => f.severity === 'error')
  publishAnnotations(errors.length === 1 ? report.findings.filter(f => f !== errors[0]) : report.findings)
  if (errors.length === 1) github.fail(errors[0]!.message, errors[0]!.title || undefined)
  else if (errors.length > 1) github.fail(`${errors.length} problems: ${errors.map(e => e.title).join('; ')}`)
  if (outputError !== undefined) github.fail(outputError)
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
