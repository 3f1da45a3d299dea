// npm run demo: the whole action against a local sandbox, for someone who has just cloned the repo.
// Starts a BIND 9 primary and secondary on loopback (the zone contoso100.com, updated with TSIG),
// an OpenLDAP slapd serving LDAPS with a throwaway CA, then runs the bundled action three times as
// a runner would: apply, a clean check, and a check that finds drift after the record was changed
// behind its back. Prints each job summary and stops everything it started.

import { existsSync } from 'node:fs'
import { runAction, type ActionRun } from '../__tests__/helpers/run-action.ts'
import { DEMO_ADDRESSES, DOMAIN, startDemoSandbox, ZONE, type DemoSandbox } from './sandbox.ts'

const bold = (text: string): string => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text)

function missingTools(): string[] {
  const tools: [string, string][] = [
    ['/usr/sbin/named', 'bind9'],
    ['/usr/sbin/slapd', 'slapd'],
    ['/usr/bin/nsupdate', 'bind9-dnsutils']
  ]
  return tools.filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg)
}

function show(title: string, run: ActionRun): void {
  console.log(`\n${bold(`━━ ${title}: exit code ${run.exitCode} ━━`)}`)
  const annotations = run.stdout.split('\n').filter(l => /^::(error|warning|notice)/.test(l))
  for (const line of annotations) console.log(`  ${line}`)
  console.log('\n--- job summary ---')
  console.log(run.summary.trim())
  const outputs = Object.entries(run.outputs).filter(([name]) => name !== 'report')
  console.log('\n--- outputs ---')
  for (const [name, value] of outputs) console.log(`  ${name}=${value}`)
}

async function main(): Promise<number> {
  const missing = missingTools()
  if (missing.length > 0) {
    console.error(
      `The demo runs real servers and needs: ${missing.join(', ')}.\nInstall them with:\n  sudo apt-get install ${missing.join(' ')}\n(or run bash scripts/setup.sh)`
    )
    return 2
  }
  if (!existsSync(new URL('../dist/index.js', import.meta.url))) {
    console.error('dist/index.js is missing: run npm run build first.')
    return 2
  }

  let sandbox: DemoSandbox | undefined
  const started = performance.now()
  try {
    const { primary, secondary, ldaps } = DEMO_ADDRESSES
    console.log(
      `Starting the sandbox: BIND primary ${primary} and secondary ${secondary} for ${ZONE}, slapd on ${ldaps} …`
    )
    sandbox = await startDemoSandbox()
    const { inputs } = sandbox

    const apply = await runAction(inputs)
    show('1. apply: publish the record, wait for both nameservers, verify the certificate', apply)

    const check = await runAction({ ...inputs, mode: 'check' })
    show('2. check: nothing has changed, so no drift', check)

    console.log(`\n${bold(`Someone points ${DOMAIN} at 127.0.12.99 behind the action's back …`)}`)
    await sandbox.changeBehindItsBack('127.0.12.99')
    const drift = await runAction({ ...inputs, mode: 'check' })
    show('3. check: the record drifted, so the step fails', drift)

    const ok =
      apply.exitCode === 0 &&
      check.exitCode === 0 &&
      check.outputs['drift'] === 'false' &&
      drift.exitCode === 1 &&
      drift.outputs['drift'] === 'true'
    console.log(
      `\n${bold(ok ? 'Demo finished as expected' : 'Demo did NOT go as expected')}: apply ${apply.exitCode === 0 ? 'passed' : 'failed'}, check ${check.outputs['drift'] === 'false' ? 'clean' : 'found drift'}, drift check ${drift.outputs['drift'] === 'true' ? 'found drift' : 'found nothing'} (${((performance.now() - started) / 1000).toFixed(1)} s).`
    )
    return ok ? 0 : 1
  } finally {
    await sandbox?.stop()
    console.log('Sandbox stopped.')
  }
}

process.exitCode = await main()
