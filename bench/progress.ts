/** Writes a line to stderr: benchmark chatter stays out of stdout, which holds only the report. */
export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * A progress line on stderr: "seeding contacts  42% 420,000/1,000,000  61,234 rows/s".
 * Rewritten in place on a terminal; in a log (CI, a pipe) printed once per ~10%, so the log stays short.
 */
export function progress(label: string, total: number): { update(done: number): void; done(): void } {
  const started = performance.now();
  const isTty = process.stderr.isTTY;
  let lastDecile = -1;
  let lastLine = "";
  const line = (done: number) => {
    const seconds = (performance.now() - started) / 1000;
    const pct = Math.floor((done / total) * 100);
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    return `${label} ${String(pct).padStart(3)}% ${fmtInt(done)}/${fmtInt(total)}  ${fmtInt(rate)} rows/s`;
  };
  return {
    update(done) {
      lastLine = line(done);
      if (isTty) {
        process.stderr.write(`\r${lastLine}\x1b[K`);
        return;
      }
      const decile = Math.floor((done / total) * 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        note(lastLine);
      }
    },
    done() {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (isTty) {
        process.stderr.write(`\r${lastLine}\x1b[K\n`);
      }
      note(`${label} done in ${seconds} s`);
    },
  };
}

export function fmtInt(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
