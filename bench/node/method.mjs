// The statistics of the method of bench/src/main.rs, shared by the Node and Workers harnesses:
// medians over repetitions, and the SDK's speed-up as the median of per-repetition ratios
// other/SDK (paired), which cancels most of the noise of a shared machine.

export const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
export const paired = (other, ours) => median(other.map((o, i) => o / ours[i]));
export const fmtRatio = (r) => (r >= 1 ? `${r.toFixed(2)}x faster` : `${(1 / r).toFixed(2)}x slower`);

/**
 * Markdown rows `| label | contender | median ns/event | SDK speed-up |` for one subset, the SDK
 * first in `names`, `times[i]` the seconds of contender i per repetition; then the ratio to the
 * fastest alternative, paired repetition by repetition.
 */
export function rows(label, n, names, times) {
  const out = names.map((name, i) => {
    const ns = (median(times[i]) * 1e9) / n;
    const ratio = i === 0 ? '1.00x' : fmtRatio(paired(times[i], times[0]));
    return `| ${label} | ${name} | ${ns.toFixed(0)} | ${ratio} |`;
  });
  const best = times[0].map((_, r) => Math.min(...times.slice(1).map((t) => t[r])));
  out.push(`| ${label} | **SDK vs fastest alternative** | | **${fmtRatio(paired(best, times[0]))}** |`);
  return out;
}
