/**
 * ApiVersions (key 18), versions 0-4.
 * v1: adds throttle_time_ms. v2: same as v1. v3: flexible; request carries client_software_name/version.
 * v4: same bytes as v3 (lets the broker answer UNSUPPORTED_VERSION in v0 format for newer requests).
 * The response always uses response header v0 (handled in the connection), and an unsupported version gets a
 * v0-format body with error 35 so clients can downgrade.
 */
import { f, arr } from '../protocol/schema.js';
import type { Api } from './api.js';

export const apiVersions: Api = {
  key: 18,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 4,
  flexibleFrom: 3,
  request: [
    f('client_software_name', 'string', { min: 3 }),
    f('client_software_version', 'string', { min: 3 }),
  ],
  response: [
    f('error_code', 'i16'),
    f('api_keys', arr([f('api_key', 'i16'), f('min_version', 'i16'), f('max_version', 'i16')])),
    f('throttle_time_ms', 'i32', { min: 1 }),
  ],
  handle(_req, ctx) {
    // Client software name/version are deliberately not validated: librdkafka falls back to v0 on errors.
    return { error_code: 0, api_keys: ctx.broker.advertisedApis(), throttle_time_ms: 0 };
  },
};
