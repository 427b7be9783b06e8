/** Ends a verification with a reason code that is safe to log (never token material). */
export class Denial extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}
