// Copies a host bundle folder, renaming the host everywhere its outputs
// name it (systeminfo's Host Name, wmic's CSName, qfe's Source column), in
// each file's own encoding: UTF-16LE with BOM stays so, the rest is read
// and written byte for byte as latin1. systeminfo.csv is left out (its
// quoting would need care and systeminfo.txt says the same).
//
// Usage: node make-hostile.mjs SRC_DIR DEST_DIR NEW_NAME
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [src, dest, name] = process.argv.slice(2);
if (!src || !dest || !name) {
  console.error("usage: node make-hostile.mjs SRC_DIR DEST_DIR NEW_NAME");
  process.exit(2);
}
const files = readdirSync(src);
const systeminfo = readFileSync(join(src, "systeminfo.txt"), "latin1");
const old = /^Host Name:\s+(\S+)\r?$/m.exec(systeminfo)?.[1];
if (!old) {
  console.error(`${src}/systeminfo.txt: no Host Name line`);
  process.exit(1);
}
mkdirSync(dest, { recursive: true });
let renamed = 0;
for (const f of files) {
  if (f === "systeminfo.csv") continue;
  const bytes = readFileSync(join(src, f));
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe;
  const text = utf16 ? bytes.subarray(2).toString("utf16le") : bytes.toString("latin1");
  const out = text.split(old).join(name);
  if (out !== text) renamed++;
  writeFileSync(
    join(dest, f),
    utf16 ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(out, "utf16le")]) : Buffer.from(out, "latin1"),
  );
}
console.log(`${dest}: ${old} renamed in ${renamed} file(s)`);
