/**
 * ksqlDB's error envelope and codes (error_code = HTTP status × 100 + sub-code). Clients read
 * `message` and `error_code`; older ksql-python reads `stackTrace`, so an empty one is sent.
 */
export const ErrorCodes = {
  BAD_REQUEST: 40000,
  BAD_STATEMENT: 40001,
  QUERY_ENDPOINT: 40002,
  UNAUTHORIZED: 40100,
  FORBIDDEN: 40300,
  NOT_FOUND: 40400,
  NOT_ACCEPTABLE: 40600,
  SERVER_ERROR: 50000,
  COMMAND_QUEUE_TIMEOUT: 50301,
  SERVER_NOT_READY: 50302,
  SERVER_SHUTTING_DOWN: 50303,
} as const;

export interface ErrorBody {
  '@type': 'generic_error' | 'statement_error';
  error_code: number;
  message: string;
  stackTrace: string[];
  statementText?: string;
  entities?: unknown[];
}

export function genericError(code: number, message: string): ErrorBody {
  return { '@type': 'generic_error', error_code: code, message, stackTrace: [] };
}

export function statementError(code: number, message: string, statementText: string): ErrorBody {
  return { '@type': 'statement_error', error_code: code, message, stackTrace: [], statementText, entities: [] };
}

/** An error a route throws to answer with ksqlDB's envelope; the HTTP status is code / 100. */
export class RestError extends Error {
  constructor(readonly body: ErrorBody) {
    super(body.message);
  }
  get status(): number {
    return Math.floor(this.body.error_code / 100);
  }
}

export const badRequest = (message: string) => new RestError(genericError(ErrorCodes.BAD_REQUEST, message));
export const badStatement = (message: string, statementText: string) => new RestError(statementError(ErrorCodes.BAD_STATEMENT, message, statementText));
