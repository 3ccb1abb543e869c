// Code loaded on first use (a dynamic import), so the home page does not download what only
// other screens need. Every caller gets the same load; one that failed (a dropped network)
// is tried again by the next call instead of failing forever.

export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= load().catch((err: unknown) => {
      pending = null;
      throw err;
    });
    return pending;
  };
}
