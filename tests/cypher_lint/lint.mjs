// Lints Cypher offline with Neo4j's own language support (the linter of the Neo4j VS Code
// extension and Workspace): parser, semantic analysis and deprecation notices of Cypher 5.
//
// stdin:  [{"name": str, "text": str, "parameters": [str, ...]}]
// stdout: [{"name": str, "diagnostics": [{"severity", "message", "line", "character"}]}]
// severity as in LSP (1 error, 2 warning); line and character are 0-based.
// Run by tests/cypher_lint/lint.py.
import { readFileSync } from 'node:fs';
import { lintCypherQuery } from '@neo4j-cypher/language-support';

// The package swallows any crash of its semantic analysis and then reports nothing, which
// would pass every query: a query with a known semantic error proves that it is running.
const canary = lintCypherQuery('RETURN undefinedVariable', {}).diagnostics;
if (!canary.some((d) => d.message.includes('Variable `undefinedVariable` not defined'))) {
  process.stderr.write(
    `lint.mjs: semantic analysis is not running (canary gave ${JSON.stringify(canary)})\n`,
  );
  process.exit(2);
}

const statements = JSON.parse(readFileSync(0, 'utf8'));
const results = statements.map(({ name, text, parameters }) => {
  // Declared parameters: the linter only checks that a key exists (any value but undefined).
  const dbSchema = {
    parameters: Object.fromEntries((parameters ?? []).map((p) => [p, null])),
  };
  // No labels, types, properties, functions or procedures in the schema: with those given,
  // the linter would flag every name absent from them; without, it checks none of them.
  // consoleCommandsEnabled: false, because a ":param" line in a .cypher file is an error.
  const { diagnostics } = lintCypherQuery(text, dbSchema, { consoleCommandsEnabled: false });
  return {
    name,
    diagnostics: diagnostics.map((d) => ({
      severity: d.severity,
      message: d.message,
      line: d.range.start.line,
      character: d.range.start.character,
    })),
  };
});
process.stdout.write(JSON.stringify(results));
