import { cdk8s, javascript, JsonFile } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

/** Tests of the built package: the tarball's files and the library driven through the jsii kernel. */
const DIST_TESTS = ['test/package.test.ts', 'test/jsii-kernel.test.ts', 'test/lazy-index-dist.test.ts'];

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-expose',
  description:
    'Typed cdk8s constructs for every way of reaching Kubernetes pods from outside the cluster: hostNetwork, hostPort, NodePort, MetalLB LoadBalancer, Ingress / Traefik / Gateway API, the API server proxy, ClusterIP, headless Services and Calico BGP pod-IP reachability, with safe defaults.',
  author: 'cdk8s-expose maintainers',
  authorAddress: 'maintainers@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk8s-expose/cdk8s-expose.git',
  keywords: ['cdk8s', 'kubernetes', 'k8s', 'ingress', 'metallb', 'nodeport', 'loadbalancer', 'traefik', 'gateway-api', 'calico'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~6.0.0',

  // projen's cdk8s library type defaults to cdk8s 1.x / constructs 3.x.
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.3.0',
  peerDeps: ['cdk8s-plus-27@^2.9.5'],
  // `npx cdk8s-expose verify`: the access guide, executed against a cluster (src/verify, kubectl as a subprocess).
  bin: { 'cdk8s-expose': 'lib/verify/cli.js' },
  devDeps: [
    // Pinning typescriptVersion makes projen ask for @types/node@ts6.0, which the registry lacks.
    '@types/node@^20',
    'cdk8s-cli@^2.207.0',
    'cdk8s-plus-27@2.9.5',
    // Validation harness: kubernetes-models checks types/required/formats, the 1.27 OpenAPI
    // attribute maps of @kubernetes/client-node 0.19 reject fields a 1.27 API server does not know.
    'kubernetes-models@4.5.1',
    '@kubernetes/client-node@0.19.0',
    'ajv@^8.17.1',
    'ajv-formats@^3.0.1',
    'yaml@^2.6.0',
    'fast-check@^3.23.0',
    // The jsii kernel, the runtime that the Python/Java/.NET/Go packages talk to:
    // test/jsii-kernel.test.ts drives the library through it (1.22 is what the registry serves).
    '@jsii/kernel@^1.22.0',
    // Diagrams rendered by Mermaid in the system Chromium (scripts/render-diagrams.ts).
    'mermaid@^12.3.0',
    'playwright-core@^1.65.1',
  ],

  jestOptions: {
    // Snapshots must fail on a mismatch; `npx projen test:update` accepts an intended change.
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      // Generated L1 classes are not ours to cover.
      coveragePathIgnorePatterns: ['/node_modules/', '/src/imports/'],
      // Tests of the built package (need lib/, .jsii, dist/js): run by the test:dist task.
      testPathIgnorePatterns: ['/node_modules/', ...DIST_TESTS.map((t) => `/${t.replace(/\./g, '\\.')}$`)],
    },
  },

  // Release targets (built by the release workflow, which reaches these registries).
  publishToPypi: {
    distName: 'cdk8s-expose',
    module: 'cdk8s_expose',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdk8sexpose',
    mavenGroupId: 'io.github.cdk8sexpose',
    mavenArtifactId: 'cdk8s-expose',
  },
  publishToNuget: {
    dotNetNamespace: 'Cdk8sExpose',
    packageId: 'Cdk8sExpose',
  },
  publishToGo: {
    moduleName: 'github.com/cdk8s-expose/cdk8s-expose-go',
  },

  gitignore: ['/examples.out/', '/bench.out/', '.jsii.tabl.json', '/.repo/', '/diagrams.out/'],
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'scripts'],
    ignorePatterns: ['src/imports/**'],
  },
  tsconfigDev: {
    include: ['../examples/**/*.ts', '../scripts/**/*.ts'],
    compilerOptions: {},
  },
});

for (const pattern of ['/examples/', '/examples.out/', '/scripts/', '/bench.out/', '/cdk8s.yaml', '/crds/*.yaml']) {
  project.addPackageIgnore(pattern);
}

// examples/ and scripts/ get their own tsconfig (extending the dev one) so that eslint's project
// service and ts-node find one.
for (const dir of ['examples', 'scripts']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../test/tsconfig.json', include: ['**/*.ts'] },
    marker: true,
  });
}

// --- Typed L1 classes for the upstream CRDs (cdk8s import, committed under src/imports/) ---
const importTask = project.addTask('import:crds', {
  description: 'Generate typed L1 classes from the vendored upstream CRDs in crds/ (committed under src/imports/)',
});
importTask.exec('rm -rf src/imports');
for (const file of ['metallb-crds.yaml', 'traefik-crds.yaml', 'gateway-api-standard-crds.yaml', 'calico-v3-crds.yaml']) {
  importTask.exec(`cdk8s import crds/${file} --language typescript --output src/imports --no-save --no-check-upgrade`);
}

// --- Examples: synthesized to YAML (and their access guides) into a git-ignored folder ---
project.addTask('synth:examples', {
  description: 'Synthesize every example chart to examples.out/',
  exec: 'ts-node --project examples/tsconfig.json examples/main.ts',
});

// --- Multi-language code generation that works offline (the release workflow builds the real packages) ---
const packageCode = project.addTask('package:code', {
  description: 'Generate Python, Java, .NET and Go code with jsii-pacmak --code-only (their registries are unreachable here)',
  exec: 'jsii-pacmak --code-only --outdir dist --target python --target java --target dotnet --target go',
});
const checkLanguages = project.addTask('check:languages', {
  description: 'Check the generated Python/Java/.NET/Go code: compiles or parses, every type and member present',
  exec: 'ts-node --transpile-only --project test/tsconfig.json scripts/check-languages.ts dist',
});
const packageAll = project.tasks.tryFind('package-all')!;
packageAll.reset();
packageAll.spawn(project.tasks.tryFind('package:js')!);
packageAll.spawn(packageCode);
packageAll.spawn(checkLanguages);
// The built package: its tarball's files, and the library driven through the jsii kernel as the
// Python/Java/.NET/Go packages drive it. They need lib/, .jsii and dist/js, so they run here, after
// package:js, and not in `npx projen test` (which works on a clean checkout).
const testDist = project.addTask('test:dist', {
  description: 'Test the built package: npm tarball contents, the library through the jsii kernel (after package:js)',
  exec: `jest --coverage=false --testPathIgnorePatterns=/node_modules/ --runTestsByPath ${DIST_TESTS.join(' ')}`,
});
packageAll.spawn(testDist);
// Locally and in CI alike: the npm package, then the other languages' code and its checks.
project.packageTask.reset();
project.packageTask.spawn(packageAll);

// --- The package index loads each export's module on first read (scripts/lazy-index.ts) ---
// After jsii, in the compile task itself: whatever packs lib/ (package:js) packs the lazy index.
project.compileTask.exec('ts-node --transpile-only --project scripts/tsconfig.json scripts/lazy-index.ts lib');

// --- README snippets compile (jsii-rosetta strict, fixture in rosetta/) ---
const rosetta = project.addTask('rosetta:extract', {
  description: 'Compile every README and doc snippet with jsii-rosetta in strict mode (fails on any error)',
  exec: 'jsii-rosetta extract --strict',
});
project.postCompileTask.spawn(rosetta);

// --- The API reference in Python, Java, C# and Go (the README's examples translated by rosetta) ---
// After rosetta:extract, whose tablet (.jsii.tabl.json) holds the translations jsii-docgen reads.
const docgenLanguages = project.addTask('docgen:languages', {
  description: 'Write docs/api/API.<python|java|csharp|go>.md (README, examples and reference per language, jsii-rosetta translations), link them from API.md, check every README snippet is translated',
  steps: [
    { exec: 'jsii-docgen -l python -l java -l csharp -l go --readme -o docs/api/API.md' },
    { exec: 'ts-node --transpile-only --project scripts/tsconfig.json scripts/api-docs.ts' },
  ],
});
project.postCompileTask.spawn(docgenLanguages);

// --- The access guides' Mermaid diagrams, rendered by Mermaid in the system Chromium ---
const checkDiagrams = project.addTask('check:diagrams', {
  description: 'Render every Mermaid diagram of the access guides in headless Chromium to SVG (diagrams.out/); a diagram Mermaid refuses fails. Skipped without /usr/bin/chromium, except with CI=true',
  exec: 'ts-node --transpile-only --project scripts/tsconfig.json scripts/render-diagrams.ts diagrams.out',
});
project.testTask.spawn(checkDiagrams);
project.addPackageIgnore('/diagrams.out/');

// --- Quality gates outside the build ---
project.addTask('fuzz', {
  description: 'Property-based fuzzing, 10,000 cases per pattern (FUZZ_SEED picks the seed; `FUZZ_RUNS=n npx jest test/fuzz.test.ts` for another count)',
  env: { FUZZ_RUNS: '10000' },
  exec: 'jest test/fuzz.test.ts --coverage=false',
});
project.addTask('bench', {
  description: 'Benchmark vs cdk8s L1, cdk8s-plus-27 and plain YAML (prints figures and ratios; results in bench.out/)',
  exec: 'ts-node --transpile-only --project test/tsconfig.json scripts/bench.ts',
});
// --- End-to-end tests against a real cluster (test/e2e; not part of `test`) ---
project.addTask('e2e', {
  description: 'Deploy every example on a real cluster and verify every access point (E2E_KUBECONFIG, or ../shared/cluster-lab set up, started and stopped)',
  exec: 'ts-node --transpile-only --project test/tsconfig.json test/e2e/run.ts',
});
project.jest?.addIgnorePattern('/test/e2e/');

project.addPackageIgnore('/rosetta/');
project.addPackageIgnore('/docs/');
// The npm tarball: nothing of the build (CI script, vendored CRDs and their README, rosetta's cache); checked
// against an allow-list by test/package.test.ts.
project.addPackageIgnore('/.ci/');
project.addPackageIgnore('/crds/');
// rosetta's translation cache (rosetta:extract), not part of the library.
project.addPackageIgnore('/.jsii.tabl.json');

project.synth();
