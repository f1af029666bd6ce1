/** Version of the ingest HTTP API; every path is prefixed `/v{API_VERSION}`. */
export const API_VERSION = 1;

/** Header every server response carries with the API version it speaks. */
export const API_VERSION_HEADER = 'x-pulsewatch-api';
