import assert from 'node:assert/strict';
import test from 'node:test';
import { MAX_SHOWN_CHARS, visibleText } from '../../src/text/visible-text.js';

test('escape sequences go whole: CSI colours, cursor moves, OSC titles and hyperlinks, 8-bit CSI', () => {
  assert.equal(visibleText('\u001b[31mred\u001b[0m text'), 'red text');
  assert.equal(visibleText('a\u001b[2J\u001b[1;1Hb'), 'ab');
  assert.equal(visibleText('\u001b]0;owned title\u0007after'), 'after');
  assert.equal(visibleText('\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\'), 'link');
  assert.equal(visibleText('x\u009b31my'), 'xy');
  assert.equal(visibleText('keep\u001bcme'), 'keepme');
});

test('multi-line and control-laden text becomes one line; bidi overrides and zero-width characters go', () => {
  assert.equal(visibleText('HTTP 500\r\n<html>\n  <b>boom</b>\n</html>\n'), 'HTTP 500 <html> <b>boom</b> </html>');
  assert.equal(visibleText('a\u0000b\u0007c\u007fd'), 'abcd');
  assert.equal(visibleText('safe\u202eevil'), 'safeevil');
  assert.equal(visibleText('zero\u200bwidth'), 'zerowidth');
});

test('length is bounded (with an ellipsis) even for a huge input, and non-strings are shown', () => {
  const huge = 'x'.repeat(5_000_000);
  const shown = visibleText(huge);
  assert.equal(Array.from(shown).length, MAX_SHOWN_CHARS);
  assert.ok(shown.endsWith('…'));
  assert.equal(visibleText('short', 3), 'sh…');
  assert.equal(visibleText(undefined), 'undefined');
  assert.equal(visibleText(42), '42');
});
