/** Raised for data a serde cannot read or write, and for schemas a format cannot hold. */
export class SerdeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SerdeError';
  }
}
