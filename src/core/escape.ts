// The one way outside text (DNS names and answers, certificate fields, LDAP values, provider and
// LDAP error messages, invalid inputs) is written into each sink. Pure: the GitHub adapter and the
// renderers call these, never a hand-written replace.
//
//   log      logText(line) before core.info, and for every annotation message and title: no line
//            can start a workflow command (`::`), no line holds a runner log directive (`##[`)
//            anywhere, and no control character can start a line on its own.
//   markdown mdText(value) for prose and table cells, mdCode(value) for a code span: the value is
//            shown as the characters it holds, it cannot close the span, open a link, image or
//            HTML tag, break the table, start a list or heading, or mention a user or an issue.

/**
 * Characters that are never shown as they are: C0 and C1 controls (a lone \r is a line break to
 * the runner), DEL, the Unicode line and paragraph separators, and bidirectional overrides that
 * make text read differently from what it holds. Newline and tab are handled by each sink.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g

/** `\x08`, `\u202e`: what a control character is, in a form that cannot act as one. */
function visible(ch: string): string {
  const code = ch.codePointAt(0)!
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/** Every control character, newline and tab included, written as a visible escape. One line out. */
export function visibleControls(text: string): string {
  return text.replace(CONTROL, visible).replace(/\n/g, '\\n').replace(/\t/g, '\\t')
}

/** A line that the runner would read as a workflow command (`::name::`): only at its start. */
const COMMAND_START = /^(\s*)(::)/

/**
 * A legacy log directive (`##[name ...]`): the runner's parser looks for `##[` anywhere in a line
 * (ActionCommand.TryParse takes IndexOf("##["), not the line start), so the sequence itself is
 * broken wherever it occurs. The replacement puts the mark between the `##` and the `[`, so it
 * cannot form a new `##[` with what is around it (`###[` becomes `###⁝[`).
 */
const LOG_DIRECTIVE = /##\[/g

/**
 * Text for the runner's log. Newlines stay (tables and multi-line messages), every other control
 * character is made visible, a line that would start a workflow command gets a visible `⁝` mark in
 * front, and every `##[` becomes `##⁝[`, so both are printed instead of run. The runner trims
 * leading white space before matching a command, so indented lines are marked too.
 */
export function logText(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(CONTROL, visible)
    .replace(LOG_DIRECTIVE, '##⁝[')
    .split('\n')
    .map(line => line.replace(COMMAND_START, '$1⁝$2'))
    .join('\n')
}

/** One outside value inside a log line: on one line, whatever it holds. */
export function logValue(value: unknown): string {
  return logText(visibleControls(String(value)))
}

// Markdown (GitHub-flavoured, as rendered in job summaries and issues).

/** Breaks `@name` and `#123` / `GH-123` so GitHub neither mentions nor cross-references. */
const ZERO_WIDTH_SPACE = '&#8203;'

/**
 * An outside value as Markdown text, for prose and table cells: backslash-escapes the
 * punctuation that makes emphasis, links, images, tables, strikethrough, math and code spans;
 * writes `& < >` as entities (no HTML); line breaks become `<br>`; other control characters are
 * shown escaped; `@name`, `#123` and `GH-123` are broken with a zero-width space. Meant for
 * inline places (after a label, in a table cell): a leading `# + = -` is escaped, but `1.` is
 * left as it is (escaping it would turn every address into `127\.0.0.1` in the raw text).
 */
export function mdText(value: unknown): string {
  const text = String(value).replace(/\r\n?/g, '\n').replace(/\t/g, ' ')
  return text
    .split('\n')
    .map(line =>
      line
        .replace(CONTROL, visible)
        .replace(/[\\`*_[\]|~$!]/g, '\\$&')
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        // One pass, so the entity inserted after an @ is not itself read as a #reference.
        .replace(/@(?=[A-Za-z0-9])|#(?=\d)|\bGH-(?=\d)/gi, `$&${ZERO_WIDTH_SPACE}`)
        .replace(/^(\s*)([#+=-])/, '$1\\$2')
    )
    .join('<br>')
}

/**
 * An outside value as a Markdown code span: shown literally, in a fence of backticks longer than
 * any run inside it, so it cannot close the span. Control characters and line breaks are shown
 * escaped (a blank line would end the paragraph and the span with it). In a table cell a `|`
 * would end the cell even inside code, so `inTable` writes it as `\|`, which GitHub shows as `|`.
 */
export function mdCode(value: unknown, options: { readonly inTable?: boolean } = {}): string {
  let text = visibleControls(String(value))
  if (options.inTable) text = text.replace(/\|/g, '\\|')
  if (text === '') return '` `'
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map(run => run.length))
  const fence = '`'.repeat(longest + 1)
  // A space on each side when the value starts or ends with a backtick (or is all spaces), which
  // CommonMark strips again, so the fence is not read as longer.
  const pad = text.startsWith('`') || text.endsWith('`') || /^ +$/.test(text) ? ' ' : ''
  return `${fence}${pad}${text}${pad}${fence}`
}

/** One Markdown table cell: an empty value is a dash. */
export function mdCell(value: unknown): string {
  return value === undefined || value === null || value === '' ? '—' : mdText(value)
}
