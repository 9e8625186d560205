import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { imageFromEnvironment } from './container-image.ts';
import { createManifestsApp } from './manifests-app.ts';

// npm run synth: writes deploy/dist/<environment>.k8s.yaml, the manifests `kubectl apply` takes.
// Without cdk8s-cli: Node runs this TypeScript directly, like the app.

const outdir = fileURLToPath(new URL('./dist/', import.meta.url));
// A removed environment's file must not linger.
rmSync(outdir, { recursive: true, force: true });
const image = imageFromEnvironment();
createManifestsApp({ outdir, image }).synth();
process.stdout.write(`synthesised ${outdir} for ${image}\n`);
