import js from "@eslint/js";
import regexp from "eslint-plugin-regexp";
import tseslint from "typescript-eslint";

// Data flows one way (CONTRIBUTING.md): a folder of src/ may import only from folders of a lower
// layer. Same layer, other folder: not allowed either, so each new dependency is a decision here.
const LAYERS = [
  ["lib"],
  ["http", "signature"],
  ["secrets", "validators"],
  ["media"],
  ["contract"],
  ["arbitraries", "report", "engine", "drift", "broker", "vitest"],
  ["runner"],
  ["status-callbacks"],
  ["dialer"],
  ["call"],
  ["provider", "nock"],
  ["mock", "verify"],
  ["media-check", "callback-check"],
  ["cli"],
];

/** `no-restricted-imports` for one folder of layer `rank`: every other folder at `rank` or above. */
function layerRule(folder, rank) {
  const forbidden = LAYERS.slice(rank)
    .flat()
    .filter((other) => other !== folder);
  if (forbidden.length === 0) return [];
  const files = folder === "secrets" ? ["src/secrets.ts"] : [`src/${folder}/**/*.ts`];
  return [
    {
      files,
      rules: {
        "no-restricted-imports": [
          "error",
          {
            patterns: [
              {
                group: forbidden.flatMap((other) => [`**/${other}/*`, `**/${other}.js`]),
                message: `src/${folder} is below that folder: data flows one way (see LAYERS in eslint.config.js).`,
              },
            ],
          },
        ],
      },
    },
  ];
}

export default tseslint.config(
  {
    ignores: [
      "dist/",
      "node_modules/",
      "src/validators/generated/",
      "coverage/",
      ".tmp/",
      // Third-party servers, kept as published (tests/third-party/README.md).
      "tests/third-party/twilio-media-streams/",
      "tests/third-party/speech-assistant-openai-realtime-api-node/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  regexp.configs["flat/recommended"],
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        performance: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-control-regex": "off",
      // Character ranges are spelt out as the grammars they implement spell them (RFC 3986's
      // ALPHA / DIGIT, XML 1.0's \u000B): readability over brevity, same language either way.
      "regexp/prefer-w": "off",
      "regexp/use-ignore-case": "off",
      "regexp/control-character-escape": "off",
    },
  },
  ...LAYERS.flatMap((folders, rank) => folders.flatMap((folder) => layerRule(folder, rank))),
  {
    // The production entry: validators, signatures and types only (no fast-check, Pact, nock or servers).
    files: ["src/index.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: LAYERS.flat()
                .filter((f) => f !== "validators" && f !== "lib" && f !== "signature")
                .flatMap((f) => [`**/${f}/*`, `**/${f}.js`]),
              message: "src/index.ts is the production entry: validators and signatures only.",
            },
          ],
        },
      ],
    },
  },
);
