/** The ingest API contract: schemas, the route table, the typed client and the OpenAPI generator. */
export * from './common.js';
export * from './auth.js';
export * from './patients.js';
export * from './recordings.js';
export * from './streams.js';
export * from './viewer.js';
export * from './viewer-pages.js';
export * from './reports.js';
export * from './define.js';
export * from './routes.js';
export * from './client.js';
export * from './openapi.js';
export { API_VERSION, API_VERSION_HEADER } from '../version.js';
