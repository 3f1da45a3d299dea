// Ordering a certificate from an ACME CA (RFC 8555) with DNS-01, through acme-client
// (publishlab/node-acme-client, MIT): it carries the protocol (JWS signing with RSA or EC account
// keys, nonces and badNonce retries, EAB, polling with Retry-After, certificate download) that a
// client of our own would have to re-implement and keep right, for a lazily loaded chunk (see
// README "Renewing the certificate"; only runs with renew: acme load it).
//
// The manual flow rather than auto(): auto() checks the TXT through the runner's resolver (stale
// caches), and cannot ask for a profile. Here the DNS side (ChallengeDns) publishes every value,
// waits until every authoritative nameserver serves them, and only then are the challenges
// answered; the values are removed afterwards, whatever happened.

import type { IssuedCertificate } from '../core/renewal.ts'
import { challengeName } from '../core/renewal.ts'

/** The DNS side of DNS-01: the renewal step implements it with the DNS provider and the nameservers. */
export interface ChallengeDns {
  /** Adds each value at `name` (keeping others) and resolves once every authoritative nameserver serves them all. */
  publish(name: string, values: readonly string[]): Promise<void>
  /** Removes each value (only those); never throws, says what it could not remove. */
  remove(name: string, values: readonly string[]): Promise<void>
}

export interface CertificateOrder {
  readonly directoryUrl: string
  readonly accountKeyPem: string
  readonly eab: { readonly kid: string; readonly hmacKey: string } | undefined
  readonly commonName: string
  readonly names: readonly string[]
  readonly dns: ChallengeDns
  readonly log: (line: string) => void
  /** Every key authorisation and TXT value made, before it is published (for the redactor). */
  readonly onSecret: (value: string) => void
}

/** An ACME failure with what the CA said; messages start with "ACME". */
export class AcmeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'AcmeError'
  }
}

/** The profile asked for when the directory offers profiles: the only one that keeps keyEncipherment. */
export const ACME_PROFILE = 'classic'

export async function orderCertificate(request: CertificateOrder): Promise<IssuedCertificate> {
  const acme = await import('acme-client')
  const { log } = request
  const client = new acme.Client({
    directoryUrl: request.directoryUrl,
    accountKey: request.accountKeyPem,
    ...(request.eab === undefined
      ? {}
      : { externalAccountBinding: { kid: request.eab.kid, hmacKey: request.eab.hmacKey } }),
    // Bounded polling of authorisations and the order: about 2 minutes at most.
    backoffAttempts: 12,
    backoffMin: 1000,
    backoffMax: 15_000
  })
  const step = async <T>(what: string, body: () => Promise<T>): Promise<T> => {
    try {
      return await body()
    } catch (error) {
      if (error instanceof AcmeError) throw error
      const text = errorText(error)
      const hint =
        request.eab === undefined && /externalAccountBinding|external account/i.test(text)
          ? '; this CA binds accounts to an account of its own: set acme-eab-kid and acme-eab-hmac-key'
          : ''
      throw new AcmeError(`ACME (${request.directoryUrl}): could not ${what}: ${text}${hint}`, { cause: error })
    }
  }

  // The directory as acme-client caches it (its HTTP client is untyped; 5.4.0 is pinned): the
  // profiles it offers (draft-aaron-acme-profiles) are in meta.profiles.
  const http = (client as unknown as { http: { getDirectory(): Promise<unknown> } }).http
  const directory = (await step('read the directory', () => http.getDirectory())) as {
    meta?: { profiles?: Record<string, unknown> }
  }
  const profiles = directory.meta?.profiles
  const profile = profiles !== undefined && ACME_PROFILE in profiles ? ACME_PROFILE : undefined
  if (profiles !== undefined && profile === undefined) {
    log(
      `ACME: the directory offers the profiles ${Object.keys(profiles).join(', ')} but not ${ACME_PROFILE}; ordering with its default.`
    )
  }
  await step('register or find the account', () => findOrCreateAccount(client))
  log(`ACME: account ${client.getAccountUrl()}.`)
  const order = await step('create the order', () =>
    client.createOrder({
      identifiers: request.names.map(value => ({ type: 'dns', value })),
      ...(profile === undefined ? {} : { profile })
    } as Parameters<typeof client.createOrder>[0])
  )
  const authorizations = await step('read the authorisations', () => client.getAuthorizations(order))

  // Every pending authorisation's dns-01 answer; the wildcard and the apex share one TXT name.
  const pending: { challenge: (typeof authorizations)[number]['challenges'][number]; name: string; value: string }[] =
    []
  for (const authz of authorizations) {
    if (authz.status === 'valid') continue
    const challenge = authz.challenges.find(c => c.type === 'dns-01')
    if (challenge === undefined) {
      throw new AcmeError(
        `ACME (${request.directoryUrl}): the CA offers no dns-01 challenge for ${authz.identifier.value} (offered: ${authz.challenges.map(c => c.type).join(', ')})`
      )
    }
    const keyAuthorization = await client.getChallengeKeyAuthorization(challenge)
    // For dns-01, acme-client returns the TXT value (base64url SHA-256 of the key authorisation).
    request.onSecret(keyAuthorization)
    pending.push({ challenge, name: challengeName(authz.identifier.value), value: keyAuthorization })
  }
  const byName = new Map<string, string[]>()
  for (const p of pending) byName.set(p.name, [...(byName.get(p.name) ?? []), p.value])

  try {
    for (const [name, values] of byName) {
      log(`ACME: publishing ${values.length} TXT value(s) at ${name}.`)
      await request.dns.publish(name, values)
    }
    for (const p of pending) await step('answer the dns-01 challenge', () => client.completeChallenge(p.challenge))
    for (const p of pending) {
      await step(`have the dns-01 challenge at ${p.name} validated`, () => client.waitForValidStatus(p.challenge))
    }
  } finally {
    for (const [name, values] of byName) await request.dns.remove(name, values)
  }

  const [keyPem, csr] = await acme.crypto.createCsr(
    { commonName: request.commonName, altNames: [...request.names] },
    await acme.crypto.createPrivateRsaKey(2048)
  )
  const finalized = await step('finalize the order', () => client.finalizeOrder(order, csr))
  const bundle = await step('download the certificate', () => client.getCertificate(finalized))
  const chainPem = acme.crypto.splitPemChain(bundle)
  log(`ACME: issued, ${chainPem.length} certificate(s) in the chain.`)
  return { chainPem, keyPem: keyPem.toString() }
}

/**
 * The account of the key: looked up first (onlyReturnExisting, RFC 8555 §7.3.1), created only when
 * the CA has none. Not createAccount({termsOfServiceAgreed}) alone: for a key that already has an
 * account, acme-client follows the 200 with an account update carrying only that field, which
 * Pebble (and RFC 8555's reading of an update) refuses, so every run after the first would fail.
 */
async function findOrCreateAccount(client: import('acme-client').Client): Promise<void> {
  try {
    await client.createAccount({ onlyReturnExisting: true })
  } catch {
    // accountDoesNotExist, worded differently by each CA (acme-client keeps only the detail); any
    // other failure of the lookup shows again, and is reported, when the account is created.
    await client.createAccount({ termsOfServiceAgreed: true })
  }
}

/** What an acme-client or CA error says, in one line (the CA's problem detail is outside text). */
function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.replace(/\s+/g, ' ').trim().slice(0, 500)
}
