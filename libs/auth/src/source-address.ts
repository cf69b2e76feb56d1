import { isIP } from 'node:net';

/**
 * The key failed authentications are counted under: the IPv4 address (an IPv4-mapped IPv6 address is its IPv4
 * address), or the /64 prefix of an IPv6 address, since one host usually holds a whole /64 and could otherwise
 * change address with every guess. Undefined when the address is unknown or malformed.
 */
export function sourceAddressKey(address: string | undefined): string | undefined {
  if (typeof address !== 'string') return undefined;
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(trimmed);
  if (mapped && isIP(mapped[1]) === 4) return mapped[1];
  const version = isIP(trimmed);
  if (version === 4) return trimmed;
  if (version !== 6) return undefined;
  return `${expandIpv6(trimmed.replace(/%.*$/, '')).slice(0, 4).join(':')}::/64`;
}

function expandIpv6(address: string): string[] {
  let text = address.toLowerCase();
  // An embedded IPv4 tail (`::1.2.3.4`) is two groups.
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = text.slice(0, v4.index) + ((a << 8) | b).toString(16) + ':' + ((c << 8) | d).toString(16);
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((group) => group.replace(/^0+(?=.)/, ''));
}

/** What the address of a request is read from. */
export interface AddressedRequest {
  ip?: string;
  socket?: { remoteAddress?: string };
}

/** The peer address as the HTTP framework reports it (Express honours the host's `trust proxy` setting). */
export function addressOf(request: AddressedRequest): string | undefined {
  return request.ip ?? request.socket?.remoteAddress;
}
