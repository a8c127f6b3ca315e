// Query → what the detector should look for: a COCO class (names and a few synonyms), how many objects ("the chair"
// = 1; "chairs", "all chairs", "every chair", "two cups" = several), a colour word and an ordering word. Pure.

/** COCO's 80 detection classes in the model's 0-based order. */
export const COCO_CLASSES = [
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light',
  'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow',
  'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee',
  'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket', 'bottle',
  'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple', 'sandwich', 'orange',
  'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch', 'potted plant', 'bed',
  'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone', 'microwave', 'oven',
  'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear', 'hair drier', 'toothbrush',
] as const;

/** Everyday words for COCO classes (documented in docs/pointing.md). */
export const SYNONYMS: Record<string, string> = {
  mug: 'cup', 'coffee cup': 'cup', glass: 'cup', sofa: 'couch', settee: 'couch', table: 'dining table', desk: 'dining table',
  monitor: 'tv', television: 'tv', screen: 'tv', phone: 'cell phone', 'mobile phone': 'cell phone', smartphone: 'cell phone',
  plant: 'potted plant', 'house plant': 'potted plant', fridge: 'refrigerator', bike: 'bicycle', motorbike: 'motorcycle',
  man: 'person', woman: 'person', people: 'person', child: 'person', kid: 'person', human: 'person', ball: 'sports ball',
  bag: 'handbag', purse: 'handbag', doughnut: 'donut', notebook: 'laptop', computer: 'laptop', 'remote control': 'remote',
  puppy: 'dog', kitten: 'cat', armchair: 'chair', stool: 'chair', teddy: 'teddy bear', 'hair dryer': 'hair drier',
};

export const COLOURS = ['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'brown', 'black', 'white', 'grey'] as const;
export type Colour = (typeof COLOURS)[number];
const COLOUR_WORDS: Record<string, Colour> = { gray: 'grey', silver: 'grey', violet: 'purple', ...Object.fromEntries(COLOURS.map((c) => [c, c])) };

export type Ordering = 'left' | 'right' | 'nearest' | 'largest';
const ORDER_WORDS: Record<string, Ordering> = {
  left: 'left', leftmost: 'left', right: 'right', rightmost: 'right', nearest: 'nearest', closest: 'nearest', near: 'nearest',
  front: 'nearest', biggest: 'largest', largest: 'largest',
};

const NUMBERS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, both: 2, pair: 2 };
const ALL_WORDS = new Set(['all', 'every', 'each', 'any']);

export interface DetectorQuery {
  classIndex: number;
  className: string;
  /** Objects wanted: 1, a stated number, or null = every one found. */
  count: number | null;
  colour: Colour | null;
  ordering: Ordering | null;
}

/** The query's class (the longest name or synonym found as whole words, plurals allowed), else null. */
export function parseDetectorQuery(query: string): DetectorQuery | null {
  const words = query.toLowerCase().replace(/[^\p{L}\p{N}\s]+/gu, ' ').trim().split(/\s+/).filter(Boolean);
  let best: { name: string; start: number; length: number; plural: boolean } | null = null;
  const vocabulary = [...COCO_CLASSES.map((c) => [c, c] as const), ...Object.entries(SYNONYMS)];
  for (const [phrase, className] of vocabulary) {
    const parts = phrase.split(' ');
    for (let i = 0; i + parts.length <= words.length; i++) {
      const last = words[i + parts.length - 1]!;
      const head = words.slice(i, i + parts.length - 1);
      if (!head.every((w, k) => w === parts[k])) continue;
      const plural = singular(last) === parts[parts.length - 1] && last !== parts[parts.length - 1];
      if (last !== parts[parts.length - 1] && !plural) continue;
      if (!best || phrase.length > best.length) best = { name: className, start: i, length: phrase.length, plural: plural || phrase === 'people' };
    }
  }
  if (!best) return null;
  const classIndex = (COCO_CLASSES as readonly string[]).indexOf(best.name);
  let count: number | null = best.plural ? null : 1;
  for (const w of words) {
    if (ALL_WORDS.has(w)) count = null;
    else if (NUMBERS[w] !== undefined) count = NUMBERS[w]!;
    else if (/^\d+$/.test(w) && Number(w) > 0) count = Number(w);
  }
  const colour = words.map((w) => COLOUR_WORDS[w]).find((c) => c !== undefined) ?? null;
  const ordering = words.map((w) => ORDER_WORDS[w]).find((o) => o !== undefined) ?? null;
  return { classIndex, className: best.name, count, colour, ordering };
}

/** "cups" → "cup", "glasses" → "glass", "knives" → "knife", "people" stays (a synonym). */
function singular(word: string): string {
  if (word.endsWith('ives')) return `${word.slice(0, -3)}fe`;
  if (/(ss|sh|ch|x)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  return word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/** For a reason text: what the detector knows and how to ask for anything else. */
export function unknownQueryReason(query: string): string {
  return (
    `the bundled detector knows only COCO's 80 classes and none matches '${query}'. It knows: ${COCO_CLASSES.join(', ')} ` +
    `(also: ${Object.keys(SYNONYMS).join(', ')}). For anything else set a VLM: MOLMO_URL=http://<gpu-host>:8000 (model.urls), or click the object in the console`
  );
}
