import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the web app. Run from the repository root:
 *   npx graphql-codegen --config web/codegen.ts
 * The output (web/src/gql/) is git-ignored and regenerated before every build.
 */
const config: CodegenConfig = {
  schema: 'schema/api.graphql',
  documents: ['web/src/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'web/src/gql/': {
      preset: 'client',
      presetConfig: {
        // Fragments are shared between operations for their types only; no masking helpers needed.
        fragmentMasking: false,
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { ID: 'string' },
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
      },
    },
  },
};

export default config;
