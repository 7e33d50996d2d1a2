// A set of record ids, each with a 32-bit value (a content fingerprint), that costs 20 bytes per
// UUID instead of a string object per id.
//
// Dedup sets (CloudTrail eventID) see every record of a run: millions of them on a large export.
// Lower-case UUIDs, the form the vendors write, are packed exactly into four 32-bit words in an
// open-addressing table; any other id goes to an ordinary Map. Membership stays exact string
// equality: a packed UUID and an unpacked string can never be equal, as only one form packs.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INITIAL_SLOTS = 1024;

export class IdSet {
  private words = new Uint32Array(INITIAL_SLOTS * 4);
  private used = new Uint8Array(INITIAL_SLOTS);
  private values = new Uint32Array(INITIAL_SLOTS);
  private packed = 0;
  private readonly others = new Map<string, number>();

  get size(): number {
    return this.packed + this.others.size;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** The value stored with the id, or undefined when the id is not in the set. */
  get(id: string): number | undefined {
    if (!UUID.test(id)) return this.others.get(id);
    const [a, b, c, d] = pack(id);
    const slot = this.find(a, b, c, d);
    return slot < 0 ? undefined : (this.values[slot] as number);
  }

  /** Adds the id with its value (0 unless given); an id already in the set keeps its value. */
  add(id: string, value = 0): void {
    if (!UUID.test(id)) {
      if (!this.others.has(id)) this.others.set(id, value >>> 0);
      return;
    }
    const [a, b, c, d] = pack(id);
    if (this.find(a, b, c, d) >= 0) return;
    // Filled up to 80 %: at 3 million ids the table is 4 Mi slots (84 MB) rather than 8 Mi. Slots
    // are 16 bytes, four to a cache line, so the longer probe runs stay within a line or two.
    if ((this.packed + 1) * 5 > this.used.length * 4) this.grow();
    this.values[this.insert(a, b, c, d)] = value >>> 0;
    this.packed += 1;
  }

  /** Slot of the packed id, or -1. */
  private find(a: number, b: number, c: number, d: number): number {
    const mask = this.used.length - 1;
    for (let slot = hash(a, b, c, d) & mask; ; slot = (slot + 1) & mask) {
      if (this.used[slot] === 0) return -1;
      const at = slot * 4;
      const w = this.words;
      if (w[at] === a && w[at + 1] === b && w[at + 2] === c && w[at + 3] === d) return slot;
    }
  }

  /** Puts the packed id in a free slot and returns the slot. */
  private insert(a: number, b: number, c: number, d: number): number {
    const mask = this.used.length - 1;
    let slot = hash(a, b, c, d) & mask;
    while (this.used[slot] !== 0) slot = (slot + 1) & mask;
    this.used[slot] = 1;
    this.words.set([a, b, c, d], slot * 4);
    return slot;
  }

  private grow(): void {
    const oldWords = this.words;
    const oldUsed = this.used;
    const oldValues = this.values;
    this.words = new Uint32Array(oldWords.length * 2);
    this.used = new Uint8Array(oldUsed.length * 2);
    this.values = new Uint32Array(oldValues.length * 2);
    for (let slot = 0; slot < oldUsed.length; slot += 1) {
      if (oldUsed[slot] === 0) continue;
      const at = slot * 4;
      const moved = this.insert(oldWords[at], oldWords[at + 1], oldWords[at + 2], oldWords[at + 3]);
      this.values[moved] = oldValues[slot] as number;
    }
  }
}

/** The 128 bits of a lower-case UUID (dashes at 8, 13, 18 and 23). */
function pack(id: string): [number, number, number, number] {
  return [
    parseInt(id.slice(0, 8), 16) >>> 0,
    parseInt(id.slice(9, 13) + id.slice(14, 18), 16) >>> 0,
    parseInt(id.slice(19, 23) + id.slice(24, 28), 16) >>> 0,
    parseInt(id.slice(28, 36), 16) >>> 0,
  ];
}

function hash(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ b ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ c ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ d ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
