import { z } from 'zod';
import { httpUrl, onceValid } from './environment-values.ts';

export interface ProviderCredentials {
  readonly apiKey: string;
  readonly baseUrl: string;
}

/** A provider's configuration, read from its environment variables. */
export interface ProviderSettings {
  /** Null: the API key is unset, so the provider's built-in emulator is used (never in production). */
  readonly credentials: ProviderCredentials | null;
  /** The secret the provider signs webhooks with; null when unset or when the provider sends none. */
  readonly webhookSecret: string | null;
}

/** A provider's environment variables, named after its id: <ID>_API_KEY, <ID>_BASE_URL, <ID>_WEBHOOK_SECRET. */
export interface ProviderEnvironment {
  readonly apiKeyVariable: string;
  readonly baseUrlVariable: string;
  /** Null when the provider sends no webhooks. */
  readonly webhookSecretVariable: string | null;
  /** Reads the variables (blank ones already removed) into the provider's settings. */
  readonly schema: z.ZodType<ProviderSettings>;
}

export interface ProviderEnvironmentOptions {
  /** What a valid API key looks like; a mistyped key fails at start-up rather than at the first call. */
  readonly apiKey: z.ZodType<string>;
  /** The provider's production API, used when only the key is set. */
  readonly defaultBaseUrl: string;
  /** True when the provider signs webhooks with a secret of ours. */
  readonly signsWebhooks: boolean;
}

/** The shortest webhook secret accepted: an HMAC key shorter than this is guessable. */
const MIN_WEBHOOK_SECRET_LENGTH = 16;

export function providerEnvironment(providerId: string, options: ProviderEnvironmentOptions): ProviderEnvironment {
  const apiKeyVariable = `${providerId}_API_KEY`;
  const baseUrlVariable = `${providerId}_BASE_URL`;
  const webhookSecretVariable = options.signsWebhooks ? `${providerId}_WEBHOOK_SECRET` : null;
  const webhookSecret = z
    .string()
    .min(MIN_WEBHOOK_SECRET_LENGTH, `must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`);
  const schema = z
    .object({
      [apiKeyVariable]: options.apiKey.optional(),
      [baseUrlVariable]: httpUrl.optional(),
      ...(webhookSecretVariable !== null && { [webhookSecretVariable]: webhookSecret.optional() }),
    })
    .superRefine(
      (values, context) => {
        // A base URL without a key would silently talk to the emulator instead: refuse it.
        if (values[baseUrlVariable] !== undefined && values[apiKeyVariable] === undefined) {
          context.addIssue({
            code: 'custom',
            path: [apiKeyVariable],
            message: `must be set when ${baseUrlVariable} is set`,
          });
        }
      },
      onceValid(apiKeyVariable, baseUrlVariable),
    )
    .transform((values): ProviderSettings => {
      const apiKey = values[apiKeyVariable];
      return {
        credentials:
          apiKey === undefined ? null : { apiKey, baseUrl: values[baseUrlVariable] ?? options.defaultBaseUrl },
        webhookSecret: webhookSecretVariable === null ? null : (values[webhookSecretVariable] ?? null),
      };
    });
  return { apiKeyVariable, baseUrlVariable, webhookSecretVariable, schema };
}
