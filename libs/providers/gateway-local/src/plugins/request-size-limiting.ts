import { kongError } from '../kong-error';
import { requestSizeLimitingSchema } from './schemas/request-size-limiting.schema';
import { type GatewayPlugin, getHeader } from './plugin';

export interface RequestSizeLimitingConfig {
  allowed_payload_size: number;
  size_unit: 'bytes' | 'kilobytes' | 'megabytes';
  require_content_length: boolean;
}

const UNIT_BYTES = { bytes: 1, kilobytes: 1024, megabytes: 1048576 };

/**
 * Kong's request-size-limiting plugin (kong/plugins/request-size-limiting/handler.lua), priority
 * 951: a Content-Length over the limit is refused before the body is read (417 when the client
 * sent `Expect: 100-continue`, else 413); without one, the body is read and measured, or refused
 * with 411 when require_content_length is set and the body is not chunked.
 */
export const requestSizeLimitingPlugin: GatewayPlugin<RequestSizeLimitingConfig> = {
  name: 'request-size-limiting',
  priority: 951,
  schema: requestSizeLimitingSchema,
  async access(config, ctx) {
    const { headers } = ctx.request;
    const allowed = config.allowed_payload_size * UNIT_BYTES[config.size_unit];
    const tooLarge = () => {
      const status = getHeader(headers, 'expect')?.trim().toLowerCase() === '100-continue' ? 417 : 413;
      return kongError(status, 'Request size limit exceeded', ctx.requestId, getHeader(headers, 'accept'));
    };
    const length = getHeader(headers, 'content-length');
    if (length !== undefined && /^\s*\d+\s*$/.test(length)) {
      if (Number(length) > allowed) return tooLarge();
      return;
    }
    if (config.require_content_length && getHeader(headers, 'transfer-encoding') !== 'chunked') {
      return kongError(411, 'A valid Content-Length header is required', ctx.requestId, getHeader(headers, 'accept'));
    }
    const body = await ctx.request.readBody(allowed);
    if (body === 'too-large') return tooLarge();
  },
};
