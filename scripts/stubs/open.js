// Stands in for the `open` package in dist/ (see scripts/build.js). @azure/identity imports `open`
// only to launch a browser for an interactive sign-in, which no runner performs and this action
// never requests; the real package would ship a 32 KB launcher shell script and a chunk of
// browser-launching code in every release.
export default async function open() {
  throw new Error(
    'Interactive browser sign-in is not available in ldaps-dns-action; use OIDC, a client secret or azure/login'
  )
}
