/** A reason verification could not run (as opposed to drift it found); the CLI exits 2 with the message. */
export class CannotVerifyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CannotVerifyError';
  }
}
