// Regenerates src/api/schema.d.ts from the gateway's OpenAPI document, read from the
// FastAPI app itself (no server started). `--check` fails when the committed file is stale.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const target = resolve(here, "..", "src", "api", "schema.d.ts");
const DUMP =
  "import json; from raikoo_gateway.app import build_api; " +
  "print(json.dumps(build_api().openapi(), sort_keys=True))";

const document = JSON.parse(
  execFileSync("uv", ["run", "--frozen", "--quiet", "python", "-c", DUMP], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  }),
);
const header =
  "// Generated from the gateway's OpenAPI document by `npm run api:generate`: do not edit.\n";
const generated = header + astToString(await openapiTS(document, { defaultNonNullable: false }));

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    // missing counts as stale
  }
  if (current !== generated) {
    console.error(
      "web/src/api/schema.d.ts is stale: the gateway's OpenAPI document changed. " +
        "Run `npm --prefix web run api:generate` and commit the result.",
    );
    process.exit(1);
  }
  console.log("web/src/api/schema.d.ts matches the gateway's OpenAPI document");
} else {
  writeFileSync(target, generated);
  console.log(`wrote ${target}`);
}
