// Checks shop.js's composeOrder against order-examples.json. Run by hand from the repository
// root: `node themes/meigong/scripts/check-order-examples.js` (Node 12+). With `--write` it
// rewrites the expected outputs from the script instead (review the diff before committing).
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const dir = __dirname;
const src = fs.readFileSync(path.join(dir, '../assets/js/shop.js'), 'utf8');
const sandbox = {};
vm.runInNewContext(src, sandbox); // no `document`: only the pure functions are defined
const { composeOrder } = sandbox.shopgen;

const file = path.join(dir, 'order-examples.json');
const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
let failed = 0;
for (const ex of doc.examples) {
  const got = composeOrder(ex.input);
  if (process.argv.includes('--write')) ex.output = got;
  else if (got !== ex.output) {
    failed++;
    console.log(`FAIL ${ex.name}\n--- expected\n${ex.output}\n--- got\n${got}`);
  }
}
if (process.argv.includes('--write')) fs.writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
console.log(`${doc.examples.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
