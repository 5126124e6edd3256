/**
 * Polls `check` until it answers true; throws `timed out waiting for <what>` after `timeoutMs`.
 * A check that throws ends the wait with its error (a child process that died, say).
 */
export async function waitUntil(
  check: () => Promise<boolean>,
  what: string,
  { timeoutMs = 15_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** True when the service at `baseUrl` answers its readiness probe with 2xx; false while it cannot. */
export async function answersReady(baseUrl: string): Promise<boolean> {
  try {
    return (await fetch(`${baseUrl}/health/ready`)).ok;
  } catch {
    return false;
  }
}
