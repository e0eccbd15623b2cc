/**
 * Which consumer version, branch and build a publication belongs to, when the user does not
 * say: the CI system's variables first (they know the commit a CI checkout was made for, even
 * in a detached HEAD), then git itself.
 */
import { execFile } from "node:child_process";

/** What the broker records about the version being published. */
export interface VersionInfo {
  readonly version?: string;
  readonly branch?: string;
  readonly buildUrl?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

// GitHub Actions, GitLab CI, CircleCI, Buildkite, Jenkins (git plugin), in that order.
const VERSION_VARIABLES = ["GITHUB_SHA", "CI_COMMIT_SHA", "CIRCLE_SHA1", "BUILDKITE_COMMIT", "GIT_COMMIT"];
// GITHUB_HEAD_REF is the source branch of a pull request; GITHUB_REF_NAME is then "42/merge".
const BRANCH_VARIABLES = ["GITHUB_HEAD_REF", "GITHUB_REF_NAME", "CI_COMMIT_REF_NAME", "CIRCLE_BRANCH", "BUILDKITE_BRANCH", "GIT_BRANCH"];

/** The version information the CI environment gives. */
function versionInfoFromEnv(env: Env): VersionInfo {
  const first = (names: string[]) => names.map((name) => env[name]).find((value) => value !== undefined && value !== "");
  const github = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  return {
    version: first(VERSION_VARIABLES),
    branch: first(BRANCH_VARIABLES),
    buildUrl: github ?? first(["CI_JOB_URL", "CIRCLE_BUILD_URL", "BUILDKITE_BUILD_URL", "BUILD_URL"]),
  };
}

/**
 * The version and branch a publication or verification belongs to: what the user gave, else the
 * CI system's, else git's. Git is asked only when something it could answer is still missing
 * (the version only when `needVersion`). The build URL is the CI system's.
 */
export async function resolveVersionInfo(given: { readonly version?: string | undefined; readonly branch?: string | undefined }, needVersion: boolean, env: Env, cwd: string): Promise<VersionInfo> {
  const ci = versionInfoFromEnv(env);
  const askGit = (needVersion && (given.version ?? ci.version) === undefined) || (given.branch ?? ci.branch) === undefined;
  const git = askGit ? await versionInfoFromGit(cwd) : {};
  return { version: given.version ?? ci.version ?? git.version, branch: given.branch ?? ci.branch ?? git.branch, buildUrl: ci.buildUrl };
}

/** The commit SHA and branch of the git checkout in `cwd` (each undefined when git cannot tell). */
async function versionInfoFromGit(cwd: string): Promise<VersionInfo> {
  const [version, branch] = await Promise.all([git(cwd, ["rev-parse", "HEAD"]), git(cwd, ["rev-parse", "--abbrev-ref", "HEAD"])]);
  return { version, branch: branch === "HEAD" ? undefined : branch };
}

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("git", args, { cwd, timeout: 10_000 }, (error, stdout) => resolve(error ? undefined : stdout.trim() || undefined));
  });
}
