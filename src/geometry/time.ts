// ROS time <-> int64 nanoseconds. Stamps travel as bigint so 64-bit times stay exact (a double loses
// nanoseconds after ~104 days since the epoch).

const NS_PER_S = 1_000_000_000n;

/** builtin_interfaces/Time -> nanoseconds since the epoch. */
export function nsFromRos(t: { sec: number; nanosec: number }): bigint {
  if (!Number.isInteger(t.sec) || !Number.isInteger(t.nanosec) || t.nanosec < 0 || t.nanosec >= 1e9) {
    throw new RangeError(`invalid ROS time {sec: ${t.sec}, nanosec: ${t.nanosec}}`);
  }
  return BigInt(t.sec) * NS_PER_S + BigInt(t.nanosec);
}

/** Nanoseconds -> builtin_interfaces/Time, with 0 <= nanosec < 1e9 also for stamps before the epoch. */
export function rosFromNs(ns: bigint): { sec: number; nanosec: number } {
  let sec = ns / NS_PER_S;
  let nanosec = ns % NS_PER_S;
  if (nanosec < 0n) {
    nanosec += NS_PER_S;
    sec -= 1n;
  }
  return { sec: Number(sec), nanosec: Number(nanosec) };
}

/** Milliseconds from `a` to `b` (positive when b is later). */
export function msBetween(a: bigint, b: bigint): number {
  return Number(b - a) / 1e6;
}
