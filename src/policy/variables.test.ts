import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Template } from './variables.js';
import { normalizeContext } from './context-keys.js';

const ctx = normalizeContext({ 'aws:username': 'alice', 'aws:PrincipalTag/team': 'red', 'aws:TagKeys': ['a', 'b'] });

test('variables resolve, case-insensitively by key', () => {
  assert.equal(Template.compile('home/${aws:username}/x', true, false).resolveText(ctx), 'home/alice/x');
  assert.equal(Template.compile('${AWS:UserName}', true, false).resolveText(ctx), 'alice');
  assert.equal(Template.compile('${aws:PrincipalTag/team}', true, false).resolveText(ctx), 'red');
});

test('defaults apply when the key is absent', () => {
  assert.equal(Template.compile("${aws:PrincipalTag/dept, 'none'}", true, false).resolveText(ctx), 'none');
  assert.equal(Template.compile("${aws:username,'x'}", true, false).resolveText(ctx), 'alice');
  assert.equal(Template.compile('${aws:PrincipalTag/dept}', true, false).resolveText(ctx), undefined);
});

test('multivalued keys are not variables', () => {
  assert.equal(Template.compile('${aws:TagKeys}', true, false).resolveText(ctx), undefined);
});

test('${*} ${?} ${$} are literal characters', () => {
  const t = Template.compile('a${*}b${?}c${$}d', true, true);
  assert.equal(t.resolveText(ctx), 'a*b?c$d');
  assert.equal(t.glob!.test('a*b?c$d'), true);
  assert.equal(t.glob!.test('aXbYc$d'), false);
});

test('text from a variable is literal inside a wildcard pattern', () => {
  const t = Template.compile('arn:aws:s3:::b/${aws:PrincipalTag/p}/*', true, true);
  const g = t.resolveGlob(normalizeContext({ 'aws:PrincipalTag/p': '*' }))!;
  assert.equal(g.test('arn:aws:s3:::b/*/x'), true);
  assert.equal(g.test('arn:aws:s3:::b/other/x'), false);
});

test('without variables (Version 2008-10-17 or none) ${…} is plain text', () => {
  const t = Template.compile('home/${aws:username}', false, false);
  assert.equal(t.hasVariables, false);
  assert.equal(t.resolveText(ctx), 'home/${aws:username}');
});

test('malformed references stay literal', () => {
  assert.equal(Template.compile('${not valid!}', true, false).resolveText(ctx), '${not valid!}');
  assert.equal(Template.compile('${aws:username', true, false).resolveText(ctx), '${aws:username');
});
