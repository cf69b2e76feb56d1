import { extractBearerToken, extractToken, hasSingleAuthorizationHeader } from './authorization-header.parser';

const TOKEN = 'squ_0123456789abcdef0123456789abcdef01234567';
const basic = (value: string) => `Basic ${Buffer.from(value).toString('base64')}`;

describe('extractToken', () => {
  it.each([
    [`Bearer ${TOKEN}`],
    [`bearer ${TOKEN}`],
    [`BEARER  ${TOKEN}`],
    [basic(`${TOKEN}:`)],
    [`basic ${Buffer.from(`${TOKEN}:`).toString('base64')}`],
  ])('reads the token from %j', (header) => {
    expect(extractToken(header)).toBe(TOKEN);
  });

  it.each([
    [undefined],
    [''],
    ['Bearer'],
    ['Bearer '],
    [`Bearer ${TOKEN} extra`],
    [`Token ${TOKEN}`],
    [basic(`${TOKEN}:password`)],
    [basic(TOKEN)],
    [basic(':')],
    ['Basic !!!'],
    [[`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]],
  ])('finds no token in %j', (header) => {
    expect(extractToken(header as string | string[] | undefined)).toBeUndefined();
  });

  it('reads only Bearer for the passport strategy', () => {
    expect(extractBearerToken(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(extractBearerToken(basic(`${TOKEN}:`))).toBeUndefined();
  });

  it('notices two Authorization headers', () => {
    expect(hasSingleAuthorizationHeader({ rawHeaders: ['Authorization', 'a', 'Host', 'h'] })).toBe(true);
    expect(hasSingleAuthorizationHeader({ rawHeaders: ['Authorization', 'a', 'authorization', 'b'] })).toBe(false);
  });
});
