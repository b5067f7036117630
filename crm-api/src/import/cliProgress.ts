import cliProgress from "cli-progress";

export interface ProgressView {
  update: (counts: { processed: number; total: number }) => void;
  stop: () => void;
}

/**
 * Import progress on stderr: a bar on a terminal; in a log (CI, a pipe, cron) one line per 10%, so the
 * log says how far a run got without thousands of lines.
 */
export function showProgress(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressView {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% {value}/{total} rows`, stream, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update({ processed, total }) {
        if (!started) {
          bar.start(total, processed);
          started = true;
        }
        bar.setTotal(total);
        bar.update(processed);
      },
      stop: () => bar.stop(),
    };
  }
  let lastStep = -1;
  return {
    update({ processed, total }) {
      const percent = total === 0 ? 100 : Math.floor((processed / total) * 100);
      const step = Math.floor(percent / 10);
      if (step > lastStep) {
        lastStep = step;
        stream.write(`${label}: ${percent}% (${processed} of ${total} rows)\n`);
      }
    },
    stop: () => {},
  };
}
