/**
 * Contract of one API key: the version range the broker advertises, where flexible encoding starts, the
 * declarative request/response descriptions and the handler. One file per API key registers one of these.
 */
import type { Field, Msg } from '../protocol/schema.js';
import type { Broker } from '../broker.js';

export interface RequestContext {
  broker: Broker;
  apiVersion: number;
  clientId: string | null;
  /** Remote address, for member ids and DescribeGroups client_host. */
  clientHost: string;
  /** Resolves when the connection closes; long-polls stop waiting then. */
  closed: Promise<void>;
}

export interface Api {
  key: number;
  name: string;
  minVersion: number;
  maxVersion: number;
  /** First flexible version (KIP-482), or Infinity when no advertised version is flexible. */
  flexibleFrom: number;
  request: Field[];
  response: Field[];
  /** Returns the response body, or null to send no response (Produce with acks=0). */
  handle(req: Msg, ctx: RequestContext): Msg | null | Promise<Msg | null>;
}

export const NOT_FLEXIBLE = Number.POSITIVE_INFINITY;
