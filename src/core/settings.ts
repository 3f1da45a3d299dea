// The typed, validated configuration of one run. Built once by parseInputs and frozen; everything
// downstream reads this instead of the raw action inputs.

import type { RenewalRule } from './renewal-window.ts'

export type Mode = 'apply' | 'check'
export type RecordType = 'A' | 'AAAA'
/** A provider module's name, or 'none'. */
export type ProviderName = string
export type TlsProtocol = 'ldaps' | 'starttls' | 'tls'
export type AzureEnvironment = 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud'
export type TsigAlgorithm = 'hmac-md5' | 'hmac-sha1' | 'hmac-sha224' | 'hmac-sha256' | 'hmac-sha384' | 'hmac-sha512'

/** A server address as given in an input: a host name or IP literal and a port. */
export interface HostPort {
  readonly host: string
  readonly port: number
}

export interface AzureSettings {
  readonly kind: 'azure'
  readonly subscriptionId: string
  readonly resourceGroup: string | undefined
  readonly clientId: string | undefined
  readonly tenantId: string | undefined
  readonly clientSecret: string | undefined
  readonly environment: AzureEnvironment
  /** Explicit ARM endpoint; undefined means the environment's public endpoint. */
  readonly resourceManagerEndpoint: string | undefined
}

export interface NoProviderSettings {
  readonly kind: 'none'
}

/**
 * What core knows of a provider's settings: its kind (the provider input). Each provider module
 * (src/adapters/providers/) defines its own settings type, so a new provider touches no core file;
 * only AzureSettings lives here, since the Entra stage (a core type) signs in with it.
 */
export interface ProviderSettings {
  readonly kind: string
}

export interface PropagationSettings {
  readonly wait: boolean
  readonly timeoutSeconds: number
  /** Recursive resolvers for discovery; empty means the runner's own. */
  readonly resolvers: readonly HostPort[]
  /** Authoritative servers to check; empty means discover them. */
  readonly nameservers: readonly HostPort[]
}

export type CertificateSourceChoice = 'auto' | 'endpoint' | 'managed-domain'

export interface CertificateSettings {
  readonly verify: boolean
  readonly protocol: TlsProtocol
  readonly port: number
  /** Where the probe connects; the ip input unless connect-to is given. */
  readonly connectTo: string
  /** Extra trust anchors from ca-certificate, as PEM blocks. */
  readonly trustAnchorsPem: readonly string[]
  /** min-days-valid: when a valid certificate is due for renewal. */
  readonly minDaysValid: RenewalRule
  /** fail-on-renewal-due: renewal due fails the run (else it is a warning). */
  readonly failOnRenewalDue: boolean
  /**
   * certificate-source: which certificate is judged. endpoint: the one served at connect-to;
   * managed-domain: the one uploaded to the Entra DS managed domain, without connecting; auto:
   * the endpoint, or the uploaded one when the endpoint does not answer and the NSG restricts
   * TCP 636 (the runner is not among the allowed sources). Always endpoint without the Entra stage.
   */
  readonly source: CertificateSourceChoice
  /** 64 lowercase hex digits, or undefined when no pin is set. */
  readonly expectedFingerprint: string | undefined
}

export interface DriftSettings {
  readonly failOnDrift: boolean
  readonly openIssue: boolean
  readonly githubToken: string
}

/** The optional authenticated bind over the verified channel (ldap-bind-* inputs). */
export interface LdapBindSettings {
  /** A DN, a UPN or a down-level name, as given. */
  readonly dn: string
  /** Secret: masked before anything runs, never put into any message or output. */
  readonly password: string
  /** undefined: the root DSE's defaultNamingContext, else its first namingContexts. */
  readonly searchBase: string | undefined
  readonly searchFilter: string
}

export type EntraNsgCheck = 'warn' | 'fail' | 'off'

/** The Entra Domain Services stage (entra-* inputs); read with the Azure sign-in inputs. */
export interface EntraSettings {
  /** entra-domain-name: resource name or properties.domainName of the managed domain. */
  readonly domainName: string
  /** Undefined: found by listing the subscription. */
  readonly resourceGroup: string | undefined
  /** Location of the replica set whose external IP to publish; undefined: the only one with an IP. */
  readonly replicaSet: string | undefined
  readonly nsgCheck: EntraNsgCheck
  /** Sign-in, cloud and endpoint of the Azure provider's inputs, with the managed domain's subscription. */
  readonly azure: AzureSettings
  /** Whether ip and domain were given as inputs (otherwise they come from the managed domain). */
  readonly ipGiven: boolean
  readonly domainGiven: boolean
  readonly connectToGiven: boolean
}

/** Certificate renewal through ACME DNS-01 (renew: acme); needs the Entra stage. */
export interface RenewalSettings {
  readonly method: 'acme'
  /** The ACME directory URL (letsencrypt and letsencrypt-staging resolved). */
  readonly directoryUrl: string
  /** Secret: the ACME account key, PEM. */
  readonly accountKeyPem: string
  /** External account binding, when the CA requires one. */
  readonly eab: { readonly kid: string; readonly hmacKey: string } | undefined
  /** Bound on the upload's long-running operation and on waiting for the endpoint to serve it. */
  readonly timeoutMinutes: number
}

export interface Settings {
  /** ASCII (punycode) lowercase name without the trailing dot. Empty until the Entra stage supplies it. */
  readonly domain: string
  /** Canonical text form of the address (IPv6 compressed, lowercase). Empty until the Entra stage supplies it. */
  readonly ip: string
  readonly recordType: RecordType
  /** allow-private-ip: a private (RFC 1918/4193) ip may go into a public zone (split-horizon DNS). */
  readonly allowPrivateIp?: boolean | undefined
  readonly mode: Mode
  readonly ttl: number
  /** ASCII lowercase zone name without trailing dot; undefined means find it. */
  readonly zone: string | undefined
  readonly provider: ProviderSettings
  readonly propagation: PropagationSettings
  readonly certificate: CertificateSettings
  readonly drift: DriftSettings
  /** Absent without ldap-bind-dn: no bind at all. */
  readonly ldapBind?: LdapBindSettings | undefined
  /** Undefined unless entra-domain-name is set. */
  readonly entra?: EntraSettings | undefined
  /** Undefined unless renew is acme. */
  readonly renewal?: RenewalSettings | undefined
}

/**
 * The provider-neutral inputs whose values are secrets and must be masked before anything else
 * happens. Each provider module declares its own secret inputs (adapters/providers/index.ts
 * secretInputs() lists them all).
 */
export const SECRET_INPUTS = ['github-token', 'ldap-bind-password', 'acme-account-key', 'acme-eab-hmac-key'] as const
