// The one write to a Microsoft Entra Domain Services managed domain: a new secure LDAP
// certificate (PATCH ldapsSettings, api-version 2022-12-01, a long-running operation). Signs in as
// the reader does (adapters/entra-ds.ts). One attempt per run: the SDK's retries cover transport
// faults and 429/5xx of each request, but a PATCH that the service accepted and then failed is
// never sent again (the old certificate stays; the next scheduled run tries again).

import * as identity from '@azure/identity'
import { DomainServicesResourceProvider } from '@azure/arm-domainservices'
import {
  AZURE_RETRY,
  createAzureCredential,
  resolveAzureEndpoints,
  type AzureDnsOptions
} from './providers/azure-dns.ts'
import type { EntraSettings } from '../core/settings.ts'

/** The api-version of the PATCH (latest stable; the SDK's default 2021-05-01 has the same ldapsSettings). */
export const ENTRA_UPDATE_API_VERSION = '2022-12-01'

/** Built-in role that may write the managed domain (Microsoft.AAD/domainServices/write). */
export const ENTRA_WRITE_ROLE = 'Domain Services Contributor'

export interface CertificateUpload {
  readonly resourceGroup: string
  /** Resource name of the managed domain. */
  readonly name: string
  /** The current values, echoed: the schema defaults both to Disabled when left out. */
  readonly ldaps: string
  readonly externalAccess: string
  /** Secret: base64 PFX and its password. */
  readonly pfxBase64: string
  readonly pfxPassword: string
  /** Bound on the whole operation. */
  readonly timeoutMs: number
  /** How often the operation is polled (the Retry-After ARM sends wins when longer). */
  readonly pollIntervalMs?: number
}

export interface UploadedCertificate {
  readonly thumbprint: string | undefined
  readonly notAfter: Date | undefined
  readonly provisioningState: string | undefined
}

/** Why the upload failed; `timedOut` when the bound ran out with the operation still running. */
export class EntraUpdateError extends Error {
  readonly statusCode: number | undefined
  readonly timedOut: boolean
  constructor(message: string, statusCode: number | undefined, timedOut: boolean, options?: ErrorOptions) {
    super(message, options)
    this.name = 'EntraUpdateError'
    this.statusCode = statusCode
    this.timedOut = timedOut
  }
}

export interface EntraWriter {
  uploadCertificate(upload: CertificateUpload): Promise<UploadedCertificate>
  readonly stats: { writes: number }
}

export function createEntraWriter(settings: EntraSettings, options: AzureDnsOptions = {}): EntraWriter {
  const env = options.env ?? process.env
  const endpoints = resolveAzureEndpoints(settings.azure, env)
  const choice = createAzureCredential(identity, settings.azure, options)
  const client = new DomainServicesResourceProvider(choice.credential, settings.azure.subscriptionId, {
    endpoint: endpoints.resourceManager,
    credentialScopes: [endpoints.scope],
    apiVersion: ENTRA_UPDATE_API_VERSION,
    retryOptions: {
      maxRetries: AZURE_RETRY.maxRetries,
      retryDelayInMs: AZURE_RETRY.retryDelayInMs,
      maxRetryDelayInMs: AZURE_RETRY.maxRetryDelayInMs
    },
    userAgentOptions: { userAgentPrefix: 'ldaps-dns-action' }
  })
  const stats = { writes: 0 }
  return {
    stats,
    async uploadCertificate(upload) {
      const where = `managed domain ${upload.name} (resource group ${upload.resourceGroup}, subscription ${settings.azure.subscriptionId})`
      const signal = AbortSignal.timeout(upload.timeoutMs)
      stats.writes++
      try {
        const poller = await client.domainServices.beginUpdate(
          upload.resourceGroup,
          upload.name,
          {
            ldapsSettings: {
              ldaps: upload.ldaps,
              externalAccess: upload.externalAccess,
              pfxCertificate: upload.pfxBase64,
              pfxCertificatePassword: upload.pfxPassword
            }
          },
          { updateIntervalInMs: upload.pollIntervalMs ?? 30_000, abortSignal: signal }
        )
        await poller.pollUntilDone({ abortSignal: signal })
        // What the managed domain now says, read back rather than taken from the operation's body.
        const now = await client.domainServices.get(upload.resourceGroup, upload.name, { abortSignal: signal })
        const notAfter = now.ldapsSettings?.certificateNotAfter
        return {
          thumbprint: now.ldapsSettings?.certificateThumbprint,
          notAfter:
            notAfter === undefined
              ? undefined
              : new Date(String(notAfter instanceof Date ? notAfter.toISOString() : notAfter)),
          provisioningState: now.provisioningState
        }
      } catch (error) {
        throw describeUpdateError(error, where, signal.aborted, upload.timeoutMs)
      }
    }
  }
}

function describeUpdateError(error: unknown, where: string, timedOut: boolean, timeoutMs: number): EntraUpdateError {
  const e = error as { statusCode?: number; code?: string; message?: string }
  const said = `${e.statusCode ?? ''} ${e.code ?? ''}: ${(e.message ?? String(error)).trim()}`
    .replace(/\s+/g, ' ')
    .trim()
  const prefix = `Entra Domain Services: uploading the renewed certificate to ${where} failed`
  const old = 'the managed domain keeps its current certificate'
  if (timedOut) {
    return new EntraUpdateError(
      `${prefix}: the operation did not finish within renew-timeout (${Math.round(timeoutMs / 60_000)} min); it may still complete, so check the managed domain before the next run; ${old} until it does`,
      undefined,
      true,
      { cause: error }
    )
  }
  switch (e.statusCode) {
    case 401:
    case 403:
      return new EntraUpdateError(
        `${prefix}: the identity may not write it (${said}); give it the ${ENTRA_WRITE_ROLE} role (Microsoft.AAD/domainServices/write) on the managed domain; ${old}`,
        e.statusCode,
        false,
        { cause: error }
      )
    case 409:
      return new EntraUpdateError(
        `${prefix}: another operation on the managed domain is in progress (${said}); ${old}, and the next run tries again`,
        409,
        false,
        { cause: error }
      )
  }
  return new EntraUpdateError(`${prefix} (${said}); ${old}`, e.statusCode, false, { cause: error })
}
