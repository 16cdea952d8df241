/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // The examples' own tests run here too, against the source (a consumer's `cdktf-eks-platform`).
  roots: ['<rootDir>/__tests__', '<rootDir>/examples'],
  // examples/vpc-eks is the consumer package.test installs the tarball into; its tests run there.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/examples/vpc-eks/'],
  moduleNameMapper: {
    '^cdktf-eks-platform$': '<rootDir>/modules/index.ts',
    '^cdktf-eks-platform/(addons|kubernetes|testing)$': '<rootDir>/modules/$1/index.ts',
    // GitHub's expression evaluator (workflow tests): its package exports name only an `import` entry,
    // which jest's CommonJS resolver does not take.
    '^@actions/expressions$': '<rootDir>/node_modules/@actions/expressions/dist/index.js',
    '^@actions/expressions/(.+)$': '<rootDir>/node_modules/@actions/expressions/dist/$1.js',
    // GitHub's workflow parser and schema (the image CI template's schema check): the same.
    '^@actions/workflow-parser$': '<rootDir>/node_modules/@actions/workflow-parser/dist/index.js',
  },
  testMatch: ['**/*.test.ts'],
  // swc strips the types (npm test runs tsc --noEmit beside jest for them): ts-jest built a
  // TypeScript program per worker.
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
    // GitHub's expression evaluator and workflow parser (workflow tests) ship only ES modules: swc makes them CommonJS.
    '/node_modules/@actions/(expressions|workflow-parser)/.+\\.js$': ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!@actions/(expressions|workflow-parser)/)'],
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
  // jest's runtime, keeping V8's code cache of each module a worker compiled for the next test file
  // (every file evaluates every module afresh; only the parsing is shared).
  runtime: '<rootDir>/scripts/jest-runtime.js',
  // One worker per core (jest's default leaves one core to itself: on 2 cores, one suite at a time).
  // The Terraform suites mostly wait on terraform processes; the others fill the cores meanwhile.
  maxWorkers: '100%',
  // Terraform checks init/validate/plan real stacks; they get a generous per-test budget.
  testTimeout: 600000,
};
