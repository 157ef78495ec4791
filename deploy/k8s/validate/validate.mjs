// Validates Kubernetes manifests with kubernetes-models: each document's class (apiVersion + kind) checks it
// against the schema generated from Kubernetes' OpenAPI spec (types, required fields, enums; unknown fields are not
// flagged). Prints one JSON line per document with its containers' command and args, so a caller can check the
// commands too. Exit code 1 when a document is invalid or of a kind the package does not know.
//   node validate.mjs FILE.yaml...
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

let failed = false;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length > 0) {
      console.error(`${file}: YAML error: ${doc.errors.map((e) => e.message).join("; ")}`);
      failed = true;
      continue;
    }
    const obj = doc.toJS();
    if (obj === null) continue;
    const where = `${file}: ${obj.kind ?? "?"} ${obj.metadata?.name ?? "?"}`;
    const [group, version] = (obj.apiVersion ?? "").includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion ?? ""];
    const modulePath = `kubernetes-models/${group ? group + "/" : ""}${version}/${obj.kind}`;
    let Model;
    try {
      Model = (await import(modulePath))[obj.kind];
    } catch {
      console.error(`${where}: unknown apiVersion/kind ${obj.apiVersion}/${obj.kind} (no ${modulePath})`);
      failed = true;
      continue;
    }
    try {
      new Model(obj).validate();
    } catch (e) {
      console.error(`${where}: invalid: ${e.message}`);
      failed = true;
      continue;
    }
    const spec = obj.spec?.template?.spec ?? obj.spec ?? {};
    const containers = (spec.containers ?? []).map((c) => ({ name: c.name, command: c.command ?? [], args: c.args ?? [] }));
    console.log(JSON.stringify({ file, kind: obj.kind, name: obj.metadata?.name, containers }));
  }
}
process.exit(failed ? 1 : 0);
