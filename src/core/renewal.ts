// Certificate renewal of an Entra Domain Services managed domain, as decisions on plain data:
// whether the uploaded certificate is due, which names to order, whether an issued certificate
// may be uploaded, and when the endpoint serves it. Pure: the ACME client, the DNS provider, ARM
// and the handshakes are adapters (adapters/acme.ts, adapters/entra-ds-update.ts, steps/renewal.ts).

import { createPrivateKey, createPublicKey } from 'node:crypto'
import { describeDomain, uploadedCertificateExpiry, type ManagedDomainFacts } from './entra.ts'
import { matchesDnsName } from './certificate.ts'
import { renewalRuleInput, type RenewalRule } from './renewal-window.ts'
import { OID, parseCertificate } from './x509.ts'

/** Why the managed domain's certificate is renewed, or undefined when it is not due. */
export type RenewalDue =
  { readonly due: true; readonly reason: string } | { readonly due: false; readonly reason: string }

/** What the renewal decision knows of the uploaded certificate beyond its ARM fields. */
export interface UploadedCertificateState {
  /** The uploaded leaf's notBefore (ldapsSettings.publicCertificate), for a rule that is a share of the lifetime. */
  readonly notBefore?: Date | undefined
  /** Why the uploaded certificate would not be trusted, when it was judged and is not. */
  readonly untrusted?: string | undefined
}

/**
 * Is renewal due? Due when the managed domain has no certificate date, when the certificate is
 * inside the renewal window (min-days-valid: days, or a share of the lifetime with a floor, the
 * same rule as the served certificate's), or when it would not be trusted: an untrusted
 * certificate is what renewal fixes, whatever its dates.
 */
export function isRenewalDue(
  facts: ManagedDomainFacts,
  now: Date,
  rule: RenewalRule,
  uploaded: UploadedCertificateState = {}
): RenewalDue {
  if (facts.certificateNotAfter === undefined) {
    return { due: true, reason: `${describeDomain(facts)} has no certificate date (ldapsSettings.certificateNotAfter)` }
  }
  const expiring = uploadedCertificateExpiry(facts, now, rule, uploaded.notBefore)
  if (expiring !== undefined) return { due: true, reason: expiring.message }
  if (uploaded.untrusted !== undefined) {
    return {
      due: true,
      reason: `${describeDomain(facts)}: the uploaded certificate would not be trusted (${uploaded.untrusted})`
    }
  }
  return {
    due: false,
    reason: `${describeDomain(facts)}: the uploaded certificate is valid until ${facts.certificateNotAfter.toISOString().slice(0, 10)}, outside the renewal window (min-days-valid ${renewalRuleInput(rule)})`
  }
}

/**
 * The names to order: the wildcard (domain controllers have random names, so Entra requires
 * `*.<managed domain>` as the subject) and the managed domain itself, as Microsoft's tutorial does.
 * Both are validated at one TXT name, `_acme-challenge.<managed domain>`.
 */
export function renewalNames(managedDomain: string): {
  readonly commonName: string
  readonly names: readonly string[]
} {
  const domain = managedDomain.toLowerCase().replace(/\.$/, '')
  return { commonName: `*.${domain}`, names: [`*.${domain}`, domain] }
}

/** The TXT name where the DNS-01 answer for `identifier` (the wildcard's too) is published. */
export function challengeName(identifier: string): string {
  return `_acme-challenge.${identifier.toLowerCase().replace(/^\*\./, '').replace(/\.$/, '')}`
}

/** What the CA issued and the key made in the run, as they will go into the PFX. */
export interface IssuedCertificate {
  /** Leaf first, then every intermediate, PEM. */
  readonly chainPem: readonly string[]
  readonly keyPem: string
}

export interface UploadableCertificate {
  /** SHA-1 of the leaf, 40 uppercase hex digits (what ARM returns as certificateThumbprint). */
  readonly thumbprint: string
  readonly notAfter: Date
  readonly subject: string
}

/**
 * The checks before anything is uploaded: Entra DS refuses (or, worse, accepts and then fails to
 * serve) a certificate without digital signature + key encipherment, without the server
 * authentication EKU, not covering the LDAPS name, expired, or not matching its key. Returns the
 * leaf's facts, or every problem found.
 */
export function checkUploadable(
  issued: IssuedCertificate,
  ldapsName: string,
  now: Date
):
  | { readonly ok: true; readonly certificate: UploadableCertificate }
  | { readonly ok: false; readonly problems: string[] } {
  const problems: string[] = []
  const [leafPem] = issued.chainPem
  if (leafPem === undefined) return { ok: false, problems: ['the CA returned no certificate'] }
  const leaf = parseCertificate(leafPem)
  if (issued.chainPem.length < 2) problems.push('the CA returned no intermediate certificate to put into the PFX')
  const usage = leaf.keyUsage
  for (const bit of ['digitalSignature', 'keyEncipherment'] as const) {
    if (usage !== undefined && !usage.has(bit)) {
      problems.push(
        `its key usage lacks ${bit}, which Entra Domain Services requires (an ACME profile other than classic drops keyEncipherment)`
      )
    }
  }
  if (usage === undefined)
    problems.push('it has no key usage extension (Entra requires digitalSignature and keyEncipherment)')
  if (leaf.extKeyUsage === undefined || !leaf.extKeyUsage.includes(OID.serverAuth)) {
    problems.push('its extended key usage lacks TLS server authentication (1.3.6.1.5.5.7.3.1)')
  }
  const names = leaf.subjectAltName?.dns ?? []
  if (!names.some(pattern => matchesDnsName(ldapsName, pattern))) {
    problems.push(`it does not cover ${ldapsName} (its names: ${names.join(', ') || 'none'})`)
  }
  if (leaf.notAfter.getTime() <= now.getTime() || leaf.notBefore.getTime() > now.getTime() + 3_600_000) {
    problems.push(`it is not valid now (${leaf.notBefore.toISOString()} to ${leaf.notAfter.toISOString()})`)
  }
  if (!keyMatches(leaf.x509.publicKey, issued.keyPem)) problems.push('its public key is not the key made in this run')
  if (problems.length > 0) return { ok: false, problems }
  return {
    ok: true,
    certificate: {
      thumbprint: sha1Thumbprint(leaf.x509.fingerprint),
      notAfter: leaf.notAfter,
      subject: leaf.subject
    }
  }
}

function keyMatches(publicKey: import('node:crypto').KeyObject, keyPem: string): boolean {
  try {
    const fromPrivate = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' })
    return Buffer.from(publicKey.export({ type: 'spki', format: 'der' })).equals(Buffer.from(fromPrivate))
  } catch {
    return false
  }
}

/** "AB:CD:…" (X509Certificate.fingerprint) → "ABCD…". */
function sha1Thumbprint(colonHex: string): string {
  return colonHex.replace(/:/g, '').toUpperCase()
}

/** Whether ARM's answer is the certificate sent: thumbprints compared without case or separators. */
export function sameThumbprint(a: string | undefined, b: string): boolean {
  return a !== undefined && a.replace(/[^0-9a-f]/gi, '').toUpperCase() === b.replace(/[^0-9a-f]/gi, '').toUpperCase()
}

/**
 * Both domain controllers of a replica set sit behind one external IP, so one handshake that
 * shows the new leaf proves nothing about the other: the endpoint counts as serving it after this
 * many handshakes in a row show it (a 1/2^N chance of missing a DC that still serves the old one).
 */
export const SERVED_MATCHES_IN_A_ROW = 6

/** The running count of handshakes in a row that showed the new leaf. */
export function countServedMatch(inARow: number, servedSha1: string | undefined, wanted: string): number {
  return servedSha1 !== undefined && sameThumbprint(servedSha1, wanted) ? inARow + 1 : 0
}

/** The TXT values at a name that the ACME server must see: done when every wanted value is there. */
export function txtServesAll(values: readonly string[], wanted: readonly string[]): boolean {
  return wanted.every(w => values.includes(w))
}
