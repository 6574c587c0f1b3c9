/**
 * What a person reads in a stderr of JSON lines (a run without a terminal): each record's
 * message, and for the summary record every collection error and failure reason, one per
 * line. A line that is not JSON is kept as it is, so the helper also reads plain text.
 */
export function logText(stderr: string): string {
  const out: string[] = [];
  for (const line of stderr.split('\n')) {
    if (line === '') continue;
    let record: {
      msg?: string;
      collections?: { error?: string; failures?: { reason: string }[]; imageFailures?: { reason: string }[] }[];
    };
    try {
      record = JSON.parse(line);
    } catch {
      out.push(line);
      continue;
    }
    if (record.msg !== undefined) out.push(record.msg);
    for (const c of record.collections ?? []) {
      if (c.error) out.push(c.error);
      for (const f of [...(c.failures ?? []), ...(c.imageFailures ?? [])]) out.push(f.reason);
    }
  }
  return out.join('\n');
}
