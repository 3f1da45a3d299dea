// Step 4: connect where the name points and decide whether an LDAP client would trust what is served.

import type { Report } from '../core/report.ts'
import type { Settings } from '../core/settings.ts'

export async function verifyCertificate(settings: Settings, report: Report): Promise<void> {
  throw new Error(`certificate checks are not available in this build yet (${settings.domain}, ${report.domain})`)
}
