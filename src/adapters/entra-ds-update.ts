// The one write to a Microsoft Entra Domain Services managed domain: a new secure LDAP
// certificate (PATCH ldapsSettings, api-version 2022-12-01, a long-running operation). Signs in,
// bounds requests and translates ARM's errors through the same session as the reader
// (adapters/entra-ds.ts, adapters/azure/arm.ts). One attempt per run: the SDK's retries cover transport
// faults and 429/5xx of each request, but a PATCH that the service accepted and then failed is
// never sent again (the old certificate stays; the next scheduled run tries again).

import { DomainServicesResourceProvider } from '@azure/arm-domainservices'
import { openManagedDomainClient } from './entra-ds.ts'
import type { ArmSessionOptions } from './azure/arm.ts'
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

export function createEntraWriter(settings: EntraSettings, options: ArmSessionOptions = {}): EntraWriter {
  const { session } = openManagedDomainClient(settings, options)
  // The ldapsSettings model is the same in 2021-05-01 (the SDK's default); the PATCH goes out with
  // the latest stable version, as the ARM reference documents it (a client option: setting the
  // client's apiVersion afterwards does not reach the requests).
  const domains = new DomainServicesResourceProvider(session.credential.credential, settings.azure.subscriptionId, {
    ...session.clientOptions(),
    apiVersion: ENTRA_UPDATE_API_VERSION
  })
  const stats = { writes: 0 }
  return {
    stats,
    async uploadCertificate(upload) {
      const scope = `resource group ${upload.resourceGroup} of subscription ${settings.azure.subscriptionId}`
      const operation = {
        verb: `upload the renewed certificate to managed domain ${upload.name}`,
        scope,
        forbidden: `give the identity the ${ENTRA_WRITE_ROLE} role (Microsoft.AAD/domainServices/write) on the managed domain`,
        notFound: () => 'the managed domain is gone (check entra-domain-name and entra-resource-group)'
      }
      const old = 'the managed domain keeps its current certificate'
      const signal = AbortSignal.timeout(upload.timeoutMs)
      let accepted = false
      stats.writes++
      try {
        const poller = await domains.domainServices.beginUpdate(
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
        accepted = true
        await poller.pollUntilDone({ abortSignal: signal })
      } catch (error) {
        if (signal.aborted) {
          throw new EntraUpdateError(
            `${session.component}: the upload of the renewed certificate to managed domain ${upload.name} did not finish within renew-timeout (${Math.round(upload.timeoutMs / 60_000)} min); it may still complete, so check the managed domain before the next run; ${old} until it does`,
            undefined,
            true,
            { cause: error }
          )
        }
        const status = (error as { statusCode?: number }).statusCode
        if (accepted && status === undefined) {
          // The service took the PATCH and then failed the operation (a PFX it cannot open, …).
          throw new EntraUpdateError(
            `${session.component}: managed domain ${upload.name} accepted the renewed certificate, then failed the operation (${oneLine(error)}); ${old}`,
            undefined,
            false,
            { cause: error }
          )
        }
        const described = session.describe(error, operation)
        throw new EntraUpdateError(`${described.message}; ${old}`, described.statusCode, false, { cause: error })
      }
      // What the managed domain now says, read back rather than taken from the operation's body.
      try {
        const now = await session.run(abortSignal =>
          domains.domainServices.get(upload.resourceGroup, upload.name, { abortSignal })
        )
        const notAfter = now.ldapsSettings?.certificateNotAfter
        return {
          thumbprint: now.ldapsSettings?.certificateThumbprint,
          notAfter:
            notAfter === undefined
              ? undefined
              : new Date(notAfter instanceof Date ? notAfter.getTime() : String(notAfter)),
          provisioningState: now.provisioningState
        }
      } catch (error) {
        throw session.describe(error, { ...operation, verb: `read managed domain ${upload.name} after the upload` })
      }
    }
  }
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim().slice(0, 400)
}
