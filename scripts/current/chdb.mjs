// chdb.mjs runs statements in chDB, ClickHouse in this process, for `make
// test-current` (see main.go, which writes the job and reads the answers).
//
//	node chdb.mjs MODULES JOB.json ANSWERS.jsonl
//
// MODULES is the folder install.sh installed the npm package chdb into.
// JOB.json is {"dir": a data folder, "statements": ["SQL", …]}: the
// statements run in order in one session on that folder, so that USE and
// CREATE hold for those after them. ANSWERS.jsonl gets a line per
// statement: {"out": its answer as TabSeparated} or {"error": the first
// line of ClickHouse's error}.
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [modules, jobPath, answersPath] = process.argv.slice(2);
if (!answersPath) {
  console.error("usage: node chdb.mjs MODULES JOB.json ANSWERS.jsonl");
  process.exit(2);
}
// chdb is installed outside the repository, so it is required from there
// (the CommonJS entry of the package), not imported by name.
const { Session } = createRequire(join(modules, "package.json"))("chdb");

const job = JSON.parse(readFileSync(jobPath, "utf8"));
const session = new Session(job.dir);
const answers = [];
for (const sql of job.statements) {
  try {
    answers.push(JSON.stringify({ out: session.query(sql, "TabSeparated") }));
  } catch (e) {
    answers.push(JSON.stringify({ error: String(e.message).split("\n")[0] }));
  }
}
session.close();
writeFileSync(answersPath, answers.join("\n") + "\n");
