// Build: TypeScript 7 compiles src/ to lib/, then ncc bundles lib/index.js into dist/ (ESM, with
// one chunk per dynamically imported provider or client). ncc cannot compile TypeScript 7 sources
// itself, hence the two stages. dist/ is emptied first so no stale chunk survives a rebuild.
import { execFileSync } from 'node:child_process'
import { readdirSync, rmSync, writeFileSync } from 'node:fs'

rmSync('lib', { recursive: true, force: true })
rmSync('dist', { recursive: true, force: true })
execFileSync('tsc', ['-p', 'tsconfig.build.json'], { stdio: 'inherit' })
// Modules a runner never loads are swapped for stubs while bundling, without patching the
// dependency: ncc resolves module names through the `paths` of the tsconfig.json in its working
// directory (its tsconfig-paths plugin), so it runs in lib/, whose tsconfig.json maps them to
// scripts/stubs/. `open` is reached only from
// @azure/identity's interactive browser sign-in (a dynamic import in its MSAL client).
const STUBS = { open: 'scripts/stubs/open.js' }
writeFileSync(
  'lib/tsconfig.json',
  JSON.stringify({
    compilerOptions: {
      allowJs: true,
      baseUrl: '..',
      paths: Object.fromEntries(Object.entries(STUBS).map(([name, path]) => [name, [path]]))
    }
  })
)
execFileSync('ncc', ['build', 'index.js', '-o', '../dist', '--license', 'licenses.txt', '--quiet'], {
  stdio: 'inherit',
  cwd: 'lib'
})
for (const name of readdirSync('dist')) {
  if (name.endsWith('.d.ts') || name === 'sourcemap-register.cjs') rmSync(`dist/${name}`)
}
