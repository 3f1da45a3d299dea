// Certificate renewal (renew: acme): when the managed domain's certificate is due, order one for
// *.<managed domain> and <managed domain> with DNS-01 through the DNS provider, check it, build
// the TripleDES-SHA1 PFX, upload it to the managed domain (one attempt), and wait until the
// endpoint serves it. The decisions are core/renewal.ts and core/pfx.ts; the CA, ARM, DNS and the
// handshakes are adapters. Nothing is written to disk: the key, the PFX and its password live in
// memory only, and every secret made here is masked and handed to the redactor before use.

import { randomBytes, X509Certificate } from 'node:crypto'
import * as github from '../adapters/github.ts'
import {
  checkUploadable,
  countServedMatch,
  isRenewalDue,
  renewalNames,
  sameThumbprint,
  SERVED_MATCHES_IN_A_ROW,
  txtServesAll
} from '../core/renewal.ts'
import { buildPfx, PBE_SHA1_3DES, readPfx } from '../core/pfx.ts'
import { nextPollAt } from '../core/propagation.ts'
import { isInZone } from '../core/names.ts'
import {
  failed,
  succeeded,
  type Finding,
  type RenewalReport,
  type StepOutcome,
  type StepResult
} from '../core/report.ts'
import type { RenewalSettings, Settings } from '../core/settings.ts'
import { formatServer, queryDns, systemResolvers } from '../adapters/dns-client.ts'
import { findAuthoritativeServers } from '../adapters/nameservers.ts'
import { probeTls } from '../adapters/tls-probe.ts'
import { orderCertificate, type ChallengeDns } from '../adapters/acme.ts'
import { createEntraWriter, type EntraWriter } from '../adapters/entra-ds-update.ts'
import type { DnsProvider, ZoneRef } from '../adapters/providers/provider.ts'
import type { ArmSessionOptions } from '../adapters/azure/arm.ts'
import type { EntraPart, EntraStage } from './entra.ts'
import { judgeUploadedCertificate } from './certificate.ts'

/** TTL of the challenge TXT values: short, since they are removed minutes later. */
export const CHALLENGE_TTL_SECONDS = 60

/** Time between handshakes while waiting for the endpoint to serve the renewed leaf. */
export const SERVED_POLL_MS = 2_000

/** Handshakes that all fail to connect before the endpoint counts as out of the runner's reach. */
export const UNREACHABLE_AFTER = 3

/** Environment variable for the upload's poll interval (ms); tests shorten ARM's 30 s. */
export const UPLOAD_POLL_ENV = 'LDAPS_DNS_ACTION_RENEW_POLL_MS'

export interface RenewalContext {
  readonly settings: Settings
  readonly renewal: RenewalSettings
  readonly stage: EntraStage
  readonly provider: DnsProvider | undefined
  readonly env: NodeJS.ProcessEnv
  readonly now?: () => Date
  readonly writer?: EntraWriter
  readonly azure?: ArmSessionOptions
}

export interface RenewalPart {
  readonly renewal: RenewalReport
  /** The Entra stage's part after the upload (the new thumbprint), when one was uploaded. */
  readonly entra?: EntraPart['entra']
}

class RenewalError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RenewalError'
  }
}

/**
 * The renewal decision (core/renewal.ts) with what only I/O can add: when the dates alone do not
 * make it due, the uploaded certificate is judged for trust as the certificate step would judge it
 * (chain from its AIA URLs, the same anchors), since an untrusted certificate is what renewal fixes.
 */
/** What a certificate from the CA fixes: the leaf's own name, dates, usage and key. */
const RENEWAL_FIXES: ReadonlySet<string> = new Set(['name', 'validity', 'usage', 'strength'])

async function renewalDue(settings: Settings, stage: EntraStage, now: Date) {
  const rule = settings.certificate.minDaysValid
  const uploaded = stage.uploadedCertificate()
  const notBefore = uploaded.ok ? uploaded.certificate.notBefore : undefined
  const byDate = isRenewalDue(stage.facts, now, rule, { notBefore })
  if (byDate.due || !uploaded.ok) return byDate
  const judged = await judgeUploadedCertificate(
    { ...settings, ldapBind: undefined },
    { leaf: uploaded.certificate, owner: stage.description, reason: 'judged to decide whether renewal is due' },
    () => now
  )
  const problems = (judged.part.certificate?.problems ?? []).filter(p => {
    if (RENEWAL_FIXES.has(p.rule)) return true
    // A trust failure counts only where it is the certificate's own (self-signed, or no issuer
    // URL to build its chain from): a failed AIA fetch must not order a certificate every run.
    return p.rule === 'trust' && (uploaded.certificate.selfSigned || uploaded.certificate.caIssuersUrls.length === 0)
  })
  if (problems.length === 0) return byDate
  return isRenewalDue(stage.facts, now, rule, { notBefore, untrusted: problems.map(p => p.message).join('; ') })
}

export async function renewCertificate(context: RenewalContext): Promise<StepOutcome<StepResult<RenewalPart>>> {
  const { settings, renewal, stage, provider } = context
  const now = context.now ?? (() => new Date())
  const facts = stage.facts
  const previous = {
    thumbprint: facts.certificateThumbprint?.toUpperCase(),
    notAfter: facts.certificateNotAfter?.toISOString()
  }
  const base = { directory: renewal.directoryUrl, previous, armWrites: 0 }
  const due = await renewalDue(settings, stage, now())
  if (!due.due) {
    github.info(`Renewal not due: ${due.reason}.`)
    return succeeded({ part: { renewal: { ...base, state: 'not-due', reason: due.reason } }, findings: [] })
  }
  github.info(`Renewal due: ${due.reason}.`)
  const findings: Finding[] = []
  let stageReached: RenewalReport['stage'] = 'order'
  let armWrites = 0
  // Where it stopped, and what it found on the way (a challenge value left behind), before the error.
  const stopped = (error: unknown): StepOutcome<StepResult<RenewalPart>> =>
    failed(error, {
      part: { renewal: { ...base, armWrites, state: 'failed', reason: due.reason, stage: stageReached } },
      findings
    })
  try {
    if (provider === undefined) {
      throw new RenewalError(
        settings.provider.kind === 'none'
          ? 'Renewal: renew acme answers the DNS-01 challenge through the DNS provider, and provider is none; set provider (and its inputs) for the zone of the managed domain'
          : 'Renewal: the DNS provider could not be set up (see the DNS plan error), so the DNS-01 challenge cannot be answered; nothing was ordered'
      )
    }
    const { commonName, names } = renewalNames(facts.domainName)
    const zoneHint =
      settings.zone !== undefined && isInZone(facts.domainName, settings.zone) ? settings.zone : undefined
    const zone = await provider.findZone(facts.domainName, zoneHint)
    const dns = challengeDns(provider, zone, settings, findings)
    const issued = await orderCertificate({
      directoryUrl: renewal.directoryUrl,
      accountKeyPem: renewal.accountKeyPem,
      eab: renewal.eab,
      commonName,
      names,
      dns,
      log: line => github.info(line),
      onSecret: hide
    })
    hide(issued.keyPem)

    stageReached = 'checks'
    const checked = checkUploadable(issued, settings.domain, now())
    if (!checked.ok) {
      throw new RenewalError(
        `Renewal: the issued certificate is not uploaded: ${checked.problems.join('; ')}; the managed domain keeps its current certificate`
      )
    }
    const leaf = checked.certificate
    const password = randomBytes(24).toString('base64url')
    hide(password)
    const pfx = buildPfx(issued.keyPem, issued.chainPem, password)
    hide(pfx)
    assertPfx(pfx, password, issued.chainPem)

    stageReached = 'upload'
    const writer =
      context.writer ??
      createEntraWriter(settings.entra!, {
        ...context.azure,
        env: context.env,
        totalBudgetMs: renewal.timeoutMinutes * 60_000
      })
    const deadline = Date.now() + renewal.timeoutMinutes * 60_000
    github.info(
      `Uploading the renewed certificate ${leaf.thumbprint} (expires ${leaf.notAfter.toISOString()}) to managed domain ${facts.domainName}.`
    )
    armWrites = 1
    const uploaded = await writer.uploadCertificate({
      resourceGroup: facts.resourceGroup,
      name: facts.name,
      ldaps: facts.ldaps ?? 'Enabled',
      externalAccess: facts.externalAccess ?? 'Enabled',
      pfxBase64: pfx,
      pfxPassword: password,
      timeoutMs: renewal.timeoutMinutes * 60_000,
      pollIntervalMs: pollInterval(context.env)
    })
    if (!sameThumbprint(uploaded.thumbprint, leaf.thumbprint)) {
      throw new RenewalError(
        `Renewal: managed domain ${facts.domainName} reports certificate thumbprint ${uploaded.thumbprint ?? '(none)'} after the upload (provisioningState ${uploaded.provisioningState ?? '?'}), not the renewed ${leaf.thumbprint}; the upload did not take effect`
      )
    }
    const renewed = {
      thumbprint: leaf.thumbprint,
      notAfter: (uploaded.notAfter ?? leaf.notAfter).toISOString(),
      subject: leaf.subject
    }
    const entra = stage.renewed({
      thumbprint: leaf.thumbprint,
      notAfter: uploaded.notAfter ?? leaf.notAfter,
      publicCertificate: new X509Certificate(issued.chainPem[0]!).raw.toString('base64')
    }).entra

    stageReached = 'served'
    const served = await waitUntilServed(settings, leaf.thumbprint, deadline, findings)
    if (served !== undefined && served.inARow < served.needed) {
      findings.push({
        step: 'renewal',
        severity: 'error',
        code: 'renewal-not-served',
        title: 'Renewed certificate not served',
        message: `Renewal: the managed domain took the renewed certificate ${leaf.thumbprint}, but ${settings.domain}:${settings.certificate.port} at ${settings.certificate.connectTo} did not serve it in ${served.needed} handshakes in a row before renew-timeout (${served.inARow} at the end, ${served.handshakes} handshakes)`
      })
    }
    return succeeded({
      part: {
        renewal: {
          ...base,
          armWrites,
          state: 'renewed',
          reason: due.reason,
          renewed,
          ...(served === undefined ? {} : { served })
        },
        entra
      },
      findings
    })
  } catch (error) {
    return stopped(error)
  }
}

/** Masks a secret made in this run in the log and hands it to the redactor of every sink. */
function hide(value: string): void {
  github.addSecrets(value)
}

/** The PFX read back before it leaves: the password opens it, the key and the whole chain are in it, TripleDES-SHA1. */
function assertPfx(pfx: string, password: string, chainPem: readonly string[]): void {
  const contents = readPfx(pfx, password)
  const wanted = chainPem.map(pem => Buffer.from(new X509Certificate(pem).raw))
  const problems: string[] = []
  if (!contents.hasKey) problems.push('it holds no private key')
  if (wanted.some(der => !contents.certificatesDer.some(c => c.equals(der))))
    problems.push('a certificate of the chain is missing')
  if (contents.keyBagAlgorithms.length === 0 || contents.keyBagAlgorithms.some(a => a !== PBE_SHA1_3DES)) {
    problems.push(`its key is not encrypted with TripleDES-SHA1 (${contents.keyBagAlgorithms.join(', ') || 'none'})`)
  }
  if (problems.length > 0) throw new RenewalError(`Renewal: the PFX built for upload is wrong: ${problems.join('; ')}`)
}

function pollInterval(env: NodeJS.ProcessEnv): number | undefined {
  const value = Number(env[UPLOAD_POLL_ENV])
  return Number.isInteger(value) && value > 0 ? value : undefined
}

/**
 * DNS-01 through the provider: each value added on its own (other values at the name stay), then
 * every authoritative nameserver asked directly until it serves them all; removal one value at a
 * time, a failure reported as a warning (a stale value is harmless, but piles up).
 */
function challengeDns(provider: DnsProvider, zone: ZoneRef, settings: Settings, findings: Finding[]): ChallengeDns {
  return {
    async publish(name, values) {
      for (const value of values) await provider.txt.addTxtValue(zone, name, value, CHALLENGE_TTL_SECONDS)
      await waitForTxt(name, values, zone, settings)
    },
    async remove(name, values) {
      for (const value of values) {
        try {
          await provider.txt.removeTxtValue(zone, name, value)
        } catch (error) {
          findings.push({
            step: 'renewal',
            severity: 'warning',
            code: 'renewal-challenge-not-removed',
            title: 'Challenge TXT value not removed',
            message: `Renewal: could not remove a challenge value at ${name} through ${provider.displayName} (${(error as Error).message}); remove stale _acme-challenge values by hand`
          })
        }
      }
      github.info(`ACME: removed the challenge value(s) at ${name}.`)
    }
  }
}

/** Polls every authoritative nameserver address of the zone until each serves every value, within propagation-timeout. */
async function waitForTxt(name: string, values: readonly string[], zone: ZoneRef, settings: Settings): Promise<void> {
  const options = settings.propagation
  const resolvers = options.resolvers.length > 0 ? options.resolvers : systemResolvers()
  const timeoutMs = 1500
  // propagation-timeout bounds finding the nameservers and the wait together, as for the record.
  const now = (): number => performance.now()
  const start = now()
  const deadline = start + options.timeoutSeconds * 1000
  const servers = await findAuthoritativeServers({
    ...{ domain: name, zone: zone.name, listed: options.nameservers, resolvers, timeoutMs },
    ...{ now, deadline, timeoutSeconds: options.timeoutSeconds }
  })
  const phase = Math.random()
  let waiting = [...servers.targets]
  for (;;) {
    const answers = await Promise.all(
      waiting.map(async target => {
        try {
          const response = await queryDns(target.server, name, 'TXT', { timeoutMs })
          const found = response.answers
            .filter(a => a.type === 'TXT' && a.name === name.toLowerCase())
            .map(a => txtText(a.data))
          return response.authoritative && txtServesAll(found, values)
        } catch {
          return false
        }
      })
    )
    waiting = waiting.filter((_, i) => !answers[i])
    if (waiting.length === 0) break
    const elapsed = performance.now() - start
    const next = nextPollAt(elapsed, phase)
    if (start + next > deadline) {
      throw new RenewalError(
        `Renewal: the challenge TXT at ${name} did not reach ${waiting.map(t => `${t.nameserver} (${formatServer(t.server)})`).join(', ')} within propagation-timeout (${options.timeoutSeconds} s); the challenge was not answered`
      )
    }
    await new Promise(resolve => setTimeout(resolve, next - elapsed))
  }
  github.info(
    `ACME: every authoritative nameserver of ${servers.zone ?? zone.name} serves the challenge at ${name} after ${((performance.now() - start) / 1000).toFixed(2)} s.`
  )
}

/** A TXT record's character-strings joined (dns-packet gives a Buffer or an array of them). */
function txtText(data: unknown): string {
  const parts = Array.isArray(data) ? data : [data]
  return parts.map(p => (Buffer.isBuffer(p) ? p.toString('utf8') : String(p))).join('')
}

/**
 * Handshakes until SERVED_MATCHES_IN_A_ROW in a row show the renewed leaf, or the deadline.
 * Undefined when the endpoint cannot be reached from the runner (then a notice says so and the
 * managed domain's own answer stands).
 */
async function waitUntilServed(
  settings: Settings,
  thumbprint: string,
  deadline: number,
  findings: Finding[]
): Promise<RenewalReport['served']> {
  const { certificate } = settings
  if (!certificate.verify) {
    github.info('verify-certificate is false: the endpoint is not watched for the renewed certificate.')
    return undefined
  }
  let inARow = 0
  let handshakes = 0
  let reached = false
  let lastError = ''
  while (inARow < SERVED_MATCHES_IN_A_ROW) {
    handshakes++
    try {
      const result = await probeTls({
        protocol: certificate.protocol,
        connectTo: certificate.connectTo,
        port: certificate.port,
        peer: settings.domain,
        trustAnchorsPem: certificate.trustAnchorsPem,
        readRootDse: false,
        timeouts: { connectMs: 5_000, handshakeMs: 10_000, startTlsMs: 5_000 }
      })
      reached = true
      const leaf = result.served[0]
      const sha1 = leaf === undefined ? undefined : new X509Certificate(leaf).fingerprint
      inARow = countServedMatch(inARow, sha1, thumbprint)
    } catch (error) {
      inARow = 0
      lastError = (error as Error).message
    }
    if (inARow >= SERVED_MATCHES_IN_A_ROW) break
    // Not once reachable in the first handshakes: the runner cannot see the endpoint; stop here.
    if (!reached && handshakes >= UNREACHABLE_AFTER) break
    if (Date.now() + SERVED_POLL_MS > deadline) break
    await new Promise(resolve => setTimeout(resolve, SERVED_POLL_MS))
  }
  if (!reached) {
    findings.push({
      step: 'renewal',
      severity: 'notice',
      code: 'renewal-endpoint-unreachable',
      title: 'Endpoint not reachable for the renewal check',
      message: `Renewal: ${settings.domain}:${certificate.port} at ${certificate.connectTo} could not be reached from the runner (${lastError}); the managed domain's own thumbprint confirms the upload`
    })
    return undefined
  }
  github.info(
    `${settings.domain}: ${inARow} handshakes in a row showed the renewed certificate (${handshakes} in all).`
  )
  return { inARow, needed: SERVED_MATCHES_IN_A_ROW, handshakes }
}
