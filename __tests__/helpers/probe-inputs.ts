// Inputs for a run of the action that only probes the certificate: no DNS provider, no wait for
// propagation, trusting the given CA (PROBE_ONLY: the system's CAs). The address is public and never contacted: each test adds
// connect-to, pointing the probe at its local server.

import { TEST_DOMAIN } from './test-pki.ts'

export const PROBE_ONLY: Readonly<Record<string, string>> = {
  domain: TEST_DOMAIN,
  ip: '20.30.40.50',
  provider: 'none',
  'wait-for-propagation': 'false'
}

export function probeOnlyInputs(caCertPem: string, extra: Record<string, string>): Record<string, string> {
  return { ...PROBE_ONLY, 'ca-certificate': caCertPem, ...extra }
}
