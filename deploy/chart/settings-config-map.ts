import { createHash } from 'node:crypto';
import { k8s } from 'cdk8s-plus-34';
import type { Construct } from 'constructs';
import { plainValues, type ContainerEnvironment } from '../container-environment.ts';
import { CONFIG_MAP_NAME } from './names.ts';

export interface SettingsConfigMap {
  readonly name: string;
  /**
   * Changes with the settings. Pods read a ConfigMap only when they start, so the pod template
   * carries this: a settings change rolls the pods out like an image change.
   */
  readonly checksum: string;
}

/** The app's plain settings; its secrets stay in Secrets (container-environment.ts). */
export function addSettingsConfigMap(scope: Construct, environment: ContainerEnvironment): SettingsConfigMap {
  const data = plainValues(environment);
  new k8s.KubeConfigMap(scope, 'settings', { metadata: { name: CONFIG_MAP_NAME }, data });
  return { name: CONFIG_MAP_NAME, checksum: settingsChecksum(data) };
}

/** sha256 of the settings sorted by name: the same settings always give the same checksum. */
export function settingsChecksum(data: Readonly<Record<string, string>>): string {
  return createHash('sha256')
    .update(JSON.stringify(Object.entries(data).sort(([a], [b]) => a.localeCompare(b))))
    .digest('hex');
}
