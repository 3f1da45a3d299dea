// Entry point of the bundle; all behaviour is in run(), so tools such as @github/local-action can
// run the action from source. Whatever run() did not catch ends here as one ::error:: line and
// exit code 1, never a raw stack trace (the stack goes to the debug log when RUNNER_DEBUG is set).
import { failUnexpected } from './adapters/github.ts'
import { run } from './main.ts'

// Errors raised outside the awaited chain (an 'error' event nobody listened to, a stray promise).
process.on('uncaughtException', error => failUnexpected(error))
process.on('unhandledRejection', reason => failUnexpected(reason))

try {
  await run()
} catch (error) {
  failUnexpected(error)
}
