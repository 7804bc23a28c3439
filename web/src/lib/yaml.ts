import { isMap, parseDocument, stringify } from "yaml";

import { type Definition, undrawable } from "./definition";

export function toYaml(definition: Definition): string {
  return stringify(definition, { lineWidth: 100, aliasDuplicateObjects: false });
}

export type Parsed = { definition: Definition; problems: [] } | { definition: null; problems: string[] };

/** A YAML (or JSON) text as a definition the designer can draw, or why it cannot. */
export function parseDefinition(text: string, knownKinds?: ReadonlySet<string>): Parsed {
  const document = parseDocument(text, { uniqueKeys: true });
  if (document.errors.length) {
    return {
      definition: null,
      problems: document.errors.map((error) => {
        const line = error.linePos?.[0]?.line;
        return (line ? `line ${line}: ` : "") + error.message.split("\n")[0];
      }),
    };
  }
  if (!isMap(document.contents)) {
    return { definition: null, problems: ["the definition must be a mapping (name, operations, …)"] };
  }
  const value: unknown = document.toJS({ maxAliasCount: 100 });
  const problems = undrawable(value, knownKinds);
  if (problems.length) return { definition: null, problems };
  return { definition: value as Definition, problems: [] };
}
