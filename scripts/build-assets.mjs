// Copies the front-end packages the pages use from node_modules into the Django static folder.
// The files are not committed: `npm ci` installs the pinned versions and this script places them.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(root, "src", "veerkracht", "static", "vendor");

const files = {
  "@utrecht/design-tokens/dist/index.css": "utrecht/design-tokens.css",
  "@utrecht/component-library-css/dist/index.css": "utrecht/component-library.css",
  "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
  // The PDFs' typeface (core/pdffonts.py): DejaVu Sans carries Latin Extended (Turkish ı, ş, ğ, İ) and
  // Arabic with its presentation forms. Bitstream Vera licence with DejaVu's public-domain changes.
  "dejavu-fonts-ttf/ttf/DejaVuSans.ttf": "fonts/dejavu/DejaVuSans.ttf",
  "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf": "fonts/dejavu/DejaVuSans-Bold.ttf",
  "dejavu-fonts-ttf/ttf/DejaVuSans-Oblique.ttf": "fonts/dejavu/DejaVuSans-Oblique.ttf",
  "dejavu-fonts-ttf/LICENSE": "fonts/dejavu/LICENSE",
};

for (const [source, target] of Object.entries(files)) {
  const destination = join(vendor, target);
  mkdirSync(dirname(destination), { recursive: true });
  copyFileSync(join(root, "node_modules", source), destination);
}
console.log(`front-end assets: ${Object.keys(files).length} files in ${vendor}`);
