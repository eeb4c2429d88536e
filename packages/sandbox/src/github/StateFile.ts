import fs from 'node:fs';

/** A piece of the sandbox's state kept as one JSON file of the data folder. */
export class StateFile<T> {
  static open<T>(file: string, initial: () => T): StateFile<T> {
    return new StateFile(
      file,
      fs.existsSync(file)
        ? JSON.parse(fs.readFileSync(file, 'utf8'))
        : initial(),
    );
  }

  private constructor(
    readonly file: string,
    /** The state: change it in place, then `save()`. */
    readonly state: T,
  ) {}

  /** Writes the state atomically (a new file renamed over the old one). */
  save() {
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.state, null, 1));
    fs.renameSync(tmp, this.file);
  }
}
