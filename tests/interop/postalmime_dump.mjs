// A second MIME parser (postal-mime) for som's interop tests: each .eml path in the arguments →
// its subject and its plain and HTML bodies, as one JSON object keyed by path.
import { readFileSync } from "node:fs";
import PostalMime from "postal-mime";

const out = {};
for (const path of process.argv.slice(2)) {
  const email = await PostalMime.parse(readFileSync(path));
  out[path] = { subject: email.subject, text: email.text, html: email.html };
}
process.stdout.write(JSON.stringify(out));
