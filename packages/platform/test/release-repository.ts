import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { EnvironmentName, ReleasePointer } from '../src/release/pointer.js';
import { pointer } from './release-fixtures.js';

/** A temporary git repository holding deploy/releases/{dev,staging,prod}.json, committed on branch main. */
export class TempRepository {
  readonly root = mkdtempSync(join(tmpdir(), 'runway-release-'));

  constructor() {
    this.git('init', '--quiet', '--initial-branch=main');
    this.git('config', 'user.email', 'release-test@example.com');
    this.git('config', 'user.name', 'Release Test');
    this.git('config', 'commit.gpgsign', 'false');
    for (const env of ['dev', 'staging', 'prod'] as const) this.writePointer(pointer(env, '0'));
    this.commitAll('bootstrap release pointers');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.root, encoding: 'utf8' }).trim();
  }

  write(relative: string, text: string): void {
    mkdirSync(dirname(join(this.root, relative)), { recursive: true });
    writeFileSync(join(this.root, relative), text);
  }

  read(relative: string): string {
    return readFileSync(join(this.root, relative), 'utf8');
  }

  writePointer(value: ReleasePointer): void {
    this.write(`deploy/releases/${value.env}.json`, `${JSON.stringify(value, null, 2)}\n`);
  }

  pointer(env: EnvironmentName): ReleasePointer {
    return JSON.parse(this.read(`deploy/releases/${env}.json`)) as ReleasePointer;
  }

  commitAll(message: string): string {
    this.git('add', '--all');
    this.git('commit', '--quiet', '--message', message);
    return this.git('rev-parse', 'HEAD');
  }

  /** Subjects of the last `count` commits on the current branch, newest first. */
  subjects(count: number): string[] {
    return this.git('log', `-${count}`, '--format=%s').split('\n');
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
