import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holds, rowName, type Row } from './testing.js';
import { parseCidr, parseIp } from './ip.js';

const rows: Row[] = [
  ['IpAddress', '203.0.113.0/24', '203.0.113.7', true],
  ['IpAddress', '203.0.113.0/24', '203.0.114.7', false],
  ['IpAddress', '203.0.113.7', '203.0.113.7', true],
  ['IpAddress', '203.0.113.7/32', '203.0.113.8', false],
  ['IpAddress', '0.0.0.0/0', '198.51.100.1', true],
  ['IpAddress', ['10.0.0.0/8', '192.168.0.0/16'], '192.168.3.4', true],
  ['IpAddress', '10.0.0.0/12', '10.15.255.255', true],
  ['IpAddress', '10.0.0.0/12', '10.16.0.0', false],
  ['IpAddress', '2001:db8::/32', '2001:db8:1234::1', true],
  ['IpAddress', '2001:db8::/32', '2001:db9::1', false],
  ['IpAddress', '2001:DB8:0:0:0:0:0:0/64', '2001:db8::abcd', true],
  ['IpAddress', '203.0.113.0/24', '2001:db8::1', false],
  ['IpAddress', '203.0.113.0/24', 'not-an-ip', false],
  ['IpAddress', '203.0.113.0/24', undefined, false],
  ['NotIpAddress', '203.0.113.0/24', '198.51.100.1', true],
  ['NotIpAddress', '203.0.113.0/24', '203.0.113.1', false],
  ['NotIpAddress', '203.0.113.0/24', undefined, true],
  ['IpAddressIfExists', '203.0.113.0/24', undefined, true],
  ['NotIpAddressIfExists', '203.0.113.0/24', '203.0.113.1', false],
];

for (const row of rows) {
  test(rowName(row), () => {
    const [op, pv, rv, want] = row;
    assert.equal(holds({ [op]: { 'aws:SourceIp': pv } }, rv === undefined ? {} : { 'aws:SourceIp': rv }), want);
  });
}

test('address parsing', () => {
  assert.deepEqual([...parseIp('::ffff:192.0.2.1')!].slice(10), [0xff, 0xff, 192, 0, 2, 1]);
  assert.equal(parseIp('1.2.3'), undefined);
  assert.equal(parseIp('1.2.3.256'), undefined);
  assert.equal(parseIp('1::2::3'), undefined);
  assert.equal(parseIp('1:2:3:4:5:6:7:8:9'), undefined);
  assert.equal(parseCidr('10.0.0.0/33'), undefined);
  assert.equal(parseCidr('::/0')!.bits, 0);
});
