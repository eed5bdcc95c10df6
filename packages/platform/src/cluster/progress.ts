import { formatSeconds } from './summary.js';

/** Shows the step list while `runway up` works: spinners and live timings on a terminal, plain lines elsewhere. */
export interface Progress {
  start(title: string, note?: string): void;
  succeed(seconds: number): void;
  fail(seconds: number): void;
}

export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 100;
const CLEAR_LINE = '\r\x1b[2K';

const label = (title: string, note?: string): string => (note ? `${title} (${note})` : title);

/** One line per event: what CI logs and pipes need. */
export const plainProgress = (out: Output): Progress => {
  let current = '';
  return {
    start(title, note) {
      current = label(title, note);
      out.write(`▶ ${current}\n`);
    },
    succeed(seconds) {
      out.write(`✔ ${current} [${formatSeconds(seconds)}]\n`);
    },
    fail(seconds) {
      out.write(`✖ ${current} [${formatSeconds(seconds)}]\n`);
    },
  };
};

/** Redraws the running step's line with a spinner and its elapsed time; finished steps stay above it. */
export const terminalProgress = (out: Output, now: () => number = Date.now): Progress => {
  let current = '';
  let startedAt = 0;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = (): void => {
    frame = (frame + 1) % FRAMES.length;
    out.write(`${CLEAR_LINE}${FRAMES[frame]} ${current}  ${formatSeconds((now() - startedAt) / 1000)}`);
  };
  const finish = (mark: string, seconds: number): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
    out.write(`${CLEAR_LINE}${mark} ${current}  ${formatSeconds(seconds)}\n`);
  };
  return {
    start(title, note) {
      current = label(title, note);
      startedAt = now();
      draw();
      timer = setInterval(draw, FRAME_MS);
      timer.unref();
    },
    succeed: (seconds) => finish('✔', seconds),
    fail: (seconds) => finish('✖', seconds),
  };
};

export const progressFor = (out: Output, env: NodeJS.ProcessEnv): Progress =>
  out.isTTY && !env.CI ? terminalProgress(out) : plainProgress(out);
