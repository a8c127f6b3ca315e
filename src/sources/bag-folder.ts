// A rosbag2 bag folder: `metadata.yaml` (rosbag2_bagfile_information) and the MCAP splits it lists
// (`<name>_0.mcap`, `<name>_1.mcap`, … in `relative_file_paths` order). Reading it gives the splits in replay order
// and the topics the metadata declares, so a replay can check its configured topics against them before it
// starts. A folder whose metadata.yaml is missing or unreadable (a recorder that was killed) still replays: its
// .mcap files in name order, with a warning. Bags in another storage (sqlite3) or with rosbag2's own file or
// message compression are refused with what to do instead; MCAP's chunk compression needs nothing.
import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { parse } from 'yaml';
import { shown } from './replay-report.js';

export const BAG_METADATA = 'metadata.yaml';

/** metadata.yaml is a few kilobytes; a bigger one is not rosbag2's and is not parsed. */
export const MAX_METADATA_BYTES = 1 << 20;

export interface BagTopic {
  name: string;
  type: string;
  /** Messages the metadata counts on the topic (null when it does not say). */
  messageCount: number | null;
}

export interface BagFolder {
  dir: string;
  /** The splits that exist, in replay order (absolute or relative to the working directory, as `dir` is). */
  files: string[];
  /** The topics metadata.yaml declares; null when there is no readable metadata.yaml. */
  topics: BagTopic[] | null;
  /** Listed splits that are missing, a missing or unreadable metadata.yaml. */
  warnings: string[];
}

export class BagFolderError extends Error {
  constructor(dir: string, detail: string) {
    super(`bag folder ${dir}: ${detail}`);
    this.name = 'BagFolderError';
  }
}

/** Whether `path` is a folder (a bag folder to read with readBagFolder) rather than a file. */
export async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

type Doc = Record<string, unknown>;

function isDoc(v: unknown): v is Doc {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The splits and topics of the bag folder `dir` (see the file comment). */
export async function readBagFolder(dir: string): Promise<BagFolder> {
  const warnings: string[] = [];
  const metadata = await readMetadata(dir);
  const info = typeof metadata === 'string' ? null : metadata;
  const listed = info ? splitNames(dir, info) : null;
  const names = listed ?? (await mcapFilesByName(dir));
  if (typeof metadata === 'string' && names.length > 0) {
    warnings.push(`${metadata}; replaying the ${names.length} .mcap file(s) of ${dir} in name order`);
  }
  const files: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    if ((await stat(path).catch(() => null))?.isFile()) files.push(path);
    else warnings.push(`${BAG_METADATA} lists ${shown(name)}, which is not in ${dir}; skipped`);
  }
  if (files.length === 0) {
    throw new BagFolderError(dir, listed === null ? `has no ${BAG_METADATA} and no .mcap files` : `none of the splits ${BAG_METADATA} lists is in the folder`);
  }
  return { dir, files, topics: info ? topicsOf(info) : null, warnings };
}

/** rosbag2_bagfile_information, or why metadata.yaml could not be used (missing, too big, malformed). */
async function readMetadata(dir: string): Promise<Doc | string> {
  const path = join(dir, BAG_METADATA);
  const size = (await stat(path).catch(() => null))?.size;
  if (size === undefined) return `${dir} has no ${BAG_METADATA} (a recording stopped before writing it?)`;
  if (size > MAX_METADATA_BYTES) return `${path} is ${size} bytes, more than the ${MAX_METADATA_BYTES} a rosbag2 metadata file needs; not read`;
  let doc: unknown;
  try {
    // uniqueKeys off: the duplicate-key check is quadratic in the number of keys.
    doc = parse(await readFile(path, 'utf8'), { uniqueKeys: false, maxAliasCount: 100, prettyErrors: false });
  } catch (err) {
    return `${path} is not valid YAML (${shown((err as Error).message)}); not read`;
  }
  const info = isDoc(doc) ? doc['rosbag2_bagfile_information'] : undefined;
  if (!isDoc(info)) return `${path} has no rosbag2_bagfile_information mapping; not read`;
  const storage = info['storage_identifier'];
  if (typeof storage === 'string' && storage !== '' && storage !== 'mcap') {
    throw new BagFolderError(dir, `its storage is ${shown(storage)}; only MCAP bags replay (convert it: ros2 bag convert with storage_id: mcap)`);
  }
  const mode = info['compression_mode'];
  if (typeof mode === 'string' && mode !== '' && mode.toUpperCase() !== 'NONE') {
    throw new BagFolderError(
      dir,
      `it uses rosbag2's own ${shown(mode)} compression (${shown(info['compression_format'] ?? '?')}), which is not read; ` +
        'decompress it with ros2 bag convert, or record with MCAP chunk compression (the MCAP storage default) instead',
    );
  }
  return info;
}

/** The split names in relative_file_paths (else files[].path), each a plain name inside the folder. */
function splitNames(dir: string, info: Doc): string[] {
  const rel = info['relative_file_paths'];
  const fromFiles = Array.isArray(info['files']) ? info['files'].map((f) => (isDoc(f) ? f['path'] : undefined)) : [];
  const names = Array.isArray(rel) && rel.length > 0 ? rel : fromFiles;
  return names.map((n, i) => {
    if (typeof n !== 'string' || n === '') throw new BagFolderError(dir, `${BAG_METADATA}: relative_file_paths[${i}] is not a file name`);
    // rosbag2 writes names relative to the folder; a path that leaves the folder is refused.
    const clean = normalize(n);
    if (isAbsolute(clean) || clean === '..' || clean.startsWith(`..${sep}`)) {
      throw new BagFolderError(dir, `${BAG_METADATA}: relative_file_paths[${i}] (${shown(n)}) is outside the folder`);
    }
    return clean;
  });
}

function topicsOf(info: Doc): BagTopic[] {
  const list = info['topics_with_message_count'];
  if (!Array.isArray(list)) return [];
  const topics: BagTopic[] = [];
  for (const entry of list) {
    const meta = isDoc(entry) ? entry['topic_metadata'] : undefined;
    if (!isDoc(meta) || typeof meta['name'] !== 'string') continue;
    const count = isDoc(entry) ? entry['message_count'] : undefined;
    topics.push({
      name: meta['name'],
      type: typeof meta['type'] === 'string' ? meta['type'] : '',
      messageCount: typeof count === 'number' && Number.isFinite(count) ? count : null,
    });
  }
  return topics;
}

/** The folder's .mcap files, `name_2.mcap` before `name_10.mcap`. */
async function mcapFilesByName(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new BagFolderError(dir, `cannot be listed (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return names
    .filter((n) => n.endsWith('.mcap'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
