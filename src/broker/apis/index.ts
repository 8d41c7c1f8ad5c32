/** Every API the broker implements; only these are advertised in ApiVersions. */
import type { Api } from './api.js';
import { produce } from './00_produce.js';
import { fetch } from './01_fetch.js';
import { listOffsets } from './02_list_offsets.js';
import { metadata } from './03_metadata.js';
import { apiVersions } from './18_api_versions.js';
import { createTopics } from './19_create_topics.js';

export const ALL_APIS: Api[] = [produce, fetch, listOffsets, metadata, apiVersions, createTopics];
