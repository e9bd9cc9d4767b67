/**
 * `promise`, or a rejection with `new Error(message)` once `ms` have passed: for calls to a server
 * that may never answer (a frozen process accepts connections and stays silent). The promise itself
 * is not cancelled; the caller disconnects whatever it was waiting on.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
