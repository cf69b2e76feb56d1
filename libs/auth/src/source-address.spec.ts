import { sourceAddressKey } from './source-address';

describe('sourceAddressKey', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::FFFF:10.1.2.3', '10.1.2.3'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::ffff', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:0000:0000:0000:0001', '2001:db8:1:2::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s is counted as %s', (address, key) => {
    expect(sourceAddressKey(address)).toBe(key);
  });

  it('puts every address of one /64 under one key, so rotating the interface id does not reset the count', () => {
    expect(sourceAddressKey('2001:db8:a:b::1')).toBe(sourceAddressKey('2001:db8:a:b:ffff:ffff:ffff:fffe'));
    expect(sourceAddressKey('2001:db8:a:b::1')).not.toBe(sourceAddressKey('2001:db8:a:c::1'));
  });

  it.each([undefined, '', 'not-an-address', '999.1.1.1', '1.2.3', 'x::y'])('has no key for %p', (address) => {
    expect(sourceAddressKey(address)).toBeUndefined();
  });
});
