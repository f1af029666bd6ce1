import { describe, expect, it } from 'vitest';
import { describeNetworkFailure, formatDuration } from '../../../main/sync/network-errors.js';

/** An error as axios hands it over: its own code, the socket's error as `cause`. */
function axiosLike(code: string, cause?: { code: string; message: string; port?: number }) {
  return Object.assign(new Error(cause?.message ?? code), { code, cause });
}

const context = { timeoutMs: 30_000, proxy: null };

describe('describeNetworkFailure', () => {
  it.each([
    ['ECONNREFUSED', 'unreachable', 'server unreachable (connection refused)'],
    ['ENOTFOUND', 'unreachable', 'server unreachable (host name not found)'],
    ['EHOSTUNREACH', 'unreachable', 'server unreachable (no route to host)'],
    ['ECONNRESET', 'connection_lost', 'connection lost before the server answered'],
    ['EPIPE', 'connection_lost', 'connection lost before the server answered'],
    ['ECONNABORTED', 'timeout', 'timed out after 30 s'],
    ['ETIMEDOUT', 'timeout', 'timed out after 30 s'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls', 'TLS: certificate not trusted — set the CA bundle'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls', 'TLS: certificate not trusted — set the CA bundle'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls', 'TLS: certificate not trusted — set the CA bundle'],
    ['CERT_HAS_EXPIRED', 'tls', "TLS: the server's certificate has expired"],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls', "TLS: the server's certificate is for another host name"],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls', expect.stringContaining('TLS: handshake failed')],
    ['HPE_INVALID_CONSTANT', 'bad_response', expect.stringContaining('not valid HTTP')],
    ['ERR_CANCELED', 'canceled', 'request canceled'],
  ])('says %s in plain words', (code, kind, message) => {
    const described = describeNetworkFailure(axiosLike(code), context);
    expect(described).toMatchObject({ code: kind, message });
  });

  it('reads the socket’s code under axios’s wrapper', () => {
    const error = axiosLike('ERR_BAD_REQUEST', {
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 10.0.0.1:443',
    });
    expect(describeNetworkFailure(error, context).message).toBe('server unreachable (connection refused)');
  });

  it('names the proxy when the refused connection was the proxy’s', () => {
    const error = axiosLike('ECONNREFUSED', { code: 'ECONNREFUSED', message: 'refused', port: 3128 });
    const described = describeNetworkFailure(error, {
      timeoutMs: 1000,
      proxy: { host: 'proxy', port: 3128 },
    });
    expect(described).toMatchObject({ code: 'proxy', message: 'proxy unreachable (connection refused)' });
  });

  it('calls an aborted answer a lost connection and anything else a failed request', () => {
    expect(describeNetworkFailure(new Error('stream has been aborted'), context).code).toBe(
      'connection_lost',
    );
    expect(describeNetworkFailure(new Error('something odd'), context).message).toBe(
      'request failed (something odd)',
    );
    expect(describeNetworkFailure('not even an error', context).code).toBe('connection_lost');
  });

  it('keeps the request (and its bearer token) out of the cause', () => {
    const error = Object.assign(axiosLike('ECONNRESET'), {
      config: { headers: { authorization: 'Bearer secret' } },
    });
    const described = describeNetworkFailure(error, context);
    expect(JSON.stringify(described.cause)).not.toContain('secret');
    expect(String(described.cause)).toContain('ECONNRESET');
  });

  it('formats durations', () => {
    expect(formatDuration(30_000)).toBe('30 s');
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(300)).toBe('300 ms');
  });
});
