/**
 * An indented code block, written fenced. Eleventy turns markdown-it's indented code blocks off,
 * so there the lines of one are a paragraph, and a `<script>` in them is raw HTML; a fenced block
 * is code in every renderer. The fenced block shows the same code: the lines lose only the four
 * columns of indent that made them code.
 */

/**
 * The block's source (from its first line's indent to its end; later lines start with the marks of
 * the containers, `column - 1` characters) as a fenced block, given the text before it on its first line.
 */
export function indentedAsFenced(slice: string, before: string, column: number): string {
  const newline = slice.endsWith('\n') ? '\n' : '';
  const lines = slice.slice(0, slice.length - newline.length).split('\n');
  const contents = lines.map((line, i) => dropIndent(i === 0 ? line : line.slice(column - 1)));
  const runs = contents.flatMap((c) => (c.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, ...runs.map((n) => n + 1)));
  // A new line continues the containers: a blockquote's `>` stays, a list marker becomes its width in spaces.
  const prefix = before.replace(/[^>]/g, ' ');
  return [fence, ...contents.map((c) => prefix + c), prefix + fence].join('\n') + newline;
}

/** The line without the four columns of indent (a tab reaches the next multiple of four). */
function dropIndent(line: string): string {
  let column = 0;
  let i = 0;
  while (column < 4 && (line[i] === ' ' || line[i] === '\t')) {
    column = line[i] === '\t' ? column + 4 - (column % 4) : column + 1;
    i++;
  }
  // A tab that passes column four leaves its remaining columns as spaces.
  return ' '.repeat(Math.max(0, column - 4)) + line.slice(i);
}
