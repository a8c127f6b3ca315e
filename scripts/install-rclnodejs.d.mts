// Types of scripts/install-rclnodejs.mjs (plain JS: it runs as the postinstall, before anything is built).
export function lockedVersion(root?: string): string;
export function localNodeHeaders(execPath?: string, version?: string): string | null;
export function fixCommand(distro: string): string;
export function installPlan(o: {
  env: Record<string, string | undefined>;
  installed: boolean;
  force: boolean;
  version: string;
  nodedir: string | null;
}): { args: string[]; env: Record<string, string | undefined> } | null;
