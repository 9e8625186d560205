import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { afterAll, expect, it } from 'vitest';
import { createManifestsApp } from '../../deploy/manifests-app.ts';
import {
  MANIFESTS_DIR,
  onlyObject,
  readCommittedManifests,
  readManifestFiles,
} from '../support/synthesized-manifests.ts';

// What gets applied is the committed YAML; what gets reviewed and tested is the code. They must
// be the same: after a change to deploy/, run `npm run synth` and commit deploy/dist with it.

const outdir = await mkdtemp(join(tmpdir(), 'payments-manifests-'));
afterAll(() => rm(outdir, { recursive: true, force: true }));

it('deploy/dist holds exactly what `npm run synth` writes, for the image the manifests name', async () => {
  const images = new Set(
    [...(await readCommittedManifests()).values()].flatMap((objects) =>
      onlyObject<IDeployment>(objects, 'Deployment').spec!.template.spec!.containers.map(
        (container) => container.image,
      ),
    ),
  );
  expect(images.size).toBe(1);

  createManifestsApp({ outdir, image: [...images][0]! }).synth();

  expect(await readManifestFiles(MANIFESTS_DIR)).toEqual(await readManifestFiles(outdir));
});
